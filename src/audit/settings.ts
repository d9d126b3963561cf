import { access } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { loadYaml } from "../yaml/load.js";

/** `audit:` in trailcheck.config.yaml: the same settings as the flags; paths relative to the file. */
export const AuditConfigSchema = z.strictObject({
  /** Store specs, as `--store` takes them. */
  stores: z.array(z.string().min(1)).min(1).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  baseline: z.string().optional(),
  grace: z.string().optional(),
  minRuns: z.number().int().min(1).optional(),
  alpha: z.number().gt(0).lt(1).optional(),
  profile: z.string().min(1).optional(),
  /** Alert episodes are kept in this file between audits. */
  state: z.string().min(1).optional(),
  /** `--output DIR`: audit.json, audit.prom and audit.html. */
  output: z.string().min(1).optional(),
  format: z.enum(["text", "json", "openmetrics"]).optional(),
  allRuns: z.boolean().optional(),
  /** The pipeline the stores were written by, to attribute each loss to a stage. */
  logging: z.string().min(1).optional(),
  otelcol: z.array(z.string().min(1)).optional(),
  storage: z.string().min(1).optional(),
});
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

const ConfigFileSchema = z.looseObject({
  audit: AuditConfigSchema.optional(),
  profile: z.string().optional(),
});

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
  format?: string;
  output?: string;
  logging?: string;
  otelcol?: string[];
  storage?: string;
  config?: string;
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
  readonly logging: { logging?: string; otelcol?: string[]; storage?: string };
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

async function readConfig(flags: AuditFlags, cwd: string) {
  const file = flags.config ? resolve(cwd, flags.config) : resolve(cwd, "trailcheck.config.yaml");
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    if (flags.config)
      throw new InputError("file-not-found", "the project config does not exist", { file: flags.config });
    return { file: undefined, audit: undefined, profile: undefined };
  }
  const parsed = await loadYaml(file, ConfigFileSchema, "bad-project-config");
  return { file, audit: parsed.audit, profile: parsed.profile };
}

/** Resolves the audit's settings from the flags and the project's `audit:` section. */
export async function resolveAuditSettings(
  flags: AuditFlags,
  cwd: string = process.cwd(),
): Promise<AuditSettings> {
  const { file, audit = {}, profile } = await readConfig(flags, cwd);
  const root = file ? dirname(file) : cwd;
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
  const profileSpec = flags.profile ?? audit.profile ?? profile;
  const fileProfile =
    flags.profile === undefined && profileSpec !== undefined && /\.(ya?ml|json)$/i.test(profileSpec);
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
    logging: Object.fromEntries(Object.entries(logging).filter(([, v]) => v !== undefined)),
  };
}
