import type { Action, RequestedToolCall } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { setFact, setRequestedToolCalls } from "./_internals/draft.js";
import { own, stringOf } from "./_internals/values.js";
import { type AskedCall, accountToolCalls } from "./account-tool-calls.js";
import { AI_SDK_KEYS } from "./ai-sdk.js";
import { CLASSIFICATION } from "./classify.js";
import { turnWithUsage } from "./openai-agents.js";

/** A derived action with no record, and the time it sorts at (unix nanoseconds: see `compareNanos`). */
export interface Derived {
  readonly action: Action;
  readonly time: string;
}

const MAX_ANCESTORS = 256;

function ancestors(record: SpanRecord, byId: ReadonlyMap<string, SpanRecord>): SpanRecord[] {
  const out: SpanRecord[] = [];
  const seen = new Set<string>([record.spanId]);
  let parentId = record.parentSpanId;
  while (parentId !== undefined && out.length < MAX_ANCESTORS && !seen.has(parentId)) {
    const parent = byId.get(parentId);
    if (!parent) break;
    seen.add(parentId);
    out.push(parent);
    parentId = parent.parentSpanId;
  }
  return out;
}

/** Whether `id` is among the ancestors `ancestors` gives, walked without collecting them. */
function hasAncestor(record: SpanRecord, id: string, byId: ReadonlyMap<string, SpanRecord>): boolean {
  // Steps, not distinct spans, are counted: a cycle only revisits what was seen, and one through the
  // record itself ends the walk, as in `ancestors`.
  let parentId = record.parentSpanId;
  for (let steps = 0; parentId !== undefined && steps < MAX_ANCESTORS; steps++) {
    if (parentId === record.spanId) return false;
    const parent = byId.get(parentId);
    if (!parent) return false;
    if (parentId === id) return true;
    parentId = parent.parentSpanId;
  }
  return false;
}

function recordless(kind: "llm" | "tool", id: string, name: string, from: Action | SpanRecord): Action {
  return {
    id,
    kind,
    name,
    traceId: from.traceId,
    convention: from.convention,
    hasRecord: false,
    failed: false,
    facts: {},
    requestedToolCalls: [],
    blocks: false,
    sources: {},
  };
}

/** AI SDK roots (`generateText` …): the operations classified as agents. */
const AI_SDK_ROOT = CLASSIFICATION["ai-sdk"].operations.agent;

function showsModelCall(record: SpanRecord): boolean {
  for (const key of Object.keys(record.attributes)) {
    if (key.startsWith("ai.response.") || key.startsWith("ai.usage.")) return true;
  }
  return false;
}

/**
 * LLM calls evidenced only indirectly: an Agents SDK `turn` span with token usage but no
 * generation/response span beneath it or (when model spans hang off the agent) beneath its agent
 * span; an AI SDK root whose response or usage shows a model call but that has no step span.
 */
export function inferIndirectLlmCalls(
  records: readonly SpanRecord[],
  byId: ReadonlyMap<string, SpanRecord>,
): Derived[] {
  const turns: { record: SpanRecord; agentName?: string }[] = [];
  const roots: SpanRecord[] = [];
  for (const r of records) {
    if (r.convention === "openai-agents" && r.kind === "other") {
      const turn = turnWithUsage(r);
      if (turn) turns.push({ record: r, ...turn });
    } else if (r.convention === "ai-sdk" && r.kind === "agent") {
      const op = own(r.attributes, "ai.operationId");
      if (typeof op === "string" && AI_SDK_ROOT.test(op)) roots.push(r);
    }
  }
  if (turns.length === 0 && roots.length === 0) return [];
  if (turns.length === 0 && roots.length === 1) {
    // The common AI SDK run: one root, whose steps are found walking up from each llm record.
    const root = roots[0]!;
    const stepped = records.some((r) => r.kind === "llm" && hasAncestor(r, root.spanId, byId));
    return stepped ? [] : rootModelCalls(roots, () => false);
  }

  // For every llm record: the nearest turn above it, or else the nearest agent.
  const turnIds = new Set(turns.map((t) => t.record.spanId));
  const turnsWithLlm = new Set<string>();
  const agentsWithLlm = new Set<string>();
  const underRoot = new Set<string>();
  for (const r of records) {
    if (r.kind !== "llm") continue;
    let agentSeen = false;
    for (const up of ancestors(r, byId)) {
      if (turnIds.has(up.spanId)) {
        if (!agentSeen) turnsWithLlm.add(up.spanId);
        break;
      }
      if (up.kind === "agent" && !agentSeen) {
        agentsWithLlm.add(up.spanId);
        agentSeen = true;
      }
      underRoot.add(up.spanId);
    }
  }

  const derived: Derived[] = [];
  for (const { record, agentName } of turns) {
    if (turnsWithLlm.has(record.spanId)) continue;
    const agent = ancestors(record, byId).find((up) => up.kind === "agent");
    if (agent && agentsWithLlm.has(agent.spanId)) continue;
    const action = recordless("llm", `llm:${record.spanId}`, agentName ?? "turn", record);
    action.parentSpanId = record.spanId;
    derived.push({ action, time: record.start });
  }
  derived.push(...rootModelCalls(roots, (root) => underRoot.has(root.spanId)));
  return derived;
}

/** AI SDK roots whose response or usage shows a model call and that have no step span (`stepped`). */
function rootModelCalls(roots: readonly SpanRecord[], stepped: (root: SpanRecord) => boolean): Derived[] {
  const derived: Derived[] = [];
  for (const root of roots) {
    if (stepped(root) || !showsModelCall(root)) continue;
    const model = stringOf(own(root.attributes, "ai.model.id"));
    const action = recordless("llm", `llm:${root.spanId}`, model ?? "model call", root);
    action.parentSpanId = root.spanId;
    const calls = own(root.attributes, AI_SDK_KEYS.toolCalls[0]);
    if (calls !== undefined) {
      setRequestedToolCalls(action, AI_SDK_KEYS.toolCalls[0], calls);
      // The list describes the root's last step; it is evidence for matching, not a fact of this action.
      delete action.facts.toolCalls;
      delete action.sources.toolCalls;
    }
    derived.push({ action, time: root.start });
  }
  return derived;
}

/** A request of an llm action, with the time it sorts at. */
interface Request extends AskedCall {
  readonly llm: Action;
  readonly call: RequestedToolCall;
  readonly time: string;
}

/**
 * Accounts for every tool call a model asked for, by the one rule of `accountToolCalls`. Matched tool
 * actions get `requestedBy`; each unaccounted request becomes a tool action with no record.
 * `llmTimes` gives each llm action's end time (its requests sort after it).
 */
export function accountRequestedToolCalls(
  actions: readonly Action[],
  byId: ReadonlyMap<string, SpanRecord>,
  llmTimes: ReadonlyMap<string, string>,
): Derived[] {
  const requests: Request[] = [];
  for (const action of actions) {
    if (action.kind !== "llm") continue;
    const time = llmTimes.get(action.id) ?? "";
    for (const call of action.requestedToolCalls) requests.push({ llm: action, call, time });
  }
  if (requests.length === 0) return [];
  const accounted = accountToolCalls(requests, actions, byId);

  const derived: Derived[] = [];
  // Ids taken and calls per name: needed only once a request is unaccounted, which most runs have none of.
  let used: Set<string> | undefined;
  let perName: Map<string, number> | undefined;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    const { tool, policy } = accounted[i]!;
    if (tool) tool.requestedBy = r.llm.id;
    if (tool || policy) continue;
    used ??= new Set(actions.map((a) => a.id));
    perName ??= new Map();
    let id: string;
    if (r.call.id !== undefined) id = `tool:${r.call.id}`;
    else {
      const n = (perName.get(r.call.name) ?? 0) + 1;
      perName.set(r.call.name, n);
      id = `tool:${r.call.name}#${n}`;
    }
    for (let k = 2; used.has(id); k++) id = `${id.replace(/~\d+$/, "")}~${k}`;
    used.add(id);
    const action = recordless("tool", id, r.call.name, r.llm);
    action.requestedBy = r.llm.id;
    const source = r.llm.sources.toolCalls ?? "toolCalls";
    setFact(action, "name", source, r.call.name);
    setFact(action, "callId", source, r.call.id);
    setFact(action, "arguments", source, r.call.arguments);
    derived.push({ action, time: r.time });
  }
  return derived;
}
