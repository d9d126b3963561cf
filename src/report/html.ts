import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { showHiddenIn } from "../text/escape.js";
import { htmlView } from "./html-view.js";
import type { Results } from "./results.js";

const TEMPLATES = new URL("./templates/", import.meta.url);
const PARTIALS = [
  "styles",
  "timeline",
  "finding",
  "test-list",
  "test-entry",
  "run-line",
  "test-group",
  "agent-note",
] as const;

let compiled: Handlebars.TemplateDelegate | undefined;

/**
 * The report template, compiled once. A private Handlebars environment: no helper or partial from
 * elsewhere can change the output. Every value goes through `{{ }}`, which HTML-escapes it, after
 * `showHiddenIn` has made bidirectional controls and invisible characters visible (`<U+202E>`).
 */
function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const hbs = Handlebars.create();
  const read = (name: string) => readFileSync(new URL(`${name}.hbs`, TEMPLATES), "utf8");
  for (const name of PARTIALS) hbs.registerPartial(name, read(name));
  compiled = hbs.compile(read("report"), { preventIndent: true });
  return compiled;
}

/** The self-contained HTML report: inline CSS, no script, no request to any host, a strict CSP. */
export function formatHtml(results: Results): string {
  return template()(showHiddenIn(htmlView(results)), {
    allowProtoPropertiesByDefault: false,
    allowProtoMethodsByDefault: false,
  });
}
