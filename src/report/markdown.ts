import { showHidden } from "../text/escape.js";
import type { Finding } from "./findings.js";
import type { Results } from "./results.js";
import { failedWithoutGapsGroups, notedGroups, skippedGroups, type TestGroup } from "./test-groups.js";

/** How many findings summary.md lists per block before pointing at the HTML report. */
export const SUMMARY_FINDINGS = 10;
/** The most a GitHub pull-request comment holds; summary.md never exceeds it. */
export const MAX_SUMMARY = 65_536;
const MAX_FIELD = 140;
const MAX_LISTED = 5;

/**
 * Span content as inert Markdown: one line, every character Markdown or HTML could act on escaped, and
 * bidirectional controls and invisible characters shown as `<U+202E>`, as in the HTML report: GitHub
 * renders them, so a name could read other than it is.
 */
export function mdEscape(text: string, max = MAX_FIELD): string {
  const line = showHidden(text).replace(/[\n\t\r]+/g, " ");
  const clipped = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  // `:` and `@` too, so no text becomes an autolink; `www.` likewise.
  return clipped
    .replace(/[\\`*_[\]()<>#!|~&:@]/g, (c) => `\\${c}`)
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}\\.`);
}

function findingRow(f: Finding, label: string): string {
  const change = f.status === "unchanged" && f.newGaps ? ` (+${f.newGaps} new gaps)` : "";
  return `| ${label} | ${f.severity} | **${f.cause}** ${mdEscape(`${f.action.kind}:${f.action.name}`, 80)} · ${f.fact} | ${mdEscape(f.stage, 60)} | ${f.tests}${change} | ${f.runs} | ${mdEscape(f.hint)} |`;
}

/** A table of the first `max` findings (labelled as in the HTML report), then how many more it holds. */
function findingTable(
  findings: readonly Finding[],
  all: readonly Finding[],
  max: number,
  link: string,
): string[] {
  if (findings.length === 0) return [];
  const lines = [
    "| | severity | finding | lost at | tests | runs | fix |",
    "|---|---|---|---|---:|---:|---|",
    ...findings.slice(0, max).map((f) => findingRow(f, `F${all.indexOf(f) + 1}`)),
  ];
  if (findings.length > max)
    lines.push("", `…and ${findings.length - max} more in the [full report](${link}).`);
  return [...lines, ""];
}

/** A line per group of tests that share a reason: its count (or its one test's name) and the reason. */
function groupLines(heading: string, groups: readonly TestGroup[]): string[] {
  if (groups.length === 0) return [];
  const lines = [heading, ""];
  for (const g of groups.slice(0, MAX_LISTED)) {
    const who =
      g.count === 1
        ? mdEscape(g.names[0]!, 100)
        : `**${g.count}**${g.suite ? ` ${mdEscape(g.suite, 60)}` : ""}`;
    lines.push(`- ${who}: ${mdEscape(g.reason, 200)}`);
  }
  if (groups.length > MAX_LISTED) lines.push(`- …and ${groups.length - MAX_LISTED} more reason(s)`);
  return [...lines, ""];
}

/**
 * summary.md for a CI job summary or a pull-request comment: the verdict, what changed grouped by
 * finding (the first ten of each kind, then how many more), the totals, the tests that failed without
 * a gap and those that did not run, and a link to the full report at `link`. At most MAX_SUMMARY
 * characters, whatever the number of tests or gaps.
 */
export function formatSummary(results: Results, link = "index.html"): string {
  const t = results.totals;
  const headline =
    results.verdict === "pass"
      ? `✅ all ${t.tests - t.skipped} test(s) passed — every run reconstructable`
      : results.verdict === "agent-failed"
        ? "⛔ the agent under test could not be run"
        : `❌ ${t.gaps} gap(s) in ${t.findings} finding(s) · ${t.failed} of ${t.tests} test(s) failed`;
  const lines = [`## trailcheck: ${headline}`, ""];
  const all = results.findings;
  const b = results.baseline;
  if (b) {
    const of = (status: Finding["status"]) => all.filter((f) => f.status === status);
    const [added, fixed, unchanged] = [of("new"), of("fixed"), of("unchanged")];
    lines.push(
      `**Against the baseline** (${mdEscape(b.file, 80)}): ${added.length} new · ${fixed.length} fixed · ${unchanged.length} unchanged finding(s) — single gaps: ${b.new.length} new · ${b.fixed.length} fixed · ${b.unchanged.length} unchanged`,
      "",
    );
    if (added.length > 0)
      lines.push(
        "### New findings",
        "",
        ...findingTable(added, all, SUMMARY_FINDINGS, `${link}#findings-new`),
      );
    if (fixed.length > 0)
      lines.push(
        "### Fixed findings",
        "",
        ...findingTable(fixed, all, SUMMARY_FINDINGS, `${link}#findings-fixed`),
      );
    const spreading = unchanged.filter((f) => (f.newGaps ?? 0) > 0);
    if (spreading.length > 0) {
      lines.push(
        "### Unchanged findings with new gaps",
        "",
        ...findingTable(spreading, all, MAX_LISTED, `${link}#findings-unchanged`),
      );
    }
  } else if (all.length > 0) {
    lines.push("### Findings", "", ...findingTable(all, all, SUMMARY_FINDINGS, `${link}#findings`));
  }
  lines.push(
    "| tests | passed | failed | skipped | gaps | findings |",
    "|---:|---:|---:|---:|---:|---:|",
    `| ${t.tests} | ${t.passed} | ${t.failed} | ${t.skipped} | ${t.gaps} | ${t.findings} |`,
    "",
  );
  lines.push(
    ...groupLines("### Failed without a gap", failedWithoutGapsGroups(results.tests)),
    ...groupLines("### Not run", skippedGroups(results.tests)),
    ...groupLines("### Notes", notedGroups(results.tests)),
  );
  if (results.errors.length > 0) {
    lines.push(`**${results.errors.length} error(s) outside tests**: ${mdEscape(results.errors[0]!)}`, "");
  }
  const env = results.environment;
  const hashes = env.configFiles
    .slice(0, MAX_LISTED)
    .map((f) => `${mdEscape(f.path, 60)} ${f.sha256.slice(0, 12)}`)
    .join(", ");
  lines.push(
    `Full report: [index.html](${link}) · trailcheck ${mdEscape(env.trailcheck)} · node ${mdEscape(env.node)} · vitest ${mdEscape(env.vitest)}${hashes ? ` · sha256 ${hashes}` : ""}`,
    "",
  );
  return fitComment(lines.join("\n"), link);
}

/** Every part above is bounded; this keeps the promise should a future part not be. */
function fitComment(text: string, link: string): string {
  if (text.length <= MAX_SUMMARY) return text;
  const tail = `\n\n…cut to fit a comment; the rest is in the [full report](${link}).\n`;
  const cut = text.lastIndexOf("\n", MAX_SUMMARY - tail.length);
  return `${text.slice(0, cut)}${tail}`;
}
