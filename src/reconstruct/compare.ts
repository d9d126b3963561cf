import { deriveActions, UNCARRIED_FACTS } from "../conventions/index.js";
import type { Action, FactName } from "../model/action.js";
import type { Cause, Gap } from "../model/gap.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { LossEvent, StoredView, StreamSummary } from "../pipeline/index.js";
import { describe, firstLoss, GapCollector } from "./gap-collector.js";
import {
  asStored,
  CLASSIFYING_KEYS,
  groupBySpan,
  type Reconstruction,
  reconstructRun,
  sameValue,
} from "./reconstruct.js";
import { spanConflictGaps } from "./span-conflicts.js";
import { archiveGaps, integrityGaps } from "./store-gaps.js";

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
  readonly streams: readonly StreamSummary[];
}

const LOOP_HINT =
  "give each span the parent it runs under: a span is never its own ancestor (check code that sets parent span ids by hand, and exports merged from processes whose ids collide)";
const LINK_FACTS: ReadonlySet<FactName> = new Set(["record", "traceId", "parent"]);
const NO_FACTS: readonly FactName[] = [];
/**
 * `requiredFacts` per list of a profile, then per kind and convention (the constant strings themselves,
 * no key built per action), then for a call that succeeded and one that failed: a run asks it per action.
 */
const requiredCache = new WeakMap<readonly FactName[], Map<string, Map<string, (readonly FactName[])[]>>>();

/** The facts the profile requires of an action that its convention can carry at all. */
export function requiredFacts(action: Action, profile: Profile): readonly FactName[] {
  const required = profile.required[action.kind];
  if (!required) return NO_FACTS;
  let byKind = requiredCache.get(required);
  if (!byKind) {
    byKind = new Map();
    requiredCache.set(required, byKind);
  }
  let byConvention = byKind.get(action.kind);
  if (!byConvention) {
    byConvention = new Map();
    byKind.set(action.kind, byConvention);
  }
  let byFailure = byConvention.get(action.convention);
  if (!byFailure) {
    byFailure = [];
    byConvention.set(action.convention, byFailure);
  }
  const shape = action.failed ? 1 : 0;
  let facts = byFailure[shape];
  if (!facts) {
    const uncarried = UNCARRIED_FACTS[action.convention]?.[action.kind] ?? [];
    // A call that failed has no result or output to keep; its error is what an audit needs.
    const unproduced: readonly FactName[] = action.failed ? ["result", "output", "toolCalls"] : [];
    facts = required.filter((f) => !uncarried.includes(f) && !unproduced.includes(f));
    byFailure[shape] = facts;
  }
  return facts;
}

/** Every fact found for the action, in one state. */
function allFacts(action: Action, state: FactState): ActionOutcome["facts"] {
  const facts: ActionOutcome["facts"] = {};
  for (const f of Object.keys(action.facts) as FactName[]) facts[f] = state;
  return facts;
}

/** Gaps that exist before any pipeline: what the agent never emitted (or emitted without its parent). */
function instrumentationGaps(
  truth: readonly Action[],
  records: readonly SpanRecord[],
  profile: Profile,
  out: GapCollector,
) {
  // Only an action without a parent link asks which spans the run holds.
  let held: Set<string> | undefined;
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
      held ??= new Set(records.map((r) => r.spanId));
      if (action.parentSpanId !== undefined && held.has(action.parentSpanId)) {
        out.add(
          action,
          "parent",
          "correlation",
          "instrumentation",
          `${describe(action)} names parent span ${action.parentSpanId}, but its chain of parents loops and never reaches the run's root; no store can place it in the run`,
          { hint: LOOP_HINT },
        );
        continue;
      }
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
  return compareActions(truthRecords, view, profile, auditAfterNs, truthActions, true);
}

/**
 * `compareRun`'s gaps alone, the same gaps in the same order, without the state of each fact (what a
 * verdict needs; a check of a long file judges many runs and prints only their gaps).
 */
export function runGaps(
  truthRecords: readonly SpanRecord[],
  view: RunView,
  profile: Profile,
  auditAfterNs: bigint,
): { traceId: string; gaps: Gap[] } {
  return compareActions(truthRecords, view, profile, auditAfterNs, deriveActions(truthRecords), false);
}

/** Both: `outcomes` says whether the state of each fact is wanted (`actions` is empty otherwise). */
function compareActions(
  truthRecords: readonly SpanRecord[],
  view: RunView,
  profile: Profile,
  auditAfterNs: bigint,
  truthActions: readonly Action[],
  outcomes: boolean,
): RunComparison {
  const traceId = truthRecords[0]?.traceId ?? "";
  const runFailed = truthActions.some((a) => a.failed) || truthRecords.some((r) => r.status.code === "error");
  const out = new GapCollector(traceId, profile, runFailed);
  instrumentationGaps(truthActions, truthRecords, profile, out);
  const inDoubt = spanConflictGaps(truthRecords, truthActions, out);
  const doubtful = (action: Action): ActionOutcome => ({ action, facts: allFacts(action, "missing") });

  if (view.losses.length === 0) {
    // Nothing was lost or changed on the way: every emitted fact is in the store as it was.
    const actions = outcomes
      ? truthActions.map((action) =>
          inDoubt.has(action.id) ? doubtful(action) : { action, facts: allFacts(action, "present") },
        )
      : [];
    archiveGaps(truthActions, () => groupBySpan(view.stored), profile, auditAfterNs, out);
    integrityGaps(truthActions, view, profile, out);
    return { traceId, gaps: out.gaps, actions };
  }

  // A marker set on a span that carried none hides nothing it held (see unrecognisedGap).
  if (truthActions.length === 0) unreadRunGap(truthRecords, view.losses.filter(removesSomething), out);
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
      ? deriveActions(asStored(truthRecords, rec.records)).map((a) => [a.id, a])
      : truthActions.filter((a) => a.spanId !== undefined && keptIds.has(a.spanId)).map((a) => [a.id, a]),
  );
  const ctx: RunContext = { rec, lossesBySpan, keptIds, profile, out };

  const actions: ActionOutcome[] = [];
  for (const action of truthActions) {
    if (inDoubt.has(action.id)) {
      if (outcomes) actions.push(doubtful(action));
      continue;
    }
    if (!action.hasRecord || !action.spanId) {
      if (outcomes) actions.push({ action, facts: {} });
      continue;
    }
    const stored = storedActions.get(action.id);
    if (!stored || stored.kind !== action.kind) {
      if (keptIds.has(action.spanId)) unrecognisedGap(action, action.spanId, stored, ctx);
      else lostRecordGap(action, action.spanId, ctx);
      if (outcomes) actions.push({ action, facts: allFacts(action, "missing") });
      continue;
    }
    const facts: Partial<Record<FactName, FactState>> = {};
    if (outcomes) actions.push({ action, facts });
    facts.record = "present";
    facts.traceId = "present";
    if (action.facts.parent !== undefined) facts.parent = parentLinkState(action, action.spanId, ctx);
    storedFactStates(action, stored, ctx, facts);
  }
  archiveGaps(truthActions, () => rec.copies, profile, auditAfterNs, out);
  integrityGaps(truthActions, view, profile, out);
  return { traceId, gaps: out.gaps, actions };
}

const isRecordLoss = (e: LossEvent) => e.target.type === "record";

const UNREAD_HINT =
  "mark each agent, model, tool and policy span with its layer (gen_ai.operation.name of the GenAI semantic conventions, or trailcheck.kind) so the facts it carries can be checked";

/**
 * A run none of whose spans is an action in a convention trailcheck reads (an OpenLLMetry trace, say),
 * yet whose spans the pipeline lost or changed: what they held can't be judged, so the run is not
 * judged reconstructable. (With nothing lost or changed, the store holds every span as emitted.)
 */
function unreadRunGap(records: readonly SpanRecord[], losses: readonly LossEvent[], out: GapCollector): void {
  const loss = firstLoss(losses, () => true);
  if (!loss) return;
  const spans = new Set(losses.map((e) => e.spanId)).size;
  const record = records.find((r) => r.spanId === loss.spanId) ?? records[0]!;
  const action = {
    id: record.spanId,
    kind: "other",
    name: record.name,
    spanId: record.spanId,
  } as Action;
  out.add(
    action,
    "record",
    loss.cause,
    loss.stage,
    `no span of this run is an agent, LLM, tool, policy or handoff span in a convention trailcheck reads (GenAI semantic conventions, Vercel AI SDK, OpenInference, OpenAI Agents SDK, trailcheck.kind), and the pipeline lost or changed ${spans} of its ${records.length} span(s) — first span ${loss.spanId}: ${loss.detail}; whether a fact an audit needs went with them can't be told`,
    { stream: loss.stream, hint: UNREAD_HINT },
  );
}

/** An action with no joinable record: stored without a trace id somewhere, or lost on the way. */
function lostRecordGap(action: Action, spanId: string, { rec, lossesBySpan, out }: RunContext): void {
  const copies = rec.copies.get(spanId);
  if (copies !== undefined && copies.length > 0) {
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
  const loss = firstLoss(lossesBySpan.get(spanId), isRecordLoss);
  out.add(
    action,
    "record",
    loss?.cause ?? "export",
    loss?.stage ?? "export",
    `${describe(action)} was lost: ${loss?.detail ?? "no stored copy"}`,
    { stream: loss?.stream },
  );
}

/**
 * An action whose record is stored but no longer says what it is: the attribute its layer is
 * recognised by was deleted or changed, so an auditor reading the store finds no such action there.
 */
function unrecognisedGap(
  action: Action,
  spanId: string,
  stored: Action | undefined,
  { lossesBySpan, out }: RunContext,
): void {
  const losses = lossesBySpan.get(spanId);
  const loss =
    firstLoss(losses, (e) => e.target.type === "attribute" && CLASSIFYING_KEYS.has(e.target.key)) ??
    firstLoss(losses, (e) => e.target.type === "attribute");
  const key = loss?.target.type === "attribute" ? loss.target.key : undefined;
  const how = loss?.target.type === "attribute" ? loss.target.effect : "changed";
  const hint =
    how === "inserted" && key
      ? `don't set '${key}' on spans that already say what they are (or set it to the layer they have): a reader of the store takes the span for what '${key}' says`
      : undefined;
  out.add(
    action,
    "record",
    loss?.cause ?? "redaction",
    loss?.stage ?? "store",
    `${describe(action)} is stored, but ${key ? `'${key}' was ${how}` : "what marks its layer was changed"}, so the store holds ${stored ? `a ${stored.kind} span` : "no " + action.kind + " span"} there${loss ? ` — ${loss.detail}` : ""}`,
    { stream: loss?.stream, key, ...(hint ? { hint } : {}) },
  );
}

/**
 * Whether a loss takes something away. Setting a key that marks a layer on a span that carried none
 * (`inserted`) does not: every fact the span held is still there. Such a span read as an action in the
 * store (an agent span an enrichment marked) is not a gap; a span that was an action and now reads as
 * another is (unrecognisedGap).
 */
const removesSomething = (e: LossEvent) => !(e.target.type === "attribute" && e.target.effect === "inserted");

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
    const loss = firstLoss(lossesBySpan.get(parent), isRecordLoss);
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
