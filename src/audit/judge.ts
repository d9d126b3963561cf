import type { ActionRef, FactFinding, RunFacts } from "./run-facts.js";
import type { Reason, ReasonCause, Verdict } from "./schema.js";
import { isoTime } from "./window.js";

/** Something a run lacks, as the pipeline model is asked about it (see `attribution.ts`). */
export type MissingThing =
  | {
      readonly type: "parent";
      readonly parentSpanId: string;
      readonly children: readonly ActionRef[];
      readonly root: boolean;
    }
  | {
      readonly type: "tool-call";
      readonly name: string;
      readonly callId?: string;
      readonly requestedBy?: string;
    }
  | { readonly type: "model-call"; readonly name: string; readonly evidenceSpanId?: string }
  | { readonly type: "fact"; readonly finding: FactFinding };

/** The pipeline stage that would have lost something, and the cause. */
export interface Explanation {
  readonly cause: ReasonCause;
  readonly stage?: string;
  readonly detail: string;
}

export interface JudgeContext {
  readonly now: bigint;
  readonly graceNs: bigint;
  /** Nothing written before this is in the stores holding the run: their retention edge (unix ns). */
  readonly edge?: bigint;
  /** With a logging config: which stage would have lost a missing thing. */
  readonly explain?: (thing: MissingThing) => Explanation | undefined;
}

export interface Judgement {
  readonly verdict: Verdict;
  readonly reasons: Reason[];
}

const STRUCTURAL = new Set<Reason["code"]>(["no-root", "orphan", "unaccounted-tool-call", "missing-fact"]);

function describe(a: ActionRef): string {
  return `${a.kind} '${a.name}'${a.spanId ? ` (span ${a.spanId})` : ""}`;
}

function withExplanation(reason: Reason, thing: MissingThing, ctx: JudgeContext): Reason {
  const found = ctx.explain?.(thing);
  if (!found) return reason;
  // The stored evidence's cause stands; the model's stage is kept only where it agrees with it.
  const agrees = reason.cause === "unknown" || reason.cause === found.cause;
  return {
    ...reason,
    cause: reason.cause === "unknown" ? found.cause : reason.cause,
    ...(found.stage && agrees ? { stage: found.stage } : {}),
    message: `${reason.message}; ${found.detail}`,
  };
}

function parentReason(entry: RunFacts["missingParents"][number], root: boolean): Reason {
  const [first, ...rest] = entry.children;
  const who = `${describe(first!)}${rest.length ? ` and ${rest.length} more span(s)` : ""}`;
  return root
    ? {
        code: "no-root",
        cause: "unknown",
        spanId: first!.spanId,
        message: `the run's root span was not stored: ${who} name parent ${entry.parentSpanId}, which no stored span has`,
      }
    : {
        code: "orphan",
        cause: "unknown",
        fact: `${first!.kind}:${first!.name}.parent`,
        spanId: first!.spanId,
        message: `${who} ${rest.length ? "name" : "names"} parent ${entry.parentSpanId}, which is not in the store: the run's tree breaks there`,
      };
}

function factReason(f: FactFinding): Reason {
  const fact = `${f.action.kind}:${f.action.name}.${f.fact}`;
  const where = f.key ? ` ('${f.key}')` : "";
  if (f.state === "missing") {
    return {
      code: "missing-fact",
      cause: f.summary ? "redaction" : "unknown",
      fact,
      ...(f.action.spanId ? { spanId: f.action.spanId } : {}),
      message: `${describe(f.action)} has no ${f.fact}${where}${f.summary ? ": the redaction processor's summary lists the key as deleted" : ""}`,
    };
  }
  return {
    code: "masked-fact",
    cause: "redaction",
    fact,
    ...(f.action.spanId ? { spanId: f.action.spanId } : {}),
    message: `${describe(f.action)}: ${f.fact}${where} is ${f.state === "masked" ? "masked (****)" : "a hash"} and the profile requires it readable`,
  };
}

/**
 * Writes one run's verdict and reasons from its facts. Pure, and the one place reasons are worded:
 * every store — files read here, or a database that computed the facts itself — goes through it.
 * `extra` holds reasons from evidence beyond the run's spans (a failed integrity check).
 */
export function judgeRun(facts: RunFacts, ctx: JudgeContext, extra: readonly Reason[] = []): Judgement {
  if (!facts.root && facts.latest > ctx.now - ctx.graceNs) return { verdict: "pending", reasons: [] };
  const reasons: Reason[] = [];
  facts.missingParents.forEach((entry, i) => {
    const root = !facts.root && i === 0;
    reasons.push(withExplanation(parentReason(entry, root), { type: "parent", ...entry, root }, ctx));
  });
  if (!facts.root && facts.missingParents.length === 0) {
    reasons.push({
      code: "no-root",
      cause: "unknown",
      message: "no stored span of the run is a root, and none names a missing parent",
    });
  }
  for (const call of facts.unaccounted) {
    const reason: Reason = {
      code: "unaccounted-tool-call",
      cause: "unknown",
      fact: `tool:${call.name}.record`,
      ...(call.requestedBy ? { spanId: call.requestedBy } : {}),
      message: `the model asked for tool '${call.name}'${call.callId ? ` (call ${call.callId})` : ""} but no tool span or blocking policy decision accounts for it`,
    };
    reasons.push(withExplanation(reason, { type: "tool-call", ...call }, ctx));
  }
  for (const call of facts.unrecordedModelCalls) {
    const reason: Reason = {
      code: "missing-fact",
      cause: "unknown",
      fact: `llm:${call.name}.record`,
      ...(call.evidenceSpanId ? { spanId: call.evidenceSpanId } : {}),
      message: `a model call is evidenced (token usage or a response on span ${call.evidenceSpanId ?? "?"}) but no LLM span is stored for it`,
    };
    reasons.push(withExplanation(reason, { type: "model-call", ...call }, ctx));
  }
  for (const finding of facts.facts) {
    const reason = factReason(finding);
    reasons.push(
      finding.state === "missing" ? withExplanation(reason, { type: "fact", finding }, ctx) : reason,
    );
  }
  if (ctx.edge !== undefined && facts.earliest < ctx.edge && reasons.some((r) => STRUCTURAL.has(r.code))) {
    // The run began before the oldest record the store still holds: what it wrote before then expired.
    for (const r of reasons) if (STRUCTURAL.has(r.code) && r.cause === "unknown") r.cause = "retention";
    reasons.push({
      code: "retention-edge",
      cause: "retention",
      message: `the run started at ${isoTime(facts.earliest)}, before the oldest record the store still holds (${isoTime(ctx.edge)}): its earliest records expired while later ones remain`,
    });
  }
  reasons.push(...extra);
  return { verdict: reasons.length > 0 ? "incomplete" : "reconstructable", reasons };
}
