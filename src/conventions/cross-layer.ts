import type { Action, RequestedToolCall } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { setFact, setRequestedToolCalls } from "./_internals/draft.js";
import { normaliseArguments, own, stringOf } from "./_internals/values.js";
import { AI_SDK_KEYS } from "./ai-sdk.js";
import { CLASSIFICATION } from "./classify.js";
import { NATIVE_KEYS } from "./native.js";
import { turnWithUsage } from "./openai-agents.js";

/** A derived action with no record, and the time it sorts at (padded unix nanoseconds). */
export interface Derived {
  readonly action: Action;
  readonly time: string;
}

/** Unix nanoseconds padded to a fixed width, so that text order is numeric order. */
export function sortTime(nanos: string): string {
  return nanos.padStart(24, "0");
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
    derived.push({ action, time: sortTime(record.start) });
  }
  for (const root of roots) {
    if (underRoot.has(root.spanId) || !showsModelCall(root)) continue;
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
    derived.push({ action, time: sortTime(root.start) });
  }
  return derived;
}

/** Arguments normalised only when a rule compares them: most calls match by id first. */
class LazyArgs {
  #raw: unknown;
  #done = false;
  #value: string | undefined;
  constructor(raw: unknown) {
    this.#raw = raw;
  }
  get value(): string | undefined {
    if (!this.#done) {
      this.#value = normaliseArguments(this.#raw as Parameters<typeof normaliseArguments>[0]);
      this.#done = true;
    }
    return this.#value;
  }
}

interface Request {
  readonly llm: Action;
  readonly call: RequestedToolCall;
  readonly args: LazyArgs;
  readonly time: string;
  matched: boolean;
}

interface Candidate {
  readonly action: Action;
  readonly callId: string | undefined;
  readonly name: string | undefined;
  readonly args: LazyArgs;
  readonly hasArgs: boolean;
  readonly subject?: string | undefined;
  matched: boolean;
}

function toolCandidate(action: Action): Candidate {
  const args = action.facts.arguments;
  return {
    action,
    callId: stringOf(action.facts.callId),
    name: stringOf(action.facts.name) ?? action.name,
    args: new LazyArgs(args),
    hasArgs: args !== undefined,
    matched: false,
  };
}

function policyCandidate(action: Action, record: SpanRecord | undefined): Candidate {
  const a = record?.attributes ?? {};
  const args = own(a, NATIVE_KEYS.toolArguments);
  return {
    action,
    callId: stringOf(own(a, NATIVE_KEYS.toolCallId)),
    name: stringOf(own(a, NATIVE_KEYS.toolName)),
    args: new LazyArgs(args),
    hasArgs: args !== undefined && args !== null,
    subject: stringOf(action.facts.subject),
    matched: false,
  };
}

/** Ids on both sides that differ mean two different calls, whatever the names say. */
function idsCompatible(request: Request, candidate: Candidate): boolean {
  return (
    request.call.id === undefined || candidate.callId === undefined || request.call.id === candidate.callId
  );
}

interface Rule {
  /** Which index narrows the candidates: same call id, same tool name, or all of them. */
  readonly by: "callId" | "name" | "all";
  readonly test: (request: Request, candidate: Candidate) => boolean;
}

const TOOL_RULES: Rule[] = [
  { by: "callId", test: () => true },
  {
    by: "name",
    test: (r, c) => idsCompatible(r, c) && r.args.value !== undefined && c.args.value === r.args.value,
  },
  // The tool span lost (or never had) its arguments: a same-name call still accounts for the
  // request, and the missing arguments are reported on the tool action itself.
  { by: "name", test: (r, c) => idsCompatible(r, c) && !c.hasArgs },
];

const POLICY_RULES: Rule[] = [
  { by: "callId", test: () => true },
  {
    by: "all",
    test: (r, c) =>
      c.subject !== undefined &&
      (c.subject === r.call.id ||
        ((c.subject === r.llm.id || c.subject === r.llm.spanId) &&
          (c.name === undefined || c.name === r.call.name) &&
          (!c.hasArgs || c.args.value === r.args.value))),
  },
  { by: "name", test: (r, c) => idsCompatible(r, c) && (!c.hasArgs || c.args.value === r.args.value) },
];

function indexBy(
  candidates: Candidate[],
  key: (c: Candidate) => string | undefined,
): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const k = key(c);
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(c);
    else index.set(k, [c]);
  }
  return index;
}

/** Runs each rule over all open requests before trying the next, looser rule. */
function match(
  requests: Request[],
  candidates: Candidate[],
  rules: Rule[],
  onMatch: (r: Request, c: Candidate) => void,
): void {
  if (candidates.length === 0) return;
  const byCallId = indexBy(candidates, (c) => c.callId);
  const byName = indexBy(candidates, (c) => c.name);
  for (const rule of rules) {
    for (const request of requests) {
      if (request.matched) continue;
      const pool =
        rule.by === "all"
          ? candidates
          : rule.by === "callId"
            ? request.call.id === undefined
              ? undefined
              : byCallId.get(request.call.id)
            : byName.get(request.call.name);
      const candidate = pool?.find((c) => !c.matched && rule.test(request, c));
      if (!candidate) continue;
      request.matched = true;
      candidate.matched = true;
      onMatch(request, candidate);
    }
  }
}

/**
 * Accounts for every tool call a model asked for: by an executed tool action (call id, else name
 * and JSON-normalised arguments), else by a blocking policy decision. Matched tool actions get
 * `requestedBy`; each unaccounted request becomes a tool action with no record.
 * `llmTimes` gives each llm action's end time (its requests sort after it).
 */
export function accountRequestedToolCalls(
  actions: readonly Action[],
  byId: ReadonlyMap<string, SpanRecord>,
  llmTimes: ReadonlyMap<string, string>,
): Derived[] {
  const requests: Request[] = [];
  const tools: Candidate[] = [];
  const policies: Candidate[] = [];
  for (const action of actions) {
    if (action.kind === "llm") {
      const time = llmTimes.get(action.id) ?? "";
      for (const call of action.requestedToolCalls) {
        requests.push({ llm: action, call, args: new LazyArgs(call.arguments), time, matched: false });
      }
    } else if (action.kind === "tool" && action.hasRecord) tools.push(toolCandidate(action));
    else if (action.kind === "policy" && action.blocks) {
      policies.push(policyCandidate(action, action.spanId ? byId.get(action.spanId) : undefined));
    }
  }
  if (requests.length === 0) return [];

  match(requests, tools, TOOL_RULES, (r, c) => {
    c.action.requestedBy = r.llm.id;
  });
  match(requests, policies, POLICY_RULES, () => {});

  const derived: Derived[] = [];
  const used = new Set(actions.map((a) => a.id));
  const perName = new Map<string, number>();
  for (const r of requests) {
    if (r.matched) continue;
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
