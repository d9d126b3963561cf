import type { Gap, RunVerdict, Severity } from "../model/gap.js";
import { escapeTerminal } from "../text/escape.js";

const useColor = () => process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);

const SEVERITY_COLOR: Record<Severity, number> = { critical: 31, high: 31, medium: 33, low: 36 };

export function gapLine(gap: Gap): string {
  const sev = paint(SEVERITY_COLOR[gap.severity], gap.severity.padEnd(8));
  return [
    `  ${sev} ${gap.cause.padEnd(15)} ${gap.action.kind}:${escapeTerminal(gap.action.name)}.${gap.fact}  @ ${escapeTerminal(gap.stage)}`,
    `           ${escapeTerminal(gap.message)}`,
    `           fix: ${escapeTerminal(gap.hint)}`,
  ].join("\n");
}

/** The text a person reads after `trailcheck check`. */
export function formatVerdicts(verdicts: readonly RunVerdict[], header: string[]): string {
  const lines = [...header, ""];
  for (const v of verdicts) lines.push(...formatVerdictLines(v));
  const failing = verdicts.filter((v) => !v.reconstructable).length;
  const total = verdicts.reduce((n, v) => n + v.gaps.length, 0);
  lines.push("", formatVerdictTotals(verdicts.length, failing, total));
  return `${lines.join("\n")}\n`;
}

/** One run's lines of `formatVerdicts`: its mark, then one line per gap. */
export function formatVerdictLines(v: RunVerdict): string[] {
  const mark = v.reconstructable ? paint(32, "reconstructable") : paint(31, `${v.gaps.length} gap(s)`);
  return [`run ${v.traceId}: ${mark}`, ...v.gaps.map((g) => gapLine(g))];
}

/** The closing line of `formatVerdicts`. */
export function formatVerdictTotals(runs: number, failing: number, gaps: number): string {
  return failing === 0
    ? paint(32, `all ${runs} run(s) reconstructable`)
    : paint(31, `${failing} of ${runs} run(s) not reconstructable, ${gaps} gap(s)`);
}
