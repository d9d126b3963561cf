import type { Action } from "../model/action.js";
import { parentLoops } from "../model/ancestry.js";
import type { Convention, SpanRecord } from "../model/record.js";
import { runSpans } from "../model/span-identity.js";
import { compareNanos } from "../model/time.js";
import { baseAction, type FactMapper, type SpanIds } from "./_internals/draft.js";
import { mapAiSdkFacts } from "./ai-sdk.js";
import { accountRequestedToolCalls, inferIndirectLlmCalls } from "./cross-layer.js";
import { mapGenAiFacts } from "./genai.js";
import { mapNativeFacts } from "./native.js";
import { mapOpenAiAgentsFacts } from "./openai-agents.js";
import { mapOpenInferenceFacts } from "./openinference.js";

export { AI_SDK_KEYS } from "./ai-sdk.js";
export { type Classification, classifyRecord } from "./classify.js";
export { factKeys } from "./fact-keys.js";
export { GENAI_KEYS } from "./genai.js";
export { type Decision, NATIVE_KEYS, normaliseDecision } from "./native.js";
export { OPENAI_AGENTS_KEYS } from "./openai-agents.js";
export { OPENINFERENCE_KEYS } from "./openinference.js";
export { UNCARRIED_FACTS, uncarriedFacts } from "./uncarried.js";
export type { FactMapper };

/** One mapper per convention; a record no convention claims is read with the GenAI/native names. */
export const MAPPERS: Record<Convention, FactMapper> = {
  genai: mapGenAiFacts,
  "ai-sdk": mapAiSdkFacts,
  openinference: mapOpenInferenceFacts,
  "openai-agents": mapOpenAiAgentsFacts,
  native: mapNativeFacts,
  unknown: mapNativeFacts,
};

/** The action a single record stands for, or undefined for `other` records. */
export function recordAction(record: SpanRecord, present: SpanIds): Action | undefined {
  if (record.kind === "other") return undefined;
  const action = baseAction(record, present);
  MAPPERS[record.convention](record, action);
  return action;
}

/** Start time, then id: the order of a run's actions. */
function byTimeThenId(aTime: string, aId: string, bTime: string, bId: string): number {
  const order = compareNanos(aTime, bTime);
  if (order !== 0) return order;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/**
 * Derives the actions of one run (the records of one trace): one per agent, llm, tool, policy and
 * handoff record, plus the cross-layer actions that have no record — tool calls a model asked for
 * that neither ran nor were blocked, and LLM calls evidenced only indirectly. Ordered by start time,
 * then id. A record sent twice (an exporter's retry) is one action; different records that share a
 * span id are one action each, the n-th with id `<span id>~<n>`. Pure: the records are not modified.
 */
export function deriveActions(records: readonly SpanRecord[]): Action[] {
  // The first record of each span id (set from the last, so the first one read is what stays).
  const byId = new Map<string, SpanRecord>();
  for (let i = records.length - 1; i >= 0; i--) byId.set(records[i]!.spanId, records[i]!);

  // Each action with the time it sorts at, side by side.
  const actions: Action[] = [];
  const times: string[] = [];
  const llmTimes = new Map<string, string>();
  // A span whose chain of parents loops names a parent the run holds but never reaches its root: no
  // link to the run, as for an orphan.
  const loops = parentLoops(byId);
  // Most runs hold one record per span id: then there are no retries to drop and no ids to share.
  const unique = byId.size === records.length;
  const sharing = unique ? undefined : new Map<string, number>();
  for (const record of sharing ? runSpans(records).records : records) {
    const n = sharing ? (sharing.get(record.spanId) ?? 0) + 1 : 1;
    sharing?.set(record.spanId, n);
    const action = recordAction(record, byId);
    if (!action) continue;
    if (n > 1) action.id = `${record.spanId}~${n}`;
    if (loops?.has(record.spanId)) {
      delete action.facts.parent;
      delete action.sources.parent;
    }
    actions.push(action);
    times.push(record.start);
    if (action.kind === "llm") llmTimes.set(action.id, record.end);
  }

  for (const d of inferIndirectLlmCalls(records, byId)) {
    actions.push(d.action);
    times.push(d.time);
    llmTimes.set(d.action.id, d.time);
  }
  // Requests are matched in run order, so the result doesn't depend on the order records arrived in.
  const sorted = sortOnce(actions, times);
  const derived = accountRequestedToolCalls(sorted.actions, byId, llmTimes);
  if (derived.length === 0) return sorted.actions;
  for (const d of derived) {
    sorted.actions.push(d.action);
    sorted.times.push(d.time);
  }
  return sortOnce(sorted.actions, sorted.times).actions;
}

/** Runs longer than this are sorted through an index; shorter ones in place. */
const SHORT_RUN = 32;

/**
 * The actions by time then id (a stable sort), unless already in that order (records usually come
 * in start order): the same arrays, sorted in place when the run is short, new ones otherwise.
 */
function sortOnce(actions: Action[], times: string[]): { actions: Action[]; times: string[] } {
  const n = actions.length;
  let i = 1;
  while (i < n && byTimeThenId(times[i - 1]!, actions[i - 1]!.id, times[i]!, actions[i]!.id) <= 0) i++;
  if (i === n) return { actions, times };
  if (n > SHORT_RUN) {
    const order = actions.map((_, k) => k);
    order.sort((a, b) => byTimeThenId(times[a]!, actions[a]!.id, times[b]!, actions[b]!.id));
    return { actions: order.map((k) => actions[k]!), times: order.map((k) => times[k]!) };
  }
  // Insertion sort from the first element out of order: few moves for a nearly sorted run (a root
  // span read last), and stable, as the sort above.
  for (; i < n; i++) {
    const action = actions[i]!;
    const time = times[i]!;
    let j = i;
    for (; j > 0 && byTimeThenId(times[j - 1]!, actions[j - 1]!.id, time, action.id) > 0; j--) {
      actions[j] = actions[j - 1]!;
      times[j] = times[j - 1]!;
    }
    actions[j] = action;
    times[j] = time;
  }
  return { actions, times };
}
