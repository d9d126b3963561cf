import type { Command } from "commander";
import { InputError } from "../errors.js";
import { durationNanos, parseDuration } from "../model/duration.js";
import type { Profile } from "../model/profile.js";

export type OutputFormat = "text" | "json";

export function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new InputError("bad-option", `--format must be text or json, not '${value}'`);
}

/**
 * `--audit-after DURATION`; by default the audit happens when the profile's minimum retention ends,
 * which is when a regulator may still ask.
 */
export function auditAfter(value: string | undefined, profile: Profile): { ns: bigint; text: string } {
  const text = value ?? profile.retention.minimum ?? "0s";
  const ns = durationNanos(text);
  if (ns === undefined) {
    throw new InputError(
      "bad-option",
      `--audit-after must be a duration such as 30d, 6mo, 1y or 12h, not '${text}'`,
    );
  }
  return { ns, text };
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

/** The options every verb that reads a logging config shares. */
export function addLoggingOptions(command: Command): Command {
  return command
    .option("--logging <file>", "native logging config (YAML)")
    .option("--otelcol <file>", "OpenTelemetry Collector config, repeatable and merged in order", collect)
    .option("--storage <file>", "with --otelcol: retention, correlation and integrity per exporter")
    .option(
      "--profile <name|file>",
      "compliance profile (default: the config's `compliance`, else reconstructable)",
    );
}

/** `--timeout DURATION` for an agent run, in milliseconds; one minute by default. */
export function timeoutMs(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const ns = parseDuration(text);
  if (ns === undefined || ns === 0n) {
    throw new InputError(
      "bad-option",
      `--timeout must be a duration such as 30s, 2m or 500ms, not '${text}'`,
    );
  }
  return Number(ns / 1_000_000n);
}
