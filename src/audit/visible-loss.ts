import { classifyRecord, deriveActions, recordAction } from "../conventions/index.js";
import type { Action, FactName } from "../model/action.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { LossEvent } from "../pipeline/index.js";
import { requiredFacts } from "../reconstruct/compare.js";
import { CONTENT, DIGEST, MASK } from "./stored-value.js";

/** A loss that the stored records of a run show by themselves, so an audit of them must flag the run. */
export interface VisibleLoss {
  readonly shows:
    | "broken-tree"
    | "unanswered-request"
    | "unrecorded-model-call"
    | "missing-required-fact"
    | "masked-required-fact";
  readonly spanId?: string;
  readonly detail: string;
}

/**
 * A loss the stored records can't show: the store holds what a complete run of another shape would
 * hold. These are the limits of any audit from stored data alone (README "Audit production").
 */
export type HiddenLoss =
  /** Nothing of the run is stored (sampled, filtered or routed away whole): there is no run to audit. */
  | "run-dropped"
  /** A lost record no stored record names as parent, answers no stored request and is evidenced by none. */
  | "unreferenced-record"
  /** A changed attribute no required fact reads, or one whose fact another key still holds. */
  | "unrequired-attribute"
  /** Masked or hashed where the profile accepts a mask or a digest for that fact. */
  | "maskable-fact"
  /** A value cut to a length, or rewritten: it still reads as a value. */
  | "rewritten-value"
  /** A digest of an id or a name reads as an id or a name. */
  | "hashed-identifier"
  /** The attribute a convention is recognised by was deleted: the span reads as one of no known kind. */
  | "unrecognised-record";

export interface LossEvidence {
  readonly visible: readonly VisibleLoss[];
  readonly hidden: ReadonlySet<HiddenLoss>;
}

/** The redaction processor's summary lists the key as masked (its values replaced by a mask or a digest). */
function summaryLists(record: SpanRecord, key: string): boolean {
  const list = Object.hasOwn(record.attributes, "redaction.masked.keys")
    ? record.attributes["redaction.masked.keys"]
    : undefined;
  return typeof list === "string" && list.split(",").includes(key);
}

const own = (r: SpanRecord, key: string) =>
  Object.hasOwn(r.attributes, key) ? r.attributes[key] : undefined;
const present = (v: unknown) => v !== undefined && v !== null && v !== "";

function descendants(rootId: string, truth: readonly SpanRecord[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of truth) {
    if (r.parentSpanId === undefined) continue;
    const list = children.get(r.parentSpanId) ?? [];
    list.push(r.spanId);
    children.set(r.parentSpanId, list);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

/** A stored record whose parent is not stored, or a stored run without a root. */
function brokenTree(stored: ReadonlyMap<string, SpanRecord>): VisibleLoss[] {
  const out: VisibleLoss[] = [];
  let root = false;
  for (const r of stored.values()) {
    if (r.parentSpanId === undefined) root = true;
    else if (!stored.has(r.parentSpanId)) {
      out.push({ shows: "broken-tree", spanId: r.spanId, detail: `parent ${r.parentSpanId} is not stored` });
    }
  }
  if (!root && stored.size > 0) out.push({ shows: "broken-tree", detail: "no stored root" });
  return out;
}

/**
 * Requests a stored model span still shows in full, counted per tool name, against the stored spans
 * that could answer a request of that name (a tool span of that call, and any blocking decision). More
 * requests than possible answers: at least one went unanswered, whichever way the audit pairs them.
 */
function unansweredRequests(
  truth: readonly Action[],
  stored: ReadonlyMap<string, SpanRecord>,
  recognised: ReadonlySet<string>,
  touched: ReadonlySet<string>,
): VisibleLoss[] {
  const requests = new Map<string, number>();
  for (const a of truth) {
    if (a.kind !== "llm" || !a.spanId || !recognised.has(a.spanId)) continue;
    const key = a.sources.toolCalls;
    if (key === undefined || touched.has(`${a.spanId} ${key}`)) continue;
    for (const call of a.requestedToolCalls) requests.set(call.name, (requests.get(call.name) ?? 0) + 1);
  }
  const answers = new Map<string, number>();
  let blocks = 0;
  for (const a of truth) {
    if (!a.spanId || !stored.has(a.spanId)) continue;
    if (a.kind === "tool") answers.set(a.name, (answers.get(a.name) ?? 0) + 1);
    // A blocking decision may answer a request by its call id or subject whatever tool it names.
    if (a.kind === "policy" && a.blocks) blocks++;
  }
  const out: VisibleLoss[] = [];
  let surplus = 0;
  for (const [name, n] of requests) surplus += Math.max(0, n - (answers.get(name) ?? 0));
  if (surplus > blocks) {
    out.push({ shows: "unanswered-request", detail: `${surplus} requested call(s) with no stored answer` });
  }
  return out;
}

/** An AI SDK agent span that shows a model's response or usage, with no model span stored beneath it. */
function unrecordedModelCalls(
  truth: readonly SpanRecord[],
  stored: ReadonlyMap<string, SpanRecord>,
): VisibleLoss[] {
  const out: VisibleLoss[] = [];
  for (const r of truth) {
    const s = stored.get(r.spanId);
    if (s?.convention !== "ai-sdk" || s.kind !== "agent") continue;
    if (!Object.keys(s.attributes).some((k) => k.startsWith("ai.response.") || k.startsWith("ai.usage.")))
      continue;
    const below = descendants(r.spanId, truth);
    if (![...below].some((id) => stored.get(id)?.kind === "llm")) {
      out.push({
        shows: "unrecorded-model-call",
        spanId: r.spanId,
        detail: "a response with no model span stored",
      });
    }
  }
  return out;
}

/**
 * Sorts a run's losses into those its stored records show and those they can't. `truth` is the run as
 * emitted, `stored` what the store holds of it (one record per span id, copies merged), `losses` the
 * pipeline model's loss events for the run. Pure; the oracle of the audit's property.
 */
export function lossEvidence(
  truth: readonly SpanRecord[],
  stored: readonly SpanRecord[],
  losses: readonly LossEvent[],
  profile: Profile,
): LossEvidence {
  const hidden = new Set<HiddenLoss>();
  if (stored.length === 0) {
    if (losses.length > 0) hidden.add("run-dropped");
    return { visible: [], hidden };
  }
  // Records as a reader of the store sees them: classified anew from the attributes they kept.
  const byId = new Map(stored.map((r) => [r.spanId, { ...r, ...classifyRecord(r.attributes) }]));
  const ids = new Set(byId.keys());
  const recognised = new Set<string>();
  for (const r of truth) {
    const s = byId.get(r.spanId);
    if (s && s.kind === r.kind && s.convention === r.convention) recognised.add(r.spanId);
    else if (s) hidden.add("unrecognised-record");
  }
  const actions = deriveActions(truth);
  const touched = new Set(
    losses.flatMap((l) => (l.target.type === "attribute" ? [`${l.spanId} ${l.target.key}`] : [])),
  );
  const visible = [
    ...brokenTree(byId),
    ...unansweredRequests(actions, byId, recognised, touched),
    ...unrecordedModelCalls(truth, byId),
  ];

  // The required facts of stored actions, by the attribute key the truth held each in.
  const factsAt = new Map<string, { action: Action; fact: FactName }>();
  for (const a of actions) {
    if (!a.spanId || !recognised.has(a.spanId)) continue;
    for (const fact of requiredFacts(a, profile)) {
      const key = a.sources[fact];
      if (key !== undefined && present(a.facts[fact])) factsAt.set(`${a.spanId} ${key}`, { action: a, fact });
    }
  }
  for (const loss of losses) {
    if (loss.target.type === "record") {
      if (!byId.has(loss.spanId)) hidden.add("unreferenced-record");
      continue;
    }
    if (loss.target.type !== "attribute") continue;
    const record = byId.get(loss.spanId);
    if (!record || !recognised.has(loss.spanId)) continue;
    const required = factsAt.get(`${loss.spanId} ${loss.target.key}`);
    if (!required) {
      hidden.add("unrequired-attribute");
      continue;
    }
    const { action, fact } = required;
    const spanId = action.spanId!;
    const maskable = (profile.maskable[action.kind] ?? []).includes(fact);
    // Where the convention's mapper finds the fact in the stored record now, if anywhere.
    const now = recordAction(record, ids);
    const holder = now && present(now.facts[fact]) ? now.sources[fact] : undefined;
    const value = holder === undefined ? undefined : own(record, holder);
    const listed = summaryLists(record, loss.target.key);
    if (loss.target.effect === "deleted") {
      if (holder === undefined) {
        visible.push({
          shows: "missing-required-fact",
          spanId,
          detail: `${action.kind} ${fact}: ${loss.target.key} deleted`,
        });
      } else hidden.add("unrequired-attribute");
    } else if (loss.target.effect === "masked" || loss.target.effect === "hashed") {
      const masked = typeof value === "string" && value.includes(MASK);
      const digest = typeof value === "string" && DIGEST.test(value) && CONTENT.has(fact);
      if (holder !== loss.target.key) hidden.add("unrequired-attribute");
      else if (maskable) hidden.add("maskable-fact");
      else if (masked || digest || listed) {
        visible.push({
          shows: "masked-required-fact",
          spanId,
          detail: `${action.kind} ${fact}: ${holder} ${loss.target.effect}`,
        });
      } else hidden.add(CONTENT.has(fact) ? "rewritten-value" : "hashed-identifier");
    } else hidden.add("rewritten-value");
  }
  return { visible, hidden };
}
