import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { sid, span, without } from "../testing/records.js";
import { aiSdkRun, genAiRun, openAiAgentsRun } from "../testing/runs.js";
import { deriveActions } from "./index.js";

const chat = (id: number, output: unknown, parent = 1) =>
  span({
    id,
    parent,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.output.messages": JSON.stringify(output),
    },
  });
const agent = span({
  id: 1,
  attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a" },
});
const askFor = (...calls: { id?: string; name: string; arguments?: unknown }[]) => [
  { role: "assistant", parts: calls.map((c) => ({ type: "tool_call", ...c })) },
];
const tool = (id: number, name: string, attrs: Record<string, string> = {}) =>
  span({
    id,
    parent: 1,
    attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name, ...attrs },
  });
const policy = (id: number, attrs: Record<string, string>) =>
  span({ id, parent: 1, attributes: { "trailcheck.kind": "policy", "policy.name": "p", ...attrs } });

function recordless(records: SpanRecord[]) {
  return deriveActions(records).filter((a) => !a.hasRecord);
}

describe("requested tool calls", () => {
  it("turns a requested but unexecuted call into a tool action with no record", () => {
    const run = genAiRun().records.filter((r) => r.spanId !== sid(3));
    const [missing, ...rest] = recordless(run);
    expect(rest).toEqual([]);
    expect(missing).toMatchObject({
      id: "tool:call_1",
      kind: "tool",
      name: "get_weather",
      hasRecord: false,
      requestedBy: sid(2),
      facts: { name: "get_weather", callId: "call_1", arguments: '{"city":"Paris"}' },
      sources: { callId: "gen_ai.output.messages" },
    });
    expect(missing!.facts.record).toBeUndefined();
    // It sorts right after the model call that asked for it.
    const ids = deriveActions(run).map((a) => a.id);
    expect(ids.indexOf("tool:call_1")).toBe(ids.indexOf(sid(2)) + 1);
  });

  it("does so in every convention that records requests", () => {
    expect(recordless(aiSdkRun().records.filter((r) => r.spanId !== sid(3))).map((a) => a.id)).toEqual([
      "tool:call_1",
    ]);
    const agents = openAiAgentsRun().records.filter((r) => r.spanId !== sid(5));
    expect(recordless(agents).map((a) => [a.id, a.requestedBy])).toEqual([["tool:call_1", sid(4)]]);
  });

  it("names a call without id by tool name and ordinal", () => {
    const records = [agent, chat(2, askFor({ name: "search", arguments: { q: "a" } }, { name: "search" }))];
    expect(recordless(records).map((a) => a.id)).toEqual(["tool:search#1", "tool:search#2"]);
  });

  it("matches by call id first, then by name and JSON-normalised arguments", () => {
    const records = [
      agent,
      chat(
        2,
        askFor(
          { id: "c1", name: "search", arguments: { q: "x", n: 1 } },
          { name: "search", arguments: '{"n":2,"q":"y"}' },
        ),
      ),
      tool(3, "search", { "gen_ai.tool.call.arguments": '{ "q": "y", "n": 2 }' }),
      tool(4, "search", { "gen_ai.tool.call.id": "c1", "gen_ai.tool.call.arguments": "garbage" }),
    ];
    const actions = deriveActions(records);
    expect(actions.filter((a) => !a.hasRecord)).toEqual([]);
    expect(actions.find((a) => a.id === sid(3))!.requestedBy).toBe(sid(2));
    expect(actions.find((a) => a.id === sid(4))!.requestedBy).toBe(sid(2));
  });

  it("does not match different arguments, different call ids, or one tool span twice", () => {
    const records = [
      agent,
      chat(2, askFor({ name: "search", arguments: { q: "x" } }, { name: "search", arguments: { q: "x" } })),
      chat(3, askFor({ id: "c9", name: "lookup", arguments: {} })),
      tool(4, "search", { "gen_ai.tool.call.arguments": '{"q":"x"}' }),
      tool(5, "search", { "gen_ai.tool.call.arguments": '{"q":"other"}' }),
      tool(6, "lookup", { "gen_ai.tool.call.id": "c8", "gen_ai.tool.call.arguments": "{}" }),
    ];
    expect(recordless(records).map((a) => a.id)).toEqual(["tool:search#1", "tool:c9"]);
  });

  it("still accounts for a call whose tool span lost its arguments (the loss shows on the tool)", () => {
    const run = openAiAgentsRun().records.map((r) =>
      r.spanId === sid(5) ? without(r, "span_data.input") : r,
    );
    const actions = deriveActions(run);
    expect(actions.filter((a) => !a.hasRecord)).toEqual([]);
    const fn = actions.find((a) => a.id === sid(5))!;
    expect(fn.facts.arguments).toBeUndefined();
    expect(fn.requestedBy).toBe(sid(4));
  });
});

describe("blocking policy decisions", () => {
  const ask = chat(2, askFor({ id: "c1", name: "refund", arguments: { amount: 500 } }));

  it("accounts for a denied call by policy.tool_call.id", () => {
    const records = [agent, ask, policy(3, { "policy.decision": "deny", "policy.tool_call.id": "c1" })];
    const actions = deriveActions(records);
    expect(actions.filter((a) => !a.hasRecord)).toEqual([]);
    expect(actions.find((a) => a.kind === "policy")).toMatchObject({
      blocks: true,
      facts: { decision: "deny" },
    });
  });

  it("accounts by subject (the call id, or the asking model call with the tool name)", () => {
    expect(
      recordless([agent, ask, policy(3, { "policy.decision": "deny", "policy.subject": "c1" })]),
    ).toEqual([]);
    const bySubject = policy(3, {
      "policy.decision": "deny",
      "policy.subject": sid(2),
      "policy.tool.name": "refund",
    });
    expect(recordless([agent, ask, bySubject])).toEqual([]);
  });

  it("accounts by tool name and arguments", () => {
    const p = policy(3, {
      "policy.decision": "deny",
      "policy.tool.name": "refund",
      "policy.tool.arguments": '{ "amount": 500 }',
    });
    expect(recordless([agent, ask, p])).toEqual([]);
    const other = policy(3, {
      "policy.decision": "deny",
      "policy.tool.name": "refund",
      "policy.tool.arguments": '{"amount":40}',
    });
    expect(recordless([agent, ask, other]).map((a) => a.id)).toEqual(["tool:c1"]);
  });

  it("does not account by an allow or flag decision, nor once the decision is lost", () => {
    for (const decision of ["allow", "flag"]) {
      const p = policy(3, { "policy.decision": decision, "policy.tool_call.id": "c1" });
      expect(recordless([agent, ask, p]).map((a) => a.id)).toEqual(["tool:c1"]);
    }
    const lost = without(
      policy(3, { "policy.decision": "deny", "policy.tool_call.id": "c1" }),
      "policy.decision",
    );
    expect(recordless([agent, ask, lost]).map((a) => a.id)).toEqual(["tool:c1"]);
  });

  it("reads Agents SDK guardrails (triggered → deny, blocks) and OpenInference guardrail output", () => {
    const g = span({
      id: 1,
      attributes: { "span_data.type": "guardrail", "span_data.name": "no-pii", "span_data.triggered": true },
      status: { code: "error", message: "Guardrail tripwire triggered" },
    });
    expect(deriveActions([g])[0]).toMatchObject({
      kind: "policy",
      name: "no-pii",
      blocks: true,
      facts: { decision: "deny" },
      sources: { decision: "span_data.triggered" },
    });
    const oi = (output: string) =>
      deriveActions([
        span({ id: 1, attributes: { "openinference.span.kind": "GUARDRAIL", "output.value": output } }),
      ])[0]!;
    expect(oi('{"triggered":true}')).toMatchObject({ blocks: true, facts: { decision: "deny" } });
    expect(oi("passed")).toMatchObject({ blocks: false, facts: { decision: "allow" } });
    expect(oi("not a verdict").facts.decision).toBeUndefined();
  });
});

describe("LLM calls evidenced only indirectly", () => {
  it("infers an llm action from an Agents SDK turn with usage and no generation span", () => {
    const run = openAiAgentsRun().records.filter((r) => r.spanId !== sid(4) && r.spanId !== sid(8));
    const inferred = recordless(run);
    expect(inferred).toMatchObject([{ id: `llm:${sid(3)}`, kind: "llm", hasRecord: false, name: "weather" }]);
  });

  it("does not infer one when a generation span sits under the turn or directly under the agent", () => {
    expect(recordless(openAiAgentsRun().records)).toEqual([]);
    const flat = openAiAgentsRun().records.map((r) =>
      r.spanId === sid(4) || r.spanId === sid(8) ? { ...r, parentSpanId: sid(2) } : r,
    );
    expect(recordless(flat)).toEqual([]);
  });

  it("does not infer one from a turn without usage", () => {
    const run = openAiAgentsRun()
      .records.filter((r) => r.spanId !== sid(4) && r.spanId !== sid(8))
      .map((r) => (r.spanId === sid(3) ? without(r, "span_data.data.usage") : r));
    expect(recordless(run)).toEqual([]);
  });

  it("infers one from an AI SDK root that shows a model call but has no doGenerate child", () => {
    const run = aiSdkRun().records.filter((r) => r.spanId !== sid(2) && r.spanId !== sid(4));
    expect(recordless(run)).toMatchObject([{ id: `llm:${sid(1)}`, kind: "llm", name: "gpt-4o" }]);
    expect(recordless(aiSdkRun().records)).toEqual([]);
  });
});
