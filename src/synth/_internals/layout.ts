import type { AgentPlan, CallPlan, RunPlan, TurnPlan } from "../run-plan.js";
import { spanIdFor } from "./ids.js";
import { type Payload, payloadText } from "./payload.js";

/** A tool call as the model asked for it; `args` is the JSON text. */
export interface PlannedCall {
  readonly id: string;
  readonly name: string;
  readonly args: string;
}

interface Common {
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** Milliseconds from the run's start. */
  readonly startMs: number;
  endMs: number;
}

/** One span of a run, convention-free: what each renderer writes in its own attributes. */
export type PlannedSpan = Common &
  (
    | { role: "agent"; name: string; input: string; output: string; failed: boolean }
    | { role: "llm"; model: string; prompt: string; answer: string; calls: PlannedCall[] }
    | { role: "tool"; call: PlannedCall; result?: string; error?: { type: string; message: string } }
    | {
        role: "policy";
        policyName: string;
        decision: "allow" | "deny";
        reason: string;
        call: PlannedCall;
        /** The governed tool span, or the call id of a call that never ran. */
        subject: string;
      }
    | { role: "handoff"; from: string; to: string }
  );

const text = (p: Payload) => payloadText(p);

function argsJson(call: CallPlan): string {
  return JSON.stringify({ query: text(call.args), amount: call.amount });
}

/**
 * Lays a plan out as spans with times: each agent runs its steps one after another, a model turn's
 * tool calls run after it (or are blocked by a policy decision), and an agent ends after its last
 * child. Spans are listed in start order.
 */
export function layoutRun(plan: RunPlan): PlannedSpan[] {
  const spans: PlannedSpan[] = [];
  let callNo = 0;
  const nextSpanId = () => spanIdFor(plan.traceId, spans.length + 1);

  const turn = (t: TurnPlan, parent: string, start: number): number => {
    const calls = t.calls.map((c) => ({ id: `call_${++callNo}`, name: c.tool, args: argsJson(c) }));
    const llm: PlannedSpan = {
      role: "llm",
      spanId: nextSpanId(),
      parentSpanId: parent,
      startMs: start,
      endMs: start + t.ms,
      model: t.model,
      prompt: text(t.prompt),
      answer: text(t.answer),
      calls,
    };
    spans.push(llm);
    let at = llm.endMs + 1;
    t.calls.forEach((c, i) => {
      const call = calls[i]!;
      if (c.outcome === "denied") {
        spans.push({
          role: "policy",
          spanId: nextSpanId(),
          parentSpanId: parent,
          startMs: at,
          endMs: at + 2,
          policyName: c.policyName,
          decision: "deny",
          reason: `${c.tool} not allowed: ${c.policyName}`,
          call,
          subject: call.id,
        });
        at += 3;
        return;
      }
      const tool: PlannedSpan = {
        role: "tool",
        spanId: nextSpanId(),
        parentSpanId: parent,
        startMs: at,
        endMs: at + c.ms + 2,
        call,
        ...(c.outcome === "error"
          ? { error: { type: "ToolError", message: `${c.tool} failed: service unavailable` } }
          : { result: JSON.stringify({ ok: true, note: text(c.result) }) }),
      };
      spans.push(tool);
      if (c.policy) {
        spans.push({
          role: "policy",
          spanId: nextSpanId(),
          parentSpanId: tool.spanId,
          startMs: at + 1,
          endMs: at + 2,
          policyName: c.policyName,
          decision: "allow",
          reason: `${c.tool} allowed by ${c.policyName}`,
          call,
          subject: tool.spanId,
        });
      }
      at = tool.endMs + 1;
    });
    return at;
  };

  const agent = (a: AgentPlan, parent: string | undefined, start: number): number => {
    const me: PlannedSpan = {
      role: "agent",
      spanId: nextSpanId(),
      ...(parent ? { parentSpanId: parent } : {}),
      startMs: start,
      endMs: start,
      name: a.name,
      input: text(a.input),
      output: text(a.output),
      failed: a.failed,
    };
    spans.push(me);
    let at = start + 1;
    for (const step of a.steps) {
      if (step.type === "turn") at = turn(step.turn, me.spanId, at);
      else {
        if (step.type === "handoff") {
          spans.push({
            role: "handoff",
            spanId: nextSpanId(),
            parentSpanId: me.spanId,
            startMs: at,
            endMs: at + 1,
            from: a.name,
            to: step.agent.name,
          });
          at += 2;
        }
        at = agent(step.agent, me.spanId, at) + 1;
      }
    }
    at = turn(a.final, me.spanId, at);
    me.endMs = at + 1;
    return me.endMs;
  };

  agent(plan.root, undefined, 0);
  return spans;
}
