import { loadLoggingSource } from "../config/source.js";
import { ExitCode } from "../errors.js";
import { readKeyFile } from "../integrity/cli-support.js";
import { resolveProfile } from "../profiles/resolve.js";
import { audit } from "./audit.js";
import { formatAuditText } from "./format-text.js";
import { readLedgerEvidence } from "./ledger-evidence.js";
import { openStore } from "./open-store.js";
import { type AuditFlags, resolveAuditSettings } from "./settings.js";
import { resolveWindow } from "./window.js";

/** Where `trailcheck audit` writes and what its clock says: the process by default, captured in tests. */
export interface AuditIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly clock: () => Date;
}

const processIo = (): AuditIo => ({
  cwd: process.cwd(),
  out: (s) => process.stdout.write(s),
  clock: () => new Date(),
});

/** `trailcheck audit`: exit 0 with no alert, 1 with one, 2 on bad input (thrown as InputError). */
export async function runAuditCommand(flags: AuditFlags, io: AuditIo = processIo()): Promise<number> {
  const settings = await resolveAuditSettings(flags, io.cwd);
  const window = resolveWindow(settings.window, io.clock);
  const hasLogging = settings.logging.logging !== undefined || (settings.logging.otelcol?.length ?? 0) > 0;
  const logging = hasLogging ? await loadLoggingSource(settings.logging) : undefined;
  const profile = await resolveProfile(
    settings.profile ?? logging?.config.compliance,
    settings.profile ? undefined : logging?.label,
  );
  const stores = await Promise.all(settings.stores.map((spec) => openStore(spec, settings.storeBase)));
  const ledgerKey = settings.ledgerKey ? await readKeyFile(settings.ledgerKey, "public") : undefined;
  const ledgers = await Promise.all(
    settings.ledgers.map((dir) =>
      readLedgerEvidence(dir, { ...(ledgerKey ? { publicKey: ledgerKey } : {}), now: window.now }),
    ),
  );
  const { report } = await audit({
    stores,
    window,
    profile,
    alerts: { minRuns: settings.minRuns, alpha: settings.alpha },
    allRuns: settings.allRuns,
    ledgers,
  });
  if (settings.format === "json") io.out(`${JSON.stringify(report, null, 2)}\n`);
  else io.out(formatAuditText(report));
  return report.agents.some((a) => a.alert !== null) ? ExitCode.gaps : ExitCode.ok;
}
