import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Gap } from "../model/gap.js";
import { formatHtml } from "../report/html.js";
import type { Results } from "../report/results.js";
import { formatVerdicts } from "../report/terminal.js";
import { exampleResults, HOSTILE } from "../testing/example-results.js";
import { runCliHere } from "../testing/run-cli.js";
import { clip, escapeTerminal, showHidden, showHiddenIn } from "./escape.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LOGGING = join(ROOT, "examples", "logging", "passing.yaml");

/** Reads "refund" but is laid out as other text; ends in tag characters that spell "hi" unseen. */
const DISGUISED = "refund\u202e\u2066dnufer\u2069\u200b\ufeff\u{e0068}\u{e0069}";
const RAW =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

describe("escapeTerminal", () => {
  it("shows controls, bidirectional overrides and invisible characters escaped, on one line", () => {
    expect(escapeTerminal(`a\nb\tc\u001b[31md${DISGUISED}`)).toBe(
      "a\\nb\\tc\\u001b[31mdrefund\\u202e\\u2066dnufer\\u2069\\u200b\\ufeff\\u{e0068}\\u{e0069}",
    );
    expect(escapeTerminal("naïve café 👩‍👩‍👧 ✔️ मैं")).toBe("naïve café 👩‍👩‍👧 ✔️ मैं");
    expect(clip(`${"x".repeat(10)}\u202e`, 8)).toBe("xxxxxxx…");
  });

  it("is what `trailcheck check` prints span content through", () => {
    const gap: Gap = {
      cause: "redaction",
      stage: "all/redaction[0]",
      severity: "high",
      fact: "arguments",
      message: `tool '${DISGUISED}' lost its arguments\nall 1 run(s) reconstructable`,
      hint: "allow the key",
      action: { kind: "tool", name: DISGUISED },
      traceId: "0af7651916cd43dd8448eb211c80319c",
    };
    const out = formatVerdicts([{ traceId: gap.traceId, reconstructable: false, gaps: [gap] }], ["header"]);
    expect(out).not.toMatch(RAW);
    expect(out).toContain("tool:refund\\u202e\\u2066dnufer");
    // A line break in span content can't print a line of its own.
    expect(out.split("\n").filter((l) => l.startsWith("all 1 run"))).toEqual([]);
  });

  it("is what `trailcheck check` prints the trace file's name through", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-escape-"));
    try {
      // A downloaded export's name can say anything: here, a line of its own claiming a pass.
      const trace = join(dir, "run\u001b[2J\nall 1 run(s) reconstructable\u202e.json");
      await copyFile(join(ROOT, "examples", "traces", "ai-sdk-v6-no-outputs.otlp.json"), trace);
      const r = await runCliHere(["check", "--trace", trace, "--logging", LOGGING]);
      expect(r.code).toBe(1);
      expect(r.out).not.toMatch(RAW);
      expect(r.out.split("\n")[0]).toContain("run\\u001b[2J\\nall 1 run(s) reconstructable\\u202e.json");
      expect(r.out.split("\n").filter((l) => l.startsWith("all 1 run"))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the HTML report", () => {
  it("shows hidden characters as <U+…>, in every value of the view", () => {
    expect(showHidden(`a\nb${DISGUISED}`)).toBe(
      "a\nbrefund<U+202E><U+2066>dnufer<U+2069><U+200B><U+FEFF><U+E0068><U+E0069>",
    );
    expect(
      showHiddenIn({ a: [{ b: "\u202e" }], n: 1, bare: Object.assign(Object.create(null), { c: "\u2067" }) }),
    ).toEqual({
      a: [{ b: "<U+202E>" }],
      n: 1,
      bare: { c: "<U+2067>" },
    });
  });

  it("carries no bidirectional control or invisible character raw", async () => {
    // The example results with hostile span content, made to hide text as well.
    const results = JSON.parse(
      JSON.stringify(await exampleResults({ hostile: true })).replaceAll(
        JSON.stringify(HOSTILE.script).slice(1, -1),
        JSON.stringify(DISGUISED).slice(1, -1),
      ),
    ) as Results;
    expect(JSON.stringify(results)).toContain("\u202e");
    const html = formatHtml(results);
    expect(html).not.toMatch(RAW);
    expect(html).toContain("refund&lt;U+202E&gt;&lt;U+2066&gt;dnufer&lt;U+2069&gt;");
    expect(html).toContain("&lt;U+E0068&gt;&lt;U+E0069&gt;");
  });
});
