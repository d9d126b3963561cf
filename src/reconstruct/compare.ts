import { deriveActions, UNCARRIED_FACTS } from "../conventions/index.js";
import type { Action, FactName } from "../model/action.js";
import { durationNanos } from "../model/duration.js";
import type { Cause, Gap } from "../model/gap.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { LossEvent, StoredRecord, StoredView } from "../pipeline/index.js";
import { fixHint } from "./hints.js";
import { groupBySpan, type Reconstruction, reconstructRun, sameValue } from "./reconstruct.js";
import { severityOf } from "./severity.js";

/** How each fact of an action fared, for reports that mark masked and expired facts. */
export type FactState = "present" | "masked" | "missing";

export interface ActionOutcome {
  readonly action: Action;
  readonly facts: Partial<Record<FactName, FactState>>;
}

export interface RunComparison {
  readonly traceId: string;
  readonly gaps: Gap[];
  readonly actions: ActionOutcome[];
}

/** What one run's comparison needs from the pipeline's output. */
export interface RunView {
  readonly stored: StoredView["stored"];
  readonly losses: readonly LossEvent[];
  readonly streams: StoredView["streams"];
}

const LINK_FACTS: ReadonlySet<FactName> = new Set(["record", "traceId", "parent"]);
const STAGE_ORDER = (e: LossEvent) =>
  e.stage === "sdk" ? 0 : e.stage === "routing" ? 1 : e.stage.endsWith("/store") ? 3 : 2;

/** The facts the profile requires of an action that its convention can carry at all. */
export function requiredFacts(action: Action, profile: Profile): FactName[] {
  const uncarried = UNCARRIED_FACTS[action.convention]?.[action.kind] ?? [];
  // A call that failed has no result or output to keep; its error is what an audit needs.
  const unproduced: readonly FactName[] = action.failed ? ["result", "output", "toolCalls"] : [];
  return (profile.required[action.kind] ?? []).filter(
    (f) => !uncarried.includes(f) && !unproduced.includes(f),
  );
}

class GapCollector {
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
    extra: { stream?: string; key?: string } = {},
  ) {
    this.gaps.push({
      cause,
      stage,
      severity: severityOf(cause, fact, action, this.runFailed, this.profile),
      fact,
      message,
      hint: fixHint(cause, { fact, stream: extra.stream, key: extra.key }),
      action: { kind: action.kind, name: action.name, ...(action.spanId ? { spanId: action.spanId } : {}) },
      traceId: this.traceId,
      ...(extra.stream ? { stream: extra.stream } : {}),
    });
  }
}

function firstLoss(
  events: readonly LossEvent[] | undefined,
  predicate: (e: LossEvent) => boolean,
): LossEvent | undefined {
  let best: LossEvent | undefined;
  for (const e of events ?? []) {
    if (predicate(e) && (!best || STAGE_ORDER(e) < STAGE_ORDER(best))) best = e;
  }
  return best;
}

function describe(action: Action): string {
  return `${action.kind} '${action.name}'${action.spanId ? ` (span ${action.spanId})` : ""}`;
}

/** Gaps that exist before any pipeline: what the agent never emitted (or emitted without its parent). */
function instrumentationGaps(truth: readonly Action[], profile: Profile, out: GapCollector) {
  for (const action of truth) {
    if (!action.hasRecord) {
      const why = action.requestedBy
        ? `the model asked for tool '${action.name}'${action.facts.callId ? ` (call ${action.facts.callId})` : ""} but no tool span or blocking policy decision accounts for it`
        : `a model call is evidenced only indirectly (token usage on a turn or a run) but no LLM span was emitted for it`;
      out.add(action, "record", "instrumentation", "instrumentation", why);
      continue;
    }
    for (const fact of requiredFacts(action, profile)) {
      if (fact === "parent" || action.facts[fact] !== undefined) continue;
      out.add(
        action,
        fact,
        "instrumentation",
        "instrumentation",
        `${describe(action)} was emitted without ${fact}`,
      );
    }
    if (action.facts.parent === undefined) {
      out.add(
        action,
        "parent",
        "export",
        "export",
        `${describe(action)} names parent span ${action.parentSpanId} which never arrived; the action is an orphan`,
      );
    }
  }
}

/** What the per-action checks share within one run. */
interface RunContext {
  readonly rec: Reconstruction;
  readonly lossesBySpan: ReadonlyMap<string, LossEvent[]>;
  readonly keptIds: ReadonlySet<string>;
  readonly profile: Profile;
  readonly out: GapCollector;
}

/**
 * Compares one run's truth with what the store keeps, fact by fact, and attributes every loss to the
 * stage and cause that lost it.
 */
export function compareRun(
  truthRecords: readonly SpanRecord[],
  view: RunView,
  profile: Profile,
  auditAfterNs: bigint,
  truthActions: readonly Action[] = deriveActions(truthRecords),
): RunComparison {
  const traceId = truthRecords[0]?.traceId ?? "";
  const runFailed = truthActions.some((a) => a.failed) || truthRecords.some((r) => r.status.code === "error");
  const out = new GapCollector(traceId, profile, runFailed);
  instrumentationGaps(truthActions, profile, out);

  if (view.losses.length === 0) {
    // Nothing was lost or changed on the way: every emitted fact is in the store as it was.
    const outcomes = truthActions.map((action) => ({
      action,
      facts: Object.fromEntries(
        Object.keys(action.facts).map((f) => [f, "present"]),
      ) as ActionOutcome["facts"],
    }));
    archiveGaps(truthActions, groupBySpan(view.stored), profile, auditAfterNs, out);
    integrityGaps(truthActions, view, profile, out);
    return { traceId, gaps: out.gaps, actions: outcomes };
  }

  const lossesBySpan = new Map<string, LossEvent[]>();
  for (const e of view.losses) {
    const list = lossesBySpan.get(e.spanId);
    if (list) list.push(e);
    else lossesBySpan.set(e.spanId, [e]);
  }
  const rec = reconstructRun(truthRecords, view.stored);
  const keptIds = new Set(rec.records.map((r) => r.spanId));
  // Without attribute-level losses a kept record holds exactly what was emitted: its facts are the truth's.
  const attributesTouched = view.losses.some((e) => e.target.type === "attribute");
  const storedActions = new Map(
    attributesTouched
      ? deriveActions(rec.records).map((a) => [a.id, a])
      : truthActions.filter((a) => a.spanId !== undefined && keptIds.has(a.spanId)).map((a) => [a.id, a]),
  );
  const ctx: RunContext = { rec, lossesBySpan, keptIds, profile, out };

  const outcomes = truthActions.map((action): ActionOutcome => {
    const facts: Partial<Record<FactName, FactState>> = {};
    if (!action.hasRecord || !action.spanId) return { action, facts };
    const stored = storedActions.get(action.id);
    if (!stored) {
      lostRecordGap(action, action.spanId, ctx);
      for (const f of Object.keys(action.facts) as FactName[]) facts[f] = "missing";
      return { action, facts };
    }
    facts.record = "present";
    facts.traceId = "present";
    if (action.facts.parent !== undefined) facts.parent = parentLinkState(action, action.spanId, ctx);
    storedFactStates(action, stored, ctx, facts);
    return { action, facts };
  });
  archiveGaps(truthActions, rec.copies, profile, auditAfterNs, out);
  integrityGaps(truthActions, view, profile, out);
  return { traceId, gaps: out.gaps, actions: outcomes };
}

/** An action with no joinable record: stored without a trace id somewhere, or lost on the way. */
function lostRecordGap(action: Action, spanId: string, { rec, lossesBySpan, out }: RunContext): void {
  const copies = rec.copies.get(spanId) ?? [];
  if (copies.length > 0) {
    const stream = copies[0]!.stream;
    out.add(
      action,
      "traceId",
      "correlation",
      `${stream}/store`,
      `${describe(action)} is stored in '${copies.map((c) => c.stream).join("', '")}' without a trace id, so it can't be joined to its run`,
      { stream },
    );
    return;
  }
  const loss = firstLoss(lossesBySpan.get(spanId), (e) => e.target.type === "record");
  out.add(
    action,
    "record",
    loss?.cause ?? "export",
    loss?.stage ?? "export",
    `${describe(action)} was lost: ${loss?.detail ?? "no stored copy"}`,
    { stream: loss?.stream },
  );
}

/** The parent link: this span's own link, then the parent's record, then the parent's span id link. */
function parentLinkState(
  action: Action,
  spanId: string,
  { rec, lossesBySpan, keptIds, out }: RunContext,
): FactState {
  const parent = action.parentSpanId;
  if (!parent) return "present";
  if (rec.lostLinks.get(spanId)?.has("parentSpanId")) {
    const loss = firstLoss(
      lossesBySpan.get(spanId),
      (e) => e.target.type === "link" && e.target.field === "parentSpanId",
    );
    out.add(
      action,
      "parent",
      "correlation",
      loss?.stage ?? "store",
      `${describe(action)} is stored without its parent span id`,
      {
        stream: loss?.stream,
      },
    );
    return "missing";
  }
  if (!keptIds.has(parent)) {
    const loss = firstLoss(lossesBySpan.get(parent), (e) => e.target.type === "record");
    out.add(
      action,
      "parent",
      loss?.cause ?? "correlation",
      loss?.stage ?? "store",
      `${describe(action)} lost its parent span ${parent}${loss ? ` (${loss.detail})` : ""}; the action is an orphan`,
      { stream: loss?.stream },
    );
    return "missing";
  }
  if (rec.lostLinks.get(parent)?.has("spanId")) {
    const loss = firstLoss(
      lossesBySpan.get(parent),
      (e) => e.target.type === "link" && e.target.field === "spanId",
    );
    out.add(
      action,
      "parent",
      "correlation",
      loss?.stage ?? "store",
      `the parent of ${describe(action)} is stored without its span id, so the link can't be followed`,
      { stream: loss?.stream },
    );
    return "missing";
  }
  return "present";
}

/** Each required fact of a kept record: as emitted, masked where the profile allows it, or a gap. */
function storedFactStates(
  action: Action,
  stored: Action,
  { lossesBySpan, profile, out }: RunContext,
  facts: Partial<Record<FactName, FactState>>,
): void {
  const losses = action.spanId ? lossesBySpan.get(action.spanId) : undefined;
  const maskable = profile.maskable[action.kind] ?? [];
  for (const fact of requiredFacts(action, profile)) {
    if (LINK_FACTS.has(fact)) continue;
    const truthValue = action.facts[fact];
    if (truthValue === undefined) continue;
    const storedValue = stored.facts[fact];
    if (storedValue !== undefined && sameValue(truthValue, storedValue)) {
      facts[fact] = "present";
      continue;
    }
    const key = action.sources[fact];
    const loss =
      firstLoss(losses, (e) => e.target.type === "attribute" && e.target.key === key) ??
      firstLoss(losses, (e) => e.target.type === "attribute");
    const effect =
      loss?.target.type === "attribute"
        ? loss.target.effect
        : storedValue === undefined
          ? "deleted"
          : "changed";
    const masked = effect === "masked" || effect === "hashed";
    if (masked && maskable.includes(fact)) {
      facts[fact] = "masked";
      continue;
    }
    facts[fact] = storedValue === undefined ? "missing" : "masked";
    const cause: Cause = loss?.cause ?? (effect === "truncated" ? "truncation" : "redaction");
    const how = storedValue === undefined ? "deleted" : effect;
    out.add(
      action,
      fact,
      cause,
      loss?.stage ?? "store",
      `${describe(action)}: ${fact}${key ? ` ('${key}')` : ""} was ${how}${loss ? ` — ${loss.detail}` : ""}${
        masked ? ` and the profile '${profile.name}' does not accept it masked` : ""
      }`,
      { stream: loss?.stream, key },
    );
  }
}

/**
 * One gap per stream that holds this run's records and can't be trusted: its sealed log fails
 * verification, or it has no tamper evidence where the profile requires it.
 */
function integrityGaps(truth: readonly Action[], view: RunView, profile: Profile, out: GapCollector) {
  for (const stream of view.streams) {
    const failed = stream.sealed !== undefined && !stream.sealed.valid;
    const unprotected = profile.integrity === "tamper-evident" && stream.integrity !== "merkle-checkpoints";
    if (!failed && !unprotected) continue;
    const first = view.stored.find((s) => s.stream === stream.name);
    if (!first) continue;
    const action = truth.find((a) => a.spanId === first.record.spanId) ?? truth[0];
    if (!action) continue;
    const why = failed
      ? `its sealed log fails verification: ${stream.sealed!.findings.join("; ")}`
      : `it has integrity '${stream.integrity}' but '${profile.name}' requires tamper evidence: ${
          stream.integrity === "hash-chain"
            ? "a hash chain stored with the data detects nothing against whoever can write the store, and never detects a cut tail"
            : "records can be changed or deleted without detection"
        }`;
    out.add(action, "integrity", "integrity", `${stream.name}/store`, `stream '${stream.name}' ${why}`, {
      stream: stream.name,
    });
  }
}

/** Records archived at audit time while the profile says they must still be immediately available. */
function archiveGaps(
  truth: readonly Action[],
  copiesBySpan: ReadonlyMap<string, readonly StoredRecord[]>,
  profile: Profile,
  auditAfterNs: bigint,
  out: GapCollector,
) {
  const hotWindow = profile.retention.immediate ? durationNanos(profile.retention.immediate) : undefined;
  if (hotWindow === undefined || auditAfterNs > hotWindow) return;
  for (const action of truth) {
    const copies = action.spanId ? (copiesBySpan.get(action.spanId) ?? []) : [];
    if (copies.length === 0 || !copies.every((c) => c.archived)) continue;
    out.add(
      action,
      "record",
      "retention",
      `${copies[0]!.stream}/store`,
      `${describe(action)} is archived at audit time, not immediately available as '${profile.name}' requires`,
      { stream: copies[0]!.stream },
    );
  }
}
