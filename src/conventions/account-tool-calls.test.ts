import { describe, expect, it } from "vitest";
import { groundTruth, instrumentationGaps } from "../replay/ground-truth.js";
import { span } from "../testing/records.js";
import { deriveActions } from "./index.js";
import { matchOnce } from "./match-once.js";

describe("matchOnce", () => {
  const byId = { key: { request: (r: Call) => r.id, candidate: (c: Call) => c.id } };
  const byName = { key: { request: (r: Call) => r.name, candidate: (c: Call) => c.name } };
  interface Call {
    readonly id?: string;
    readonly name: string;
  }

  it("runs each pass over every open request first, so a loose match never takes a strict one's candidate", () => {
    const requests: Call[] = [{ name: "refund" }, { id: "c2", name: "refund" }];
    const candidates: Call[] = [{ id: "c2", name: "refund" }];
    expect(matchOnce(requests, candidates, [byId, byName])).toEqual([-1, 0]);
  });

  it("uses each candidate once, the first free one in candidate order", () => {
    const requests: Call[] = [{ name: "a" }, { name: "a" }, { name: "a" }];
    const candidates: Call[] = [{ name: "b" }, { name: "a" }, { name: "a" }];
    expect(matchOnce(requests, candidates, [byName])).toEqual([1, 2, -1]);
  });

  it("tries every candidate in a pass without a key, and a request without a key gets none", () => {
    const requests: Call[] = [{ name: "x" }];
    expect(matchOnce(requests, [{ name: "y" }], [{}])).toEqual([0]);
    expect(matchOnce(requests, [{ id: "1", name: "x" }], [byId])).toEqual([-1]);
  });
});

describe("one rule accounts for a requested tool call in check and in replay", () => {
  const asks = JSON.stringify([
    {
      role: "assistant",
      parts: [{ type: "tool_call", id: "call_2", name: "refund_payment", arguments: { orderId: "A-1" } }],
    },
  ]);
  const llm = span({
    id: 1,
    name: "chat",
    attributes: { "gen_ai.operation.name": "chat", "gen_ai.output.messages": asks },
  });
  const answer = span({ id: 3, name: "chat", attributes: { "gen_ai.operation.name": "chat" } });
  // A guardrail that names the tool and its arguments, not the model's call id.
  const policy = span({
    id: 2,
    name: "refund-limit",
    attributes: {
      "trailcheck.kind": "policy",
      "policy.decision": "deny",
      "policy.tool.name": "refund_payment",
      "policy.tool.arguments": '{"orderId":"A-1"}',
    },
  });
  const truth = groundTruth([
    {
      index: 0,
      api: "chat",
      stream: false,
      model: "m",
      turn: 0,
      request: {},
      toolResults: [],
      response: {
        kind: "tool-calls",
        toolCalls: [{ id: "call_2", name: "refund_payment", arguments: { orderId: "A-1" } }],
      },
    },
    {
      index: 1,
      api: "chat",
      stream: false,
      model: "m",
      turn: 1,
      request: {},
      toolResults: [],
      response: { kind: "text", text: "no" },
    },
  ]);

  it("a blocking decision naming the tool and its arguments accounts for the call in both", () => {
    const actions = deriveActions([llm, policy, answer]);
    expect(actions.filter((a) => a.kind === "tool")).toEqual([]);
    expect(instrumentationGaps(truth, [llm, policy, answer])).toEqual([]);
  });

  it("the same decision about other arguments accounts for it in neither", () => {
    const other = {
      ...policy,
      attributes: { ...policy.attributes, "policy.tool.arguments": '{"orderId":"B-9"}' },
    };
    const actions = deriveActions([llm, other, answer]);
    expect(actions.filter((a) => a.kind === "tool" && !a.hasRecord).map((a) => a.name)).toEqual([
      "refund_payment",
    ]);
    expect(instrumentationGaps(truth, [llm, other, answer]).map((g) => [g.action.name, g.fact])).toEqual([
      ["refund_payment", "record"],
    ]);
  });
});
