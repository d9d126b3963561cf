import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { normaliseArguments, own, stringOf } from "./_internals/values.js";
import { type MatchPass, matchOnce } from "./match-once.js";
import { NATIVE_KEYS } from "./native.js";

/** A tool call a model asked for, as the records or the model exchange show it. */
export interface ToolCallRequest {
  readonly id?: string | undefined;
  readonly name: string;
  readonly arguments?: unknown;
}

/** A request with the llm action that made it, when a record shows one (a policy may name it). */
export interface AskedCall {
  readonly call: ToolCallRequest;
  readonly llm?: Action;
}

/** What accounts for one request: the executed tool action, else the policy decision that blocked it. */
export interface Accounting {
  readonly tool?: Action;
  readonly policy?: Action;
}

/** A request nothing accounts for (one object for all of them: most runs have many requests). */
const UNACCOUNTED: Accounting = Object.freeze({});

/** Arguments normalised only when a pass compares them: most calls match by id first. */
class LazyArgs {
  #raw: unknown;
  #done = false;
  #value: string | undefined;
  constructor(raw: unknown) {
    this.#raw = raw;
  }
  get value(): string | undefined {
    if (!this.#done) {
      this.#value = normaliseArguments(this.#raw);
      this.#done = true;
    }
    return this.#value;
  }
}

interface Request {
  readonly asked: AskedCall;
  readonly args: LazyArgs;
}

interface Candidate {
  readonly action: Action;
  readonly callId: string | undefined;
  readonly name: string | undefined;
  readonly args: LazyArgs;
  readonly hasArgs: boolean;
  readonly subject?: string | undefined;
}

function toolCandidate(action: Action): Candidate {
  const args = action.facts.arguments;
  return {
    action,
    callId: stringOf(action.facts.callId),
    name: stringOf(action.facts.name) ?? action.name,
    args: new LazyArgs(args),
    hasArgs: args !== undefined,
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
  };
}

const BY_CALL_ID = { request: (r: Request) => r.asked.call.id, candidate: (c: Candidate) => c.callId };
const BY_NAME = { request: (r: Request) => r.asked.call.name, candidate: (c: Candidate) => c.name };

/** Ids on both sides that differ mean two different calls, whatever the names say. */
function idsCompatible(r: Request, c: Candidate): boolean {
  const id = r.asked.call.id;
  return id === undefined || c.callId === undefined || id === c.callId;
}

const TOOL_PASSES: MatchPass<Request, Candidate>[] = [
  { key: BY_CALL_ID },
  {
    key: BY_NAME,
    test: (r, c) => idsCompatible(r, c) && r.args.value !== undefined && c.args.value === r.args.value,
  },
  // The tool span lost (or never had) its arguments: a same-name call still accounts for the
  // request, and the missing arguments are reported on the tool action itself.
  { key: BY_NAME, test: (r, c) => idsCompatible(r, c) && !c.hasArgs },
];

/** For a caller that reports wrong arguments itself: any same-name call is the request's record. */
const SAME_NAME: MatchPass<Request, Candidate> = { key: BY_NAME, test: idsCompatible };

const POLICY_PASSES: MatchPass<Request, Candidate>[] = [
  { key: BY_CALL_ID },
  {
    test: (r, c) => {
      const { call, llm } = r.asked;
      return (
        c.subject !== undefined &&
        (c.subject === call.id ||
          (llm !== undefined &&
            (c.subject === llm.id || c.subject === llm.spanId) &&
            (c.name === undefined || c.name === call.name) &&
            (!c.hasArgs || c.args.value === r.args.value)))
      );
    },
  },
  { key: BY_NAME, test: (r, c) => idsCompatible(r, c) && (!c.hasArgs || c.args.value === r.args.value) },
];

/**
 * The one rule for what accounts for a tool call a model asked for: an executed tool action with the
 * same call id, else the same name and the same JSON-normalised arguments, else the same name where
 * the tool action has no arguments (its own gap); failing those, a blocking policy decision naming the
 * call (its call id, its subject, or the tool's name and arguments). Each action accounts for one call
 * at most. `anySameName` lets a caller that compares arguments itself take a same-name call with other
 * arguments as the call's record. `records` finds a policy action's record by span id. Pure.
 */
export function accountToolCalls(
  asked: readonly AskedCall[],
  actions: readonly Action[],
  records: ReadonlyMap<string, SpanRecord>,
  options: { readonly anySameName?: boolean } = {},
): Accounting[] {
  const out: Accounting[] = asked.map(() => UNACCOUNTED);
  if (asked.length === 0) return out;
  const tools: Candidate[] = [];
  const policies: Candidate[] = [];
  for (const action of actions) {
    if (action.kind === "tool" && action.hasRecord) tools.push(toolCandidate(action));
    else if (action.kind === "policy" && action.blocks) {
      policies.push(policyCandidate(action, action.spanId ? records.get(action.spanId) : undefined));
    }
  }
  const requests = asked.map((a) => ({ asked: a, args: new LazyArgs(a.call.arguments) }));
  const toolOf = matchOnce(requests, tools, options.anySameName ? [...TOOL_PASSES, SAME_NAME] : TOOL_PASSES);
  const open = requests.filter((_, i) => toolOf[i] === -1);
  const policyOf = matchOnce(open, policies, POLICY_PASSES);
  let next = 0;
  for (let i = 0; i < requests.length; i++) {
    const t = toolOf[i]!;
    if (t !== -1) out[i] = { tool: tools[t]!.action };
    else {
      const p = policyOf[next++]!;
      if (p !== -1) out[i] = { policy: policies[p]!.action };
    }
  }
  return out;
}
