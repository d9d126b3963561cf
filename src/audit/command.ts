import { loadLoggingSource } from "../config/source.js";
import { ExitCode, InputError } from "../errors.js";
import { readKeyFile } from "../integrity/cli-support.js";
import { resolveProfile } from "../profiles/resolve.js";
import { pipelineExplainer } from "./attribution.js";
import { audit } from "./audit.js";
import { readAuditState, updateEpisodes, writeAuditState } from "./episodes.js";
import { auditHeadline, formatAuditText } from "./format-text.js";
import { readLedgerEvidence } from "./ledger-evidence.js";
import { openStore } from "./open-store.js";
import { formatOpenMetrics } from "./openmetrics.js";
import { type AuditFlags, resolveAuditSettings } from "./settings.js";
import { type AuditStore, groupsRuns, type JudgedRun } from "./store.js";
import { resolveWindow } from "./window.js";
import { auditJsonText, writeAuditOutput } from "./write-output.js";

/** Where `trailcheck audit` writes and what its clock says: the process by default, captured in tests. */
export interface AuditIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  /** Notes beside the report (what --write-results wrote); standard error by default. */
  readonly err?: (text: string) => void;
  readonly clock: () => Date;
}

const processIo = (): AuditIo => ({
  cwd: process.cwd(),
  out: (s) => process.stdout.write(s),
  clock: () => new Date(),
});

/**
 * `trailcheck audit`: exit 0 with no open alert, 1 with one (an alert now, or with `--state` an
 * episode still open), a store whose retention fails the profile, a store or ledger that fails
 * verification, or a store that holds no run of the window or the baseline (nothing of it was audited:
 * an empty store is no all-clear); 2 on bad input (thrown as InputError).
 */
export async function runAuditCommand(flags: AuditFlags, io: AuditIo = processIo()): Promise<number> {
  const settings = await resolveAuditSettings(flags, io.cwd);
  const window = resolveWindow(settings.window, io.clock);
  const hasLogging = settings.logging.logging !== undefined || (settings.logging.otelcol?.length ?? 0) > 0;
  const logging = hasLogging ? await loadLoggingSource(settings.logging) : undefined;
  const profile = await resolveProfile(
    settings.profile ?? logging?.config.compliance,
    settings.profile ? undefined : logging?.label,
  );
  // Read before the stores: a damaged state file stops the audit before any work.
  const state = settings.state ? await readAuditState(settings.state) : undefined;
  const stores: AuditStore[] = [];
  try {
    for (const spec of settings.stores) stores.push(await openStore(spec, settings.storeBase));
    const grouping = stores.find(groupsRuns);
    if (settings.writeResults && !grouping?.writeResults) {
      throw new InputError(
        "bad-option",
        "--write-results stores verdicts beside the spans in ClickHouse: it needs a clickhouse://, https:// or chdb: store",
      );
    }
    const ledgerKey = settings.ledgerKey ? await readKeyFile(settings.ledgerKey, "public") : undefined;
    const ledgers = await Promise.all(
      settings.ledgers.map((dir) =>
        readLedgerEvidence(dir, { ...(ledgerKey ? { publicKey: ledgerKey } : {}), now: window.now }),
      ),
    );
    const judged: JudgedRun[] = [];
    const outcome = await audit({
      stores,
      window,
      profile,
      alerts: { minRuns: settings.minRuns, alpha: settings.alpha },
      allRuns: settings.allRuns,
      ledgers,
      keepRecords: settings.output !== undefined,
      ...(logging
        ? {
            explain: {
              label: logging.label,
              explainer: pipelineExplainer(logging.config, logging.label, window.now),
            },
          }
        : {}),
      ...(settings.writeResults
        ? {
            onJudged: (facts, judgement) =>
              judged.push({ ...facts, verdict: judgement.verdict, reasons: judgement.reasons }),
          }
        : {}),
    });
    let report = outcome.report;
    if (state && settings.state) {
      const episodes = updateEpisodes(state.episodes, report.agents, report.window.to);
      await writeAuditState(settings.state, { version: 1, episodes });
      report = { ...report, episodes };
    }
    if (settings.output) await writeAuditOutput(settings.output, { ...outcome, report });
    if (settings.format === "json") io.out(auditJsonText(report));
    else if (settings.format === "openmetrics") io.out(formatOpenMetrics(report));
    else io.out(formatAuditText(report));
    if (settings.writeResults && grouping?.writeResults) {
      const query = { window, profile, bucketNs: 1n, everyRun: false, traceIds: new Set<string>() };
      const written = await grouping.writeResults(query, judged, io.clock());
      (io.err ?? ((t) => process.stderr.write(t)))(
        `wrote ${written.rows} run verdict(s) into ${written.table}\n`,
      );
    }
    // A store that keeps records shorter than the profile requires is a gap, as in a logging config;
    // so is evidence that fails verification, even when no run it names was audited.
    const damaged = ledgers.flatMap((l) => (l.damage ? [l.damage] : []));
    for (const message of damaged) (io.err ?? ((t) => process.stderr.write(t)))(`trailcheck: ${message}\n`);
    return auditHeadline(report).failing ? ExitCode.gaps : ExitCode.ok;
  } finally {
    for (const store of stores) if (groupsRuns(store)) await store.close();
  }
}
