import { type CheckedRuns, evaluateFacts, type FactOutcome } from "../incidents/fact-outcome.js";
import type { Gap } from "../model/gap.js";
import { escapeTerminal } from "../text/escape.js";

/** The shape both matchers accept: a `checkRecords` result, or an incident's result. */
export type Checked = CheckedRuns & { readonly facts?: readonly FactOutcome[] };

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isChecked(value: unknown): value is Checked {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as Checked).verdicts) &&
    Array.isArray((value as Checked).comparisons)
  );
}

function notChecked(name: string, received: unknown): MatcherResult {
  return {
    pass: false,
    message: () =>
      `${name}() expects the result of checkRecords() or checkIncident() ({ verdicts, comparisons }), got ${
        received === null ? "null" : typeof received
      }`,
  };
}

/** One gap as a failure line: what, why, where, and the fix. */
export function formatGap(gap: Gap): string {
  return [
    `  ✗ ${gap.action.kind}:${escapeTerminal(gap.action.name)}.${gap.fact} — ${gap.cause} at ${escapeTerminal(gap.stage)} (${gap.severity})`,
    `      ${escapeTerminal(gap.message)}`,
    `      fix: ${escapeTerminal(gap.hint)}`,
  ].join("\n");
}

function gapLines(gaps: readonly Gap[]): string {
  return gaps.map(formatGap).join("\n");
}

/**
 * `expect(result).toBeReconstructable()`: every run reconstructable, else the failure lists each gap
 * with its cause, stage and fix hint.
 */
export function toBeReconstructable(received: unknown): MatcherResult {
  if (!isChecked(received)) return notChecked("toBeReconstructable", received);
  const failing = received.verdicts.filter((v) => !v.reconstructable);
  const pass = failing.length === 0;
  return {
    pass,
    message: () =>
      pass
        ? `expected a gap, but all ${received.verdicts.length} run(s) are reconstructable`
        : [
            `expected every run to be reconstructable; ${failing.length} of ${received.verdicts.length} run(s) are not:`,
            ...failing.map((v) => `run ${v.traceId}: ${v.gaps.length} fact(s) missing\n${gapLines(v.gaps)}`),
          ].join("\n"),
  };
}

/**
 * `expect(result).toKeepFacts(["tool:refund_payment.arguments"])`: each named fact survives. Facts the
 * profile does not require are decided only if the run was checked with them required (`requireFacts`).
 */
export function toKeepFacts(received: unknown, facts: readonly string[]): MatcherResult {
  if (!isChecked(received)) return notChecked("toKeepFacts", received);
  const known = new Map((received.facts ?? []).map((f) => [f.ref, f]));
  const outcomes = facts.map((ref) => known.get(ref) ?? evaluateFacts(received, [ref])[0]!);
  const lost = outcomes.filter((o) => !o.kept);
  const pass = lost.length === 0;
  return {
    pass,
    message: () =>
      pass
        ? `expected a fact to be lost, but all ${facts.length} are kept: ${facts.join(", ")}`
        : [
            `expected ${facts.length} fact(s) to be kept; ${lost.length} missing:`,
            ...lost.map((o) =>
              [
                `${escapeTerminal(o.ref)}: missing${o.detail ? ` — ${escapeTerminal(o.detail)}` : ""}`,
                ...(o.gaps.length > 0 ? [gapLines(o.gaps)] : []),
              ].join("\n"),
            ),
          ].join("\n"),
  };
}

/** Both matchers, for `expect.extend(matchers)`. */
export const matchers = { toBeReconstructable, toKeepFacts };

/** Types for users' own suites: `expect(result).toBeReconstructable()` type-checks once this module is imported. */
interface TrailcheckMatchers<R = unknown> {
  /** Every run reconstructable; the failure lists each missing fact with cause, stage and fix hint. */
  toBeReconstructable(): R;
  /** Each `kind:name.fact` survives the logging config, e.g. `tool:refund_payment.arguments`. */
  toKeepFacts(facts: readonly string[]): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Matchers<T = any>; the augmentation must match
  interface Matchers<T = any> extends TrailcheckMatchers<T> {}
}
