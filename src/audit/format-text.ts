import { escapeTerminal } from "../text/escape.js";
import type { AgentSummary, AuditReport } from "./schema.js";

/** Said of a store that holds no run of the window or the baseline. */
export const EMPTY_STORE =
  "NOTHING TO AUDIT: no run that started in the window or the baseline has a span in this store (an empty store is no all-clear: is the path right, is the exporter writing?)";

/** How many runs the terminal view lists; the JSON output has them all. */
const MAX_RUNS = 20;

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

/**
 * The baseline rate as shown: none when the baseline finished no run. The rate the window is tested
 * against is (k+1)/(n+2), which reads 50% for an agent the baseline never saw; that is no baseline.
 */
export function shownBaseline(a: AgentSummary): number | null {
  return a.baselineRuns.reconstructable + a.baselineRuns.incomplete > 0 ? a.baselineRate : null;
}

/**
 * Agents with incomplete runs in the window and no alert because the window finished fewer runs than
 * `--min-runs`: the rate was never tested, which is no all-clear, so every view says so.
 */
export function untestedAgents(report: AuditReport): AgentSummary[] {
  return report.agents.filter(
    (a) =>
      a.alert === null &&
      a.runs.incomplete > 0 &&
      a.runs.reconstructable + a.runs.incomplete < report.settings.minRuns,
  );
}

/** Why an agent of untestedAgents has no rate alert. */
export function untestedMessage(a: AgentSummary, minRuns: number): string {
  const finished = a.runs.reconstructable + a.runs.incomplete;
  return `${a.runs.incomplete} of ${finished} finished runs incomplete; not tested for a rate alert, which needs ${minRuns} finished runs in the window (--min-runs)`;
}

/**
 * The audit's verdict in one line, for the terminal and the page: what makes it exit 1 (an alert, an
 * open episode, a store with nothing to audit, retention or verification failing, a `--ledger` failing
 * verification), then agents whose incomplete runs were too few to test (no gap by the alert rule, but
 * no all-clear either); else "no alert".
 */
export function auditHeadline(report: AuditReport): { text: string; failing: boolean; untested: number } {
  const count = (n: number, what: string) => (n > 0 ? [`${n} ${what}`] : []);
  const failing = [
    ...count(report.agents.filter((a) => a.alert).length, "agent(s) alerting"),
    ...count(report.episodes.filter((e) => e.end === null).length, "episode(s) open"),
    ...count(report.stores.filter((s) => s.runs === 0).length, "store(s) with nothing to audit"),
    ...count(report.stores.filter((s) => s.retention?.ok === false).length, "store(s) failing retention"),
    ...count(
      report.stores.filter((s) => s.integrity?.valid === false).length,
      "store(s) failing verification",
    ),
    ...count(report.ledgers.filter((l) => !l.valid).length, "ledger(s) failing verification"),
  ];
  const untested = untestedAgents(report).length;
  const parts = [...failing, ...count(untested, "agent(s) with incomplete runs too few to test")];
  return { text: parts.join("; ") || "no alert", failing: failing.length > 0, untested };
}

export function agentLabel(a: { service: string; agent: string }): string {
  const service = a.service || "(no service.name)";
  return a.agent ? `${service} / ${a.agent}` : service;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

function agentRows(agents: readonly AgentSummary[]): string[] {
  const rows = [["agent", "runs", "incomplete", "pending", "rate", "baseline", "alert"]];
  for (const a of agents) {
    const total = a.runs.reconstructable + a.runs.incomplete + a.runs.pending;
    rows.push([
      escapeTerminal(agentLabel(a)),
      String(total),
      String(a.runs.incomplete),
      String(a.runs.pending),
      pct(a.incompleteRate),
      pct(shownBaseline(a)),
      a.alert ? `ALERT ${a.alert.kind}` : "",
    ]);
  }
  return table(rows);
}

/** The terminal view: the window, the stores, each agent with its alert, then the worst runs. */
export function formatAuditText(report: AuditReport): string {
  const lines = [
    `trailcheck audit · window ${report.window.from} – ${report.window.to} · baseline from ${report.baseline.from} · profile ${report.profile}`,
    ...report.stores.map(
      (s) =>
        `store ${escapeTerminal(s.spec)}: ${s.read} read, ${s.skipped} skipped, ${s.spans} spans${s.edge ? `, oldest record ${s.edge}` : ""}${
          s.integrity
            ? s.integrity.valid
              ? ", verified"
              : `, FAILS VERIFICATION (${s.integrity.findings.length} finding(s))`
            : ""
        }${s.retention ? `\n  retention${s.retention.ok ? "" : " FAILS THE PROFILE"}: ${escapeTerminal(s.retention.message)}` : ""}${s.runs === 0 ? `\n  ${EMPTY_STORE}` : ""}`,
    ),
    ...report.ledgers.map(
      (l) =>
        `${escapeTerminal(l.name)}: ${l.valid ? "verified" : `FAILS VERIFICATION: ${escapeTerminal(l.message ?? "")}`}`,
    ),
    "",
  ];
  if (report.agents.length === 0) lines.push("no run started in the window or the baseline");
  else lines.push(...agentRows(report.agents));
  for (const a of report.agents) {
    if (a.alert)
      lines.push(
        `  ALERT ${a.alert.kind} ${escapeTerminal(agentLabel(a))}: ${escapeTerminal(a.alert.message)}`,
      );
  }
  for (const a of untestedAgents(report)) {
    lines.push(
      `  NOT TESTED ${escapeTerminal(agentLabel(a))}: ${untestedMessage(a, report.settings.minRuns)}`,
    );
  }
  for (const e of report.episodes.filter((x) => x.end === null)) {
    lines.push(`  open episode since ${e.start}: ${e.kind} ${escapeTerminal(agentLabel(e))}`);
  }
  if (report.runs.length > 0) lines.push("", "runs, worst first:");
  for (const run of report.runs.slice(0, MAX_RUNS)) {
    lines.push(
      `run ${run.traceId} ${run.verdict} · ${escapeTerminal(agentLabel(run))} · started ${run.start}`,
    );
    for (const r of run.reasons) {
      lines.push(
        `  ${r.code.padEnd(21)} ${r.cause.padEnd(11)} ${escapeTerminal(r.message)}${r.stage ? ` @ ${escapeTerminal(r.stage)}` : ""}`,
      );
    }
    if (run.verdict === "pending")
      lines.push("  no root yet; the latest span is younger than the grace period");
    if (run.verdict === "incomplete" && run.incident) lines.push(`  make it an incident: ${run.incident}`);
  }
  if (report.runs.length > MAX_RUNS)
    lines.push(`… and ${report.runs.length - MAX_RUNS} more runs (--format json lists every one)`);
  lines.push("", auditHeadline(report).text);
  return `${lines.join("\n")}\n`;
}
