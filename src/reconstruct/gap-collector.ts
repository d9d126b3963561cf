import type { Action, FactName } from "../model/action.js";
import type { Cause, Gap } from "../model/gap.js";
import type { Profile } from "../model/profile.js";
import type { LossEvent } from "../pipeline/index.js";
import { hintFor } from "./hints.js";
import { severityOf } from "./severity.js";

/** Earlier stages first, so a gap names where a fact was lost first. */
const STAGE_ORDER = (e: LossEvent) =>
  e.stage === "sdk" ? 0 : e.stage === "routing" ? 1 : e.stage.endsWith("/store") ? 3 : 2;

/** Collects one run's gaps, with severity and fix hint filled in the same way for every check. */
export class GapCollector {
  readonly gaps: Gap[] = [];
  constructor(
    private readonly traceId: string,
    private readonly profile: Profile,
    private readonly runFailed: boolean,
  ) {}

  add(
    action: Action,
    fact: FactName,
    cause: Cause,
    stage: string,
    message: string,
    extra: { stream?: string; key?: string; hint?: string } = {},
  ) {
    const severity = severityOf(cause, fact, action, this.runFailed, this.profile);
    const hint = extra.hint ?? hintFor(cause, { fact, stream: extra.stream, key: extra.key });
    // Each optional part either present or absent, in the schema's key order (no spread of an empty
    // object): a report holds many gaps, and objects of a few fixed shapes are made and printed faster.
    const { kind, name, spanId } = action;
    const ref: Gap["action"] = spanId ? { kind, name, spanId } : { kind, name };
    const traceId = this.traceId;
    const stream = extra.stream;
    this.gaps.push(
      stream
        ? { cause, stage, severity, fact, message, hint, action: ref, traceId, stream }
        : { cause, stage, severity, fact, message, hint, action: ref, traceId },
    );
  }
}

/** The earliest loss that matches. */
export function firstLoss(
  events: readonly LossEvent[] | undefined,
  predicate: (e: LossEvent) => boolean,
): LossEvent | undefined {
  let best: LossEvent | undefined;
  for (const e of events ?? []) {
    if (predicate(e) && (!best || STAGE_ORDER(e) < STAGE_ORDER(best))) best = e;
  }
  return best;
}

export function describe(action: Action): string {
  return `${action.kind} '${action.name}'${action.spanId ? ` (span ${action.spanId})` : ""}`;
}
