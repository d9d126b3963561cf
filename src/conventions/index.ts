import type { Action } from "../model/action.js";
import type { Convention, SpanRecord } from "../model/record.js";
import { runSpans } from "../model/span-identity.js";
import { compareNanos } from "../model/time.js";
import { baseAction, type FactMapper, type SpanIds } from "./_internals/draft.js";
import { mapAiSdkFacts } from "./ai-sdk.js";
import { accountRequestedToolCalls, type Derived, inferIndirectLlmCalls } from "./cross-layer.js";
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

function byTimeThenId(a: { time: string; id: string }, b: { time: string; id: string }): number {
  const order = compareNanos(a.time, b.time);
  if (order !== 0) return order;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Derives the actions of one run (the records of one trace): one per agent, llm, tool, policy and
 * handoff record, plus the cross-layer actions that have no record — tool calls a model asked for
 * that neither ran nor were blocked, and LLM calls evidenced only indirectly. Ordered by start time,
 * then id. A record sent twice (an exporter's retry) is one action; different records that share a
 * span id are one action each, the n-th with id `<span id>~<n>`. Pure: the records are not modified.
 */
export function deriveActions(records: readonly SpanRecord[]): Action[] {
  const byId = new Map<string, SpanRecord>();
  for (const r of records) if (!byId.has(r.spanId)) byId.set(r.spanId, r);

  const entries: { action: Action; time: string; id: string }[] = [];
  const llmTimes = new Map<string, string>();
  // Most runs hold one record per span id: then there are no retries to drop and no ids to share.
  const unique = byId.size === records.length;
  const sharing = unique ? undefined : new Map<string, number>();
  for (const record of sharing ? runSpans(records).records : records) {
    const n = sharing ? (sharing.get(record.spanId) ?? 0) + 1 : 1;
    sharing?.set(record.spanId, n);
    const action = recordAction(record, byId);
    if (!action) continue;
    if (n > 1) action.id = `${record.spanId}~${n}`;
    entries.push({ action, time: record.start, id: action.id });
    if (action.kind === "llm") llmTimes.set(action.id, record.end);
  }

  const add = (d: Derived) => entries.push({ action: d.action, time: d.time, id: d.action.id });
  const inferred = inferIndirectLlmCalls(records, byId);
  for (const d of inferred) {
    add(d);
    llmTimes.set(d.action.id, d.time);
  }
  // Requests are matched in run order, so the result doesn't depend on the order records arrived in.
  sortOnce(entries);
  const actions = entries.map((e) => e.action);
  for (const d of accountRequestedToolCalls(actions, byId, llmTimes)) add(d);

  sortOnce(entries);
  return entries.map((e) => e.action);
}

/** Sorts by time then id, unless already in that order (records usually come in start order). */
function sortOnce(entries: { time: string; id: string }[]): void {
  for (let i = 1; i < entries.length; i++) {
    if (byTimeThenId(entries[i - 1]!, entries[i]!) > 0) {
      entries.sort(byTimeThenId);
      return;
    }
  }
}
