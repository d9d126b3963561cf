import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { noteLines } from "../cli/report.js";
import { loadLoggingConfig } from "../config/logging.js";
import { readRecords } from "../ingest/index.js";
import type { SpanRecord } from "../model/record.js";
import { resolveProfile } from "../profiles/resolve.js";
import { checkRecords } from "../reconstruct/check.js";
import { exampleResults, HOSTILE } from "../testing/example-results.js";
import { env, gap, results, run, test } from "../testing/report-results.js";
import { assembleResults, mergeResults } from "./assemble.js";
import { compareWithBaseline, gapIdentity } from "./baseline.js";
import { formatHtml } from "./html.js";
import { formatJunit, xmlEscape } from "./junit.js";
import { formatSummary, mdEscape } from "./markdown.js";
import { readResultMeta, recordResult } from "./meta.js";
import { RESULTS_SCHEMA_PATH, ResultsSchema, resultsJsonSchemaText } from "./results.js";
import { timelineOf } from "./timeline.js";

const ROOT = join(import.meta.dirname, "..", "..");
const example = await exampleResults({ hostile: true });

describe("results.json", () => {
  it("the committed JSON Schema is generated from the zod schema", async () => {
    const committed = await readFile(join(ROOT, RESULTS_SCHEMA_PATH), "utf8");
    expect(committed, "run: node bin/run-ts.js src/report/generate-schema.ts").toBe(resultsJsonSchemaText());
  });

  it("the example results validate, with verdict and exit code from the tests", () => {
    expect(ResultsSchema.parse(JSON.parse(JSON.stringify(example)))).toEqual(example);
    expect(example.verdict).toBe("gaps");
    expect(example.exitCode).toBe(1);
    expect(results([test("a", [])]).exitCode).toBe(0);
    expect(results([test("a", [])], ["suite failed to load"]).verdict).toBe("gaps");
    const agent = test("r", []);
    agent.result = { ...agent.result!, kind: "replay", agent: { failed: true, code: "crash" } };
    expect(results([agent, test("b", [gap()])]).exitCode).toBe(3);
  });

  it("a test that records a run with gaps and passes (a suite of the user's that asserts nothing) is no pass", () => {
    const quiet = { ...test("own", [gap()]), state: "passed" as const };
    const r = results([quiet, test("b", [])]);
    expect(r.verdict).toBe("gaps");
    expect(r.exitCode).toBe(1);
    expect(formatSummary(r)).not.toContain("every run reconstructable");
    expect(formatHtml(r)).not.toContain("Every run reconstructable");
    // In a CI test tab too: its testcase fails, with its gap.
    const junit = formatJunit(r);
    expect(junit).toContain('<testsuites name="trailcheck" tests="2" failures="1"');
    expect(junit).toMatch(
      /<testcase [^>]*name="incidents &gt; own"[\s\S]*?<failure message="1 gap\(s\) in 1 finding\(s\): sampling"/,
    );
    // Skipped, it judged nothing.
    expect(results([{ ...quiet, state: "skipped" }]).verdict).toBe("pass");
  });

  it("two halves merged equal the whole, whatever the order", () => {
    const tests = ["c", "a", "d", "b"].map((id, i) =>
      test(id, i % 2 ? [gap()] : [], { file: `suites/${id}.test.ts` }),
    );
    const whole = results(tests);
    const merged = mergeResults([
      { ...results(tests.slice(2)), environment: { ...env, shard: "2/2" } },
      { ...results(tests.slice(0, 2)), environment: { ...env, shard: "1/2" } },
    ]);
    expect(merged).toEqual(whole);
  });
});

describe("recordResult", () => {
  it("validates, stores JSON under task.meta.trailcheck and reads back", () => {
    const task = { meta: {} as Record<string, unknown> };
    recordResult(task, {
      kind: "check",
      id: "config:all",
      title: "t",
      verdicts: [{ traceId: "*", reconstructable: true, gaps: [] }],
    });
    expect(readResultMeta(task.meta)).toMatchObject({ kind: "check", id: "config:all", tags: [] });
    expect(() => recordResult(task, { kind: "nope" as never, id: "x", title: "t" })).toThrow(/kind/);
    expect(readResultMeta({})).toBeUndefined();
  });

  it("turns comparisons into timelines with expired and never-emitted facts marked", async () => {
    const records: SpanRecord[] = [];
    for await (const r of readRecords(join(ROOT, "examples/traces/ai-sdk-v6-no-outputs.otlp.json")))
      records.push(r);
    const file = join(ROOT, "examples/logging/retention.yaml");
    const config = await loadLoggingConfig(file);
    const profile = await resolveProfile(config.compliance, file);
    const checked = checkRecords(records, config, profile, { auditAfterNs: 200n * 86_400n * 1_000_000_000n });
    const run = timelineOf(checked.comparisons[0]!, records);
    const marks = new Set(run.actions.flatMap((a) => a.facts.map((f) => f.stored)));
    expect(marks).toContain("expired");
    expect(marks).toContain("not-emitted");
    expect(run.actions[0]!.depth).toBe(0);
    expect(run.actions.some((a) => a.depth > 0)).toBe(true);
    expect(run.actions.every((a) => a.offsetMs !== undefined)).toBe(true);
  });
});

describe("baseline", () => {
  it("marks gaps new, fixed and unchanged by identity, not by position or span id", () => {
    const before = results([
      test("INC-1", [gap(), gap({ cause: "redaction", fact: "arguments" })]),
      test("INC-2", [gap({ action: { kind: "policy", name: "refund-limit" } })]),
    ]);
    const after = results([
      // same gaps in another order, other span ids and trace ids
      test("INC-1", [
        gap({
          cause: "redaction",
          fact: "arguments",
          action: { kind: "tool", name: "refund_payment", spanId: "bb" },
        }),
        gap({ traceId: "1".repeat(32), action: { kind: "tool", name: "refund_payment", spanId: "cc" } }),
      ]),
      test("INC-2", []),
      test("INC-3", [gap({ cause: "retention" })]),
    ]);
    const cmp = compareWithBaseline(after, before, "base.json").comparison;
    expect(cmp.new).toEqual(["incident:INC-3 | tool:refund_payment | record | retention"]);
    expect(cmp.fixed.map((g) => g.identity)).toEqual([
      "incident:INC-2 | policy:refund-limit | record | sampling",
    ]);
    expect(cmp.unchanged).toHaveLength(2);
    expect(gapIdentity("incident:INC-1", gap())).toBe(
      gapIdentity("incident:INC-1", gap({ stage: "x", message: "y" })),
    );
  });
});

describe("junit.xml", () => {
  it("one testcase per test, failures carrying the gaps, everything escaped", () => {
    const xml = formatJunit(example);
    expect(xml.match(/<testcase /g)).toHaveLength(example.totals.tests);
    expect(xml.match(/<failure /g)).toHaveLength(example.totals.failed);
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(xml).toMatch(/<failure message="\d+ gap\(s\) in \d+ finding\(s\): [a-z, ]+" type="gaps">/);
    expect(xmlEscape("a\u0000b\u001b<\"'&>\ud800")).toBe("a\ufffdb\ufffd&lt;&quot;&apos;&amp;&gt;\ufffd");
  });
});

describe("summary.md", () => {
  it("stays short with a thousand gaps, and lists the baseline comparison", () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      gap({ action: { kind: "tool", name: `tool_${i}_${"x".repeat(300)}` }, hint: "h".repeat(500) }),
    );
    const big = assembleResults({
      tests: [test("INC-1", many), test("INC-2", many)],
      errors: [],
      environment: env,
      generatedAt: new Date(0),
      baseline: { file: "b.json", results: results([]) },
    });
    const text = formatSummary(big);
    expect(text.length).toBeLessThan(8_000);
    expect(text).toContain("2000 new · 0 fixed · 0 unchanged");
    expect(text).toContain("more in the [full report](index.html#findings-new)");
    expect(formatSummary(example).length).toBeLessThan(8_000);
  });

  it("escapes span content so it can't become markup or a link", () => {
    expect(mdEscape(`${HOSTILE.script} ${HOSTILE.url} [x](https://evil)\nnext`)).toBe(
      "\\<script\\>alert\\(1\\)\\</script\\> javascript\\:alert\\(1\\) \\[x\\]\\(https\\://evil\\) next",
    );
    expect(formatSummary(example)).not.toMatch(/<script|<img/);
  });

  it("shows bidi controls and invisible characters as <U+202E>, as the HTML report does", () => {
    // Rendered by GitHub, U+202E would show this name as "refund passed", its letters reversed.
    const disguised = "refund\u202edessap\u202c\u200b\u{e0041}\u2028x\u001b[32m";
    expect(mdEscape(disguised)).toBe(
      "refund\\<U+202E\\>dessap\\<U+202C\\>\\<U+200B\\>\\<U+E0041\\>\\<U+2028\\>x\\<U+001B\\>\\[32m",
    );
    const r = results([test("INC-1", [gap({ action: { kind: "tool", name: disguised } })])]);
    expect(formatSummary(r)).not.toMatch(/[\u202e\u202c\u200b\u2028\u001b]|\u{e0041}/u);
  });
});

describe("a note about the agent's run", () => {
  it("a process the agent left running is said in summary.md, the HTML and the terminal, on a passing test too", () => {
    const leftover = "a process the agent started outside its process group still held its stdout/stderr";
    const noted = test("r", []);
    noted.result = { ...noted.result!, kind: "replay", agent: { failed: false, leftover } };
    const r = results([noted, test("b", [])]);
    expect(r.verdict).toBe("pass");
    expect(formatSummary(r)).toContain(`### Notes\n\n- ${mdEscape(noted.name)}: ${mdEscape(leftover)}`);
    const page = formatHtml(r);
    expect(page).toContain('<h2 id="notes">Notes</h2>');
    expect(page).toContain(`note: ${leftover}`);
    expect(noteLines(r)).toBe(`note: ${noted.name}: ${leftover}\n`);
    const quiet = results([test("b", [])]);
    expect(formatSummary(quiet)).not.toContain("### Notes");
    expect(formatHtml(quiet)).not.toContain('id="notes"');
    expect(noteLines(quiet)).toBe("");
  });
});

describe("index.html", () => {
  const html = formatHtml(example);

  it("is self-contained: a strict CSP, no script, no URL of any host", () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<script|<img|<link|<iframe|src=/i);
    // Links only within the page (a finding to its examples, an incident to its findings).
    const hrefs = html.match(/href=[^>\s]*/gi) ?? [];
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith('href="#'))).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("escapes every value: hostile span content appears only as text", () => {
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(html).not.toContain(HOSTILE.img);
  });

  it("templates never use triple-stash output", async () => {
    const dir = join(import.meta.dirname, "templates");
    for (const f of await readdir(dir)) expect(await readFile(join(dir, f), "utf8")).not.toContain("{{{");
  });

  it("shows the verdict, gaps by cause with their fix, timelines, properties, the matrix and the environment", () => {
    expect(html).toContain("105 gap(s) found");
    expect(html).toContain('id="cause-sampling"');
    expect(html).toContain('id="cause-instrumentation"');
    expect(html).toContain("mark mark-missing");
    expect(html).toContain("mark mark-not-emitted");
    expect(html).toContain("npx trailcheck run --filter no-loss");
    expect(html).toContain('class="matrix"');
    expect(html).toContain("400d (needs 6mo)");
    expect(html).toContain("@media print");
  });

  it("times timeline rows from the run's start as every timeline does, whole milliseconds truncated", () => {
    const timed = run();
    const at = [0, 1.999, 1234.568]; // milliseconds to the microsecond, as `timelineOf` stores them
    const actions = at.map((offsetMs, i) => ({ ...timed.actions[i % 2]!, offsetMs }));
    const page = formatHtml(results([test("a", [gap()], { runs: [{ ...timed, actions }] })]));
    const offsets = [...page.matchAll(/<td class="mono muted">(\+[^<]*)<\/td>/g)].map((m) => m[1]);
    expect(offsets).toEqual(["+0.000s", "+0.001s", "+1.234s"]);
  });
});
