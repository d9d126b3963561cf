import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { showHiddenIn } from "../text/escape.js";
import type { AuditOutcome } from "./audit.js";
import { auditHtmlView } from "./html-view.js";

let compiled: Handlebars.TemplateDelegate | undefined;

/**
 * audit.html: one self-contained page in the report's manner — inline CSS, no script, no request to any
 * host, a strict Content-Security-Policy, every value escaped by `{{ }}` in a private Handlebars
 * environment, bidirectional controls and invisible characters shown as `<U+202E>`; the rate over time
 * is inline SVG built from numbers.
 */
export function formatAuditHtml(outcome: AuditOutcome): string {
  if (!compiled) {
    const hbs = Handlebars.create();
    compiled = hbs.compile(readFileSync(new URL("./templates/audit.hbs", import.meta.url), "utf8"), {
      preventIndent: true,
    });
  }
  return compiled(showHiddenIn(auditHtmlView(outcome)), {
    allowProtoPropertiesByDefault: false,
    allowProtoMethodsByDefault: false,
  });
}
