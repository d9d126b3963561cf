import type { Command } from "commander";
import { InputError } from "../errors.js";
import { LIMITS } from "../project/defaults.js";
import { wholeNumber } from "../project/environment.js";
import type { ProjectFlags } from "../project/project.js";

export type OutputFormat = "text" | "json";

export function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new InputError("bad-option", `--format must be text or json, not '${value}'`);
}

/** Writes a JSON document to stdout the same way for every verb. */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
}

/** Commander collector for repeatable options (`--otelcol a.yaml --otelcol b.yaml`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--config FILE`: every verb that reads the project takes it. */
export function addConfigOption(command: Command): Command {
  return command.option(
    "--config <file>",
    "project config (default: $TRAILCHECK_CONFIG, else trailcheck.config.yaml in the working directory)",
  );
}

/** The options every verb that reads a logging config shares. */
export function addLoggingOptions(command: Command): Command {
  return addConfigOption(command)
    .option("--logging <file>", "native logging config (YAML; default: the project's `logging`)")
    .option("--otelcol <file>", "OpenTelemetry Collector config, repeatable and merged in order", collect)
    .option("--storage <file>", "with --otelcol: retention, correlation and integrity per exporter")
    .option(
      "--profile <name|file>",
      "compliance profile (default: the project's `profile`, else the logging config's `compliance`, else reconstructable)",
    );
}

/** The flags as commander hands them to an action: text, as typed. */
export interface SettingsFlags {
  config?: string;
  logging?: string;
  otelcol?: string[];
  storage?: string;
  profile?: string;
  auditAfter?: string;
  runs?: string;
  seed?: string;
  timeout?: string;
  dir?: string;
  output?: string;
}

/** A verb's flags as settings for `resolveProject`: numbers parsed, the rest as typed. */
export function projectFlags(flags: SettingsFlags): ProjectFlags {
  const out: { -readonly [K in keyof ProjectFlags]: ProjectFlags[K] } = {};
  if (flags.config !== undefined) out.config = flags.config;
  if (flags.logging !== undefined) out.logging = flags.logging;
  if (flags.otelcol?.length) out.otelcol = flags.otelcol;
  if (flags.storage !== undefined) out.storage = flags.storage;
  if (flags.profile !== undefined) out.profile = flags.profile;
  if (flags.auditAfter !== undefined) out.auditAfter = flags.auditAfter;
  if (flags.runs !== undefined) out.numRuns = wholeNumber(flags.runs, "--runs", LIMITS.numRuns);
  if (flags.seed !== undefined) out.seed = wholeNumber(flags.seed, "--seed", LIMITS.seed);
  if (flags.timeout !== undefined) out.timeout = flags.timeout;
  if (flags.dir !== undefined) out.incidents = flags.dir;
  if (flags.output !== undefined) out.output = flags.output;
  return out;
}
