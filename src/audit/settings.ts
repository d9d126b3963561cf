import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import { resolveProject } from "../project/project.js";

/** The flags of `trailcheck audit`, as commander parses them. */
export interface AuditFlags {
  store?: string[];
  from?: string;
  to?: string;
  now?: string;
  baseline?: string;
  grace?: string;
  minRuns?: string;
  alpha?: string;
  profile?: string;
  state?: string;
  allRuns?: boolean;
  writeResults?: boolean;
  format?: string;
  output?: string;
  logging?: string;
  otelcol?: string[];
  storage?: string;
  config?: string;
  ledger?: string[];
  ledgerKey?: string;
}

/** Every setting the audit runs with, resolved: flags first, then `audit:`, then the defaults. */
export interface AuditSettings {
  readonly stores: readonly string[];
  /** Where relative store paths are resolved: the config's folder for specs from the file. */
  readonly storeBase: string;
  readonly window: { from?: string; to?: string; now?: string; baseline?: string; grace?: string };
  readonly minRuns: number;
  readonly alpha: number;
  readonly profile?: string;
  readonly state?: string;
  readonly output?: string;
  readonly format: "text" | "json" | "openmetrics";
  readonly allRuns: boolean;
  /** Store each audited run's verdict beside the spans (a ClickHouse store). */
  readonly writeResults: boolean;
  readonly logging: { logging?: string; otelcol?: string[]; storage?: string };
  /** Guard ledger directories (`--ledger`) and the public key of signed ones (`--ledger-key`). */
  readonly ledgers: readonly string[];
  readonly ledgerKey?: string;
}

export const AUDIT_DEFAULTS = { minRuns: 50, alpha: 0.001 } as const;

function number(text: string, flag: string, integer: boolean): number {
  const n = Number(text);
  const ok = integer
    ? /^\d+$/.test(text.trim()) && n >= 1 && Number.isSafeInteger(n)
    : Number.isFinite(n) && n > 0 && n < 1;
  if (!ok) {
    throw new InputError(
      "bad-option",
      `${flag} must be ${integer ? "a whole number ≥ 1" : "a probability between 0 and 1"}, not '${text}'`,
    );
  }
  return n;
}

/** Resolves the audit's settings from the flags and the project's `audit:` section. */
export async function resolveAuditSettings(
  flags: AuditFlags,
  cwd: string = process.cwd(),
): Promise<AuditSettings> {
  const project = await resolveProject({
    flags: {
      ...(flags.config !== undefined ? { config: flags.config } : {}),
      ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    },
    cwd,
  });
  const audit = project.audit ?? {};
  const root = project.root;
  const at = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(root, p));
  const fromFlags = (flags.store?.length ?? 0) > 0;
  const stores = fromFlags ? flags.store! : (audit.stores ?? []);
  if (stores.length === 0) {
    throw new InputError(
      "bad-option",
      "name at least one store: --store SPEC (file:, s3:, otlp:, agents:, sealed:), or audit.stores in trailcheck.config.yaml",
    );
  }
  const format = flags.format ?? audit.format ?? "text";
  if (format !== "text" && format !== "json" && format !== "openmetrics") {
    throw new InputError("bad-option", `--format must be text, json or openmetrics, not '${format}'`);
  }
  const useFlagsLogging = flags.logging !== undefined || (flags.otelcol?.length ?? 0) > 0;
  const logging = useFlagsLogging
    ? { logging: flags.logging, otelcol: flags.otelcol, storage: flags.storage }
    : { logging: at(audit.logging), otelcol: audit.otelcol?.map((p) => at(p)!), storage: at(audit.storage) };
  // `audit.profile` comes between `--profile` and the project's `profile:` (already resolved to a path).
  const profileSpec =
    flags.profile !== undefined || audit.profile === undefined ? project.profile : audit.profile;
  const fileProfile =
    flags.profile === undefined && audit.profile !== undefined && /\.(ya?ml|json)$/i.test(audit.profile);
  return {
    stores,
    storeBase: fromFlags ? cwd : root,
    window: {
      from: flags.from ?? audit.from,
      to: flags.to ?? audit.to,
      now: flags.now,
      baseline: flags.baseline ?? audit.baseline,
      grace: flags.grace ?? audit.grace,
    },
    minRuns:
      flags.minRuns !== undefined
        ? number(flags.minRuns, "--min-runs", true)
        : (audit.minRuns ?? AUDIT_DEFAULTS.minRuns),
    alpha:
      flags.alpha !== undefined
        ? number(flags.alpha, "--alpha", false)
        : (audit.alpha ?? AUDIT_DEFAULTS.alpha),
    ...(profileSpec !== undefined ? { profile: fileProfile ? at(profileSpec) : profileSpec } : {}),
    ...((flags.state ?? audit.state) !== undefined ? { state: flags.state ?? at(audit.state) } : {}),
    ...((flags.output ?? audit.output) !== undefined ? { output: flags.output ?? at(audit.output) } : {}),
    format,
    allRuns: flags.allRuns ?? audit.allRuns ?? false,
    writeResults: flags.writeResults ?? audit.writeResults ?? false,
    logging: Object.fromEntries(Object.entries(logging).filter(([, v]) => v !== undefined)),
    ledgers: flags.ledger ?? [],
    ...(flags.ledgerKey !== undefined ? { ledgerKey: flags.ledgerKey } : {}),
  };
}
