import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import { gapLine } from "../report/terminal.js";
import { checkProperties, type PropertiesResult, type PropertyOptions } from "../synth/properties.js";
import { formatRunTimeline } from "./timeline.js";

/** A property check that failed; `result` holds the counterexample, `message` the readable report. */
export class PropertiesFailure extends Error {
  readonly code = "property-failed";
  constructor(readonly result: PropertiesResult) {
    super(formatPropertiesFailure(result));
    this.name = "PropertiesFailure";
  }
}

/** `checkProperties` that throws a `PropertiesFailure` with a readable report when a property fails. */
export function assertProperties(config: LoggingConfig, profile: Profile, options: PropertyOptions): void {
  const result = checkProperties(config, profile, options);
  if (result.failed) throw new PropertiesFailure(result);
}

/** The report a person reads: broken properties, the minimal run as a timeline, its gaps, seed, path, replay. */
export function formatPropertiesFailure(result: PropertiesResult): string {
  const c = result.counterexample;
  if (!result.failed || !c) return `all properties hold over ${result.runs} run(s) (seed ${result.seed})`;
  const lines: string[] = [];
  const names = c.violations.map((v) => v.title);
  lines.push(
    result.error
      ? `trailcheck threw on a generated run after ${result.runs} run(s) (shrunk ${result.shrinks} times)`
      : `${names.length} propert${names.length === 1 ? "y" : "ies"} broken after ${result.runs} run(s), shrunk ${result.shrinks} times:`,
  );
  for (const v of c.violations) lines.push(`  ✗ ${v.title} (${v.property}): ${v.gaps.length} gap(s)`);
  lines.push("", "minimal run:");
  for (const line of formatRunTimeline(c.run.records)) lines.push(`  ${line}`);
  lines.push("", `gaps (${c.gaps.length}):`);
  for (const gap of c.gaps) lines.push(gapLine(gap));
  if (result.error) lines.push("", `error: ${result.error}`);
  lines.push("", `seed ${result.seed} · path ${result.path ?? "-"}`);
  if (result.replay) lines.push(`replay: ${result.replay}`);
  return lines.join("\n");
}
