import { CAUSES } from "../model/gap.js";
import { gapRefs } from "./baseline.js";
import type { GapRef, Results } from "./results.js";

/** How many gap lines summary.md lists before pointing at the HTML report. */
export const SUMMARY_GAP_LINES = 12;
const MAX_FIELD = 140;

/** Span content as inert Markdown: one line, every character Markdown or HTML could act on escaped. */
export function mdEscape(text: string, max = MAX_FIELD): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  const clipped = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  // `:` and `@` too, so no text becomes an autolink; `www.` likewise.
  return clipped
    .replace(/[\\`*_[\]()<>#!|~&:@]/g, (c) => `\\${c}`)
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}\\.`);
}

function gapLine(g: GapRef): string {
  const count = g.count > 1 ? ` ×${g.count}` : "";
  return `- **${g.cause}** ${mdEscape(`${g.action.kind}:${g.action.name}.${g.fact}`, 80)}${count} in ${mdEscape(g.test, 60)} (${g.severity}) — fix: ${mdEscape(g.hint)}`;
}

function byCause(a: GapRef, b: GapRef): number {
  return CAUSES.indexOf(a.cause) - CAUSES.indexOf(b.cause) || (a.identity < b.identity ? -1 : 1);
}

/** Up to `max` gap lines, then how many more the HTML report holds. */
function capped(gaps: readonly GapRef[], max: number, link: string): string[] {
  const lines = [...gaps].sort(byCause).slice(0, max).map(gapLine);
  if (gaps.length > max) lines.push(`- …and ${gaps.length - max} more in the [full report](${link})`);
  return lines;
}

/**
 * summary.md: the verdict, the totals, the baseline comparison and the first gaps, short enough for a
 * CI job summary or a pull-request comment. The full list is in the HTML report at `link`.
 */
export function formatSummary(results: Results, link = "index.html"): string {
  const t = results.totals;
  const headline =
    results.verdict === "pass"
      ? `✅ all ${t.tests - t.skipped} test(s) passed — every run reconstructable`
      : results.verdict === "agent-failed"
        ? "⛔ the agent under test could not be run"
        : `❌ ${t.gaps} gap(s) · ${t.failed} of ${t.tests} test(s) failed`;
  const lines = [
    `## trailcheck: ${headline}`,
    "",
    "| tests | passed | failed | skipped | gaps |",
    "|---:|---:|---:|---:|---:|",
    `| ${t.tests} | ${t.passed} | ${t.failed} | ${t.skipped} | ${t.gaps} |`,
    "",
  ];
  const b = results.baseline;
  if (b) {
    lines.push(
      `**Against the baseline** (${mdEscape(b.file, 80)}): ${b.new.length} new · ${b.fixed.length} fixed · ${b.unchanged.length} unchanged`,
      "",
    );
    if (b.new.length > 0) lines.push("### New gaps", "", ...capped(b.new, SUMMARY_GAP_LINES, link), "");
    if (b.fixed.length > 0) lines.push("### Fixed", "", ...capped(b.fixed, 5, link), "");
  } else {
    const gaps = gapRefs(results.tests);
    if (gaps.length > 0) lines.push("### Gaps", "", ...capped(gaps, SUMMARY_GAP_LINES, link), "");
  }
  const failedWithoutGaps = results.tests.filter(
    (x) => x.state === "failed" && !(x.result?.verdicts ?? []).some((v) => v.gaps.length > 0),
  );
  if (failedWithoutGaps.length > 0) {
    lines.push("### Failed", "");
    for (const x of failedWithoutGaps.slice(0, 5)) {
      lines.push(`- ${mdEscape(x.name, 100)}: ${mdEscape(x.failures[0]?.split("\n")[0] ?? "failed")}`);
    }
    if (failedWithoutGaps.length > 5) lines.push(`- …and ${failedWithoutGaps.length - 5} more`);
    lines.push("");
  }
  if (results.errors.length > 0) {
    lines.push(`**${results.errors.length} error(s) outside tests**: ${mdEscape(results.errors[0]!)}`, "");
  }
  const env = results.environment;
  const hashes = env.configFiles.map((f) => `${mdEscape(f.path, 60)} ${f.sha256.slice(0, 12)}`).join(", ");
  lines.push(
    `Full report: [index.html](${link}) · trailcheck ${mdEscape(env.trailcheck)} · node ${mdEscape(env.node)} · vitest ${mdEscape(env.vitest)}${hashes ? ` · sha256 ${hashes}` : ""}`,
    "",
  );
  return lines.join("\n");
}
