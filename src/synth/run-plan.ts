import fc from "fast-check";
import { traceIdArb } from "./_internals/ids.js";
import { chance, type Payload, type PayloadBounds, payloadArb } from "./_internals/payload.js";
import { SYNTH_CONVENTIONS, type SynthConvention, type SynthOptions, synthOptions } from "./options.js";

/** One tool call a model asks for, and what became of it. */
export interface CallPlan {
  readonly tool: string;
  readonly args: Payload;
  readonly amount: number;
  readonly result: Payload;
  readonly outcome: "ok" | "error" | "denied";
  /** For a call that runs: its allowing policy decision is recorded too. */
  readonly policy: boolean;
  readonly policyName: string;
  readonly ms: number;
}

/** One model call: asks for tools, or (the final turn) answers. */
export interface TurnPlan {
  readonly model: string;
  readonly prompt: Payload;
  readonly answer: Payload;
  readonly calls: readonly CallPlan[];
  readonly ms: number;
}

export type StepPlan =
  | { readonly type: "turn"; readonly turn: TurnPlan }
  | { readonly type: "handoff"; readonly agent: AgentPlan }
  | { readonly type: "delegate"; readonly agent: AgentPlan };

export interface AgentPlan {
  readonly name: string;
  readonly input: Payload;
  readonly output: Payload;
  readonly steps: readonly StepPlan[];
  /** Every agent ends with a model turn that answers. */
  readonly final: TurnPlan;
  readonly failed: boolean;
}

/** A run before it is written in a convention: what happened, in order. */
export interface RunPlan {
  readonly traceId: string;
  readonly convention: SynthConvention;
  readonly root: AgentPlan;
}

const TOOLS = ["lookup_order", "refund_payment", "send_email", "search_kb", "get_weather"];
const AGENTS = ["support", "billing", "triage", "research"];
const MODELS = ["gpt-4o", "gpt-4.1-mini", "claude-sonnet-4"];
const POLICIES = ["refund-limit", "pii-guard", "tool-allow-list"];

function durationArb(o: SynthOptions, usual: number): fc.Arbitrary<number> {
  const late = fc.integer({ min: Math.min(30_000, o.maxLateMs), max: o.maxLateMs });
  return chance(o.lateRate).chain((slow) => (slow ? late : fc.integer({ min: 1, max: usual })));
}

function outcomeArb(o: SynthOptions): fc.Arbitrary<CallPlan["outcome"]> {
  // One draw in [0, 1000): low values (where shrinking goes) are plain successes.
  const denied = Math.round(1000 * (1 - o.denialRate));
  const failed = Math.round(1000 * (1 - o.denialRate - o.errorRate));
  return fc.integer({ min: 0, max: 999 }).map((u) => (u >= denied ? "denied" : u >= failed ? "error" : "ok"));
}

function callArb(o: SynthOptions, payload: fc.Arbitrary<Payload>): fc.Arbitrary<CallPlan> {
  return fc.record({
    tool: fc.constantFrom(...TOOLS),
    args: payload,
    amount: fc.integer({ min: 0, max: 5000 }),
    result: payload,
    outcome: outcomeArb(o),
    policy: chance(o.policyRate),
    policyName: fc.constantFrom(...POLICIES),
    ms: durationArb(o, 500),
  });
}

function turnArb(o: SynthOptions, payload: fc.Arbitrary<Payload>, minCalls: number, maxCalls: number) {
  return fc.record({
    model: fc.constantFrom(...MODELS),
    prompt: payload,
    answer: payload,
    calls: fc.array(callArb(o, payload), { minLength: minCalls, maxLength: maxCalls }),
    ms: durationArb(o, 2000),
  });
}

/**
 * Agents nest by depth: below `maxDepth` a step may hand off to or delegate to another agent. The
 * recursion is unrolled level by level (at most a handful), so every level shrinks on its own.
 */
function agentArb(o: SynthOptions, payload: fc.Arbitrary<Payload>, depth: number): fc.Arbitrary<AgentPlan> {
  const turn = turnArb(o, payload, 1, o.maxToolCalls).map((t) => ({ type: "turn" as const, turn: t }));
  let step: fc.Arbitrary<StepPlan> = turn;
  if (depth < o.maxDepth) {
    const nested = agentArb(o, payload, depth + 1);
    step = fc.oneof(
      { weight: 4, arbitrary: turn },
      { weight: 1, arbitrary: nested.map((agent) => ({ type: "handoff" as const, agent })) },
      { weight: 1, arbitrary: nested.map((agent) => ({ type: "delegate" as const, agent })) },
    );
  }
  return fc.record({
    name: fc.constantFrom(...AGENTS),
    input: payload,
    output: payload,
    steps: fc.array(step, { maxLength: o.maxBreadth }),
    final: turnArb(o, payload, 0, 0),
    failed: chance(o.agentErrorRate),
  });
}

/** Truth runs as plans: nested agents, handoffs, tool calls that succeed, fail or are denied. */
export function runPlanArb(options: Partial<SynthOptions> = {}): fc.Arbitrary<RunPlan> {
  const o = synthOptions(options);
  const bounds: PayloadBounds = { maxPad: o.maxPayloadBytes, largeRate: o.largeRate, piiRate: o.piiRate };
  const convention = o.convention ? fc.constant(o.convention) : fc.constantFrom(...SYNTH_CONVENTIONS);
  return fc.record({
    traceId: traceIdArb(),
    convention,
    root: agentArb(o, payloadArb(bounds), 0),
  });
}
