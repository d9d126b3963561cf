// The report at the scale of a real incident history: its weight follows the distinct findings and
// the failing incidents, not the passing incidents, the repeated gaps or the skipped tests.
import { describe, expect, it } from "vitest";
import { gap, results, run, test } from "../testing/report-results.js";
import { formatHtml } from "./html.js";
import { formatJunit } from "./junit.js";
import { formatSummary, MAX_SUMMARY, SUMMARY_FINDINGS } from "./markdown.js";
import type { Results, TestEntry } from "./results.js";

const id = (n: number) => `INC-${String(n).padStart(4, "0")}`;
const lostRun = () => [
  gap({ action: { kind: "agent", name: "support-agent" } }),
  gap(),
  gap({ action: { kind: "policy", name: "refund-limit" }, severity: "critical" }),
];
const incidents = (n: number, failing: number, from = 1): TestEntry[] =>
  Array.from({ length: n }, (_, i) =>
    test(id(from + i), i < failing ? lostRun() : [], {
      runs: [run(i < failing ? "missing" : "present")],
      source: `incidents/${id(from + i)}.yaml`,
    }),
  );
const skipped = (n: number, reason: string): TestEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `test:suites/replays.test.ts > incident replays > replay ${id(i + 1)}`,
    name: `incident replays > replay ${id(i + 1)}`,
    file: "suites/replays.test.ts",
    state: "skipped",
    durationMs: 0,
    kind: "test",
    failures: [],
    skipReason: reason,
  }));
const bytes = (r: Results) => Buffer.byteLength(formatHtml(r));
const NO_AGENT = "the incident does not say which agent it was recorded from (replay.agent)";

describe("index.html at scale", () => {
  it("a passing incident costs a line, a failing one a line with its findings; repeated gaps add no row", () => {
    const base = bytes(results(incidents(100, 50)));
    const morePassing = bytes(results(incidents(100, 50).concat(incidents(900, 0, 101))));
    const moreFailing = bytes(results(incidents(100, 50).concat(incidents(900, 900, 101))));
    expect((morePassing - base) / 900).toBeLessThan(400);
    expect((moreFailing - base) / 900).toBeLessThan(1_200);
    const html = formatHtml(results(incidents(1000, 800)));
    expect(html.match(/<tr id="finding-/g)).toHaveLength(3);
    expect(html).toContain("+797 more");
  });

  it("lists failing incidents first; a passing one is a closed line, most of them without their run", () => {
    const html = formatHtml(results(incidents(300, 100).reverse()));
    const failing = html.indexOf('<h3 class="state-failed">Failing (100)</h3>');
    const passing = html.indexOf('<h3 class="state-passed">Passing (200)</h3>');
    expect(failing).toBeGreaterThan(0);
    expect(passing).toBeGreaterThan(failing);
    expect(html.slice(failing, passing)).not.toContain("passing");
    const lines = html.slice(passing).match(/<details class="card incident passing" id="incident-INC-\d+">/g);
    expect(lines).toHaveLength(200);
    expect(html.slice(passing)).toContain("The recorded run is in <code>incidents/INC-0300.yaml</code>");
    expect(html.slice(passing).match(/<table class="timeline">/g)?.length).toBeLessThan(20);
  });

  it("collapses tests skipped for one reason into one line with the count", () => {
    const html = formatHtml(
      results([...incidents(2, 1), ...skipped(1000, NO_AGENT), ...skipped(3, "no scenario")]),
    );
    const from = html.indexOf('<h2 id="not-run">');
    const notRun = html.slice(from, html.indexOf("<h2", from + 1));
    expect(notRun.match(/<tr>/g)).toHaveLength(2);
    expect(notRun).toContain(
      "<b>1000</b></td><td><b>incident replays</b>: the incident does not say which agent",
    );
    expect(notRun).toContain("and 995 more");
    expect(html).not.toContain('<h2 id="tests">');
  });
});

describe("index.html against a baseline", () => {
  it("keeps an unchanged finding that spread in view, and marks the incidents it is new in", () => {
    const before = results(incidents(10, 5));
    const html = formatHtml(results(incidents(10, 8), [], before));
    expect(html).toMatch(/<details class="card findings findings-unchanged" id="findings-unchanged" open>/);
    expect(html).toContain("+3 new gaps");
    const spread = html.slice(html.indexOf('id="incident-INC-0006"'), html.indexOf('id="incident-INC-0007"'));
    expect(spread).toContain("(new here)");
    const old = html.slice(html.indexOf('id="incident-INC-0001"'), html.indexOf('id="incident-INC-0002"'));
    expect(old).not.toContain("(new here)");
  });

  it("folds unchanged findings away when others are new or fixed", () => {
    const before = results(incidents(10, 5));
    const now = results(
      [...incidents(10, 5), test(id(11), [gap({ cause: "filter", stage: "all/filter[0]" })])],
      [],
      before,
    );
    const html = formatHtml(now);
    expect(html).toMatch(/<details class="card findings findings-new" id="findings-new" open>/);
    expect(html).toMatch(/<details class="card findings findings-unchanged" id="findings-unchanged">/);
  });
});

describe("tests that failed without a gap", () => {
  it("are one line per failure, with its count, in the page and the summary", () => {
    const broken = Array.from(
      { length: 500 },
      (_, i): TestEntry => ({
        ...test(id(i + 1), []),
        state: "failed",
        failures: ["logging.yaml:3:5 (streams): expected an array\n  streams: {}"],
      }),
    );
    const r = results([...broken, ...incidents(3, 1, 501)]);
    const html = formatHtml(r);
    const section = html.slice(
      html.indexOf('id="failed-without-gaps"'),
      html.indexOf("</section>", html.indexOf('id="failed-without-gaps"')),
    );
    expect(section.match(/<tr>/g)).toHaveLength(1);
    expect(section).toContain(
      "<b>500</b></td><td><b>incidents</b>: logging.yaml:3:5 (streams): expected an array",
    );
    expect(section).toContain("  streams: {}");
    expect(formatSummary(r)).toContain(
      "- **500** incidents: logging.yaml\\:3\\:5 \\(streams\\)\\: expected an array\n",
    );
  });
});

describe("summary.md at scale", () => {
  it("leads with the first ten new findings, then says how many more, within a comment's limit", () => {
    const wide = (i: number) =>
      gap({
        action: { kind: "tool", name: `tool_${i}_${"x".repeat(400)}` },
        hint: `h${i} ${"y".repeat(2_000)}`,
        message: "m".repeat(2_000),
      });
    const tests = Array.from({ length: 2000 }, (_, i) => test(id(i + 1), [wide(i), wide(i + 5000)]));
    const big = results([...tests, ...skipped(1000, NO_AGENT)], ["e".repeat(100_000)], results([]));
    const text = formatSummary(big);
    expect(text.length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(text.split("\n")[2]).toMatch(
      /^\*\*Against the baseline\*\* .*: 4000 new · 0 fixed · 0 unchanged finding/,
    );
    expect(text.split("\n")[4]).toBe("### New findings");
    expect(text.match(/^\| F\d+ \|/gm)).toHaveLength(SUMMARY_FINDINGS);
    expect(text).toContain("…and 3990 more in the [full report](index.html#findings-new).");
    expect(text).toContain(`- **1000** incident replays: ${NO_AGENT.replace(/[()]/g, (c) => `\\${c}`)}`);
    expect(text).toMatch(/Full report: \[index\.html\]\(index\.html\)/);
  });
});

describe("junit.xml at scale", () => {
  it("one testcase per test; a failure names each finding once, a skip its reason", () => {
    const many = results([...incidents(1000, 800), ...skipped(50, NO_AGENT)]);
    const xml = formatJunit(many);
    expect(xml.match(/<testcase /g)).toHaveLength(1050);
    expect(xml.match(/<skipped message="the incident does not say/g)).toHaveLength(50);
    const failure = xml.slice(xml.indexOf("<failure "), xml.indexOf("</failure>"));
    expect(failure).toContain('message="3 gap(s) in 3 finding(s): sampling"');
    expect(failure.match(/fix \(sampling\): keep it/g)).toHaveLength(1);
    expect(Buffer.byteLength(xml) / 1050).toBeLessThan(1_000);
  });
});
