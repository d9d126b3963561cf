import { createHash } from "node:crypto";
import { classifyRecord } from "../conventions/classify.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord, Status } from "../model/record.js";

/** The classes of runs whose chance of being kept differs under content-based sampling. */
export const RUN_CLASSES = ["plain", "failed", "denied"] as const;
export type RunClass = (typeof RUN_CLASSES)[number];

export const REPRESENTATIVE_CONVENTIONS = ["genai", "ai-sdk"] as const;
export type RepresentativeConvention = (typeof REPRESENTATIVE_CONVENTIONS)[number];

const id = (seed: string, bytes: number) =>
  createHash("sha256")
    .update(seed)
    .digest("hex")
    .slice(0, bytes * 2);

interface SpanSpec {
  key: string;
  parent?: string;
  name: string;
  at: number;
  ms: number;
  attributes: Attributes;
  status?: Status;
}

function build(cls: RunClass, conv: string, specs: SpanSpec[]): SpanRecord[] {
  const traceId = id(`${conv}-${cls}`, 16);
  const t0 = 1_767_225_600_000_000_000n;
  return specs.map((s) => {
    const { kind, convention } = classifyRecord(s.attributes);
    return {
      traceId,
      spanId: id(`${conv}-${cls}-${s.key}`, 8),
      ...(s.parent ? { parentSpanId: id(`${conv}-${cls}-${s.parent}`, 8) } : {}),
      name: s.name,
      kind,
      convention,
      spanKind: 1,
      start: (t0 + BigInt(s.at) * 1_000_000n).toString(),
      end: (t0 + BigInt(s.at + s.ms) * 1_000_000n).toString(),
      status: s.status ?? { code: "unset" },
      attributes: s.attributes,
      events: [],
      resource: { "service.name": "agent" },
    };
  });
}

function policy(cls: RunClass, conv: string, parent: string, callId: string): SpanSpec {
  const denied = cls === "denied";
  return {
    key: "policy",
    parent,
    name: "policy refund-limit",
    at: 310,
    ms: 2,
    status: { code: "ok" },
    attributes: {
      "trailcheck.kind": "policy",
      "policy.name": "refund-limit",
      "policy.decision": denied ? "deny" : "allow",
      "policy.reason": denied ? "amount above limit" : "amount within limit",
      "policy.subject": id(`${conv}-${cls}-tool`, 8),
      "policy.tool_call.id": callId,
      "policy.tool.name": "refund_payment",
    },
  };
}

const ARGS = JSON.stringify({ orderId: "A-1001", amount: 40 });
const RESULT = JSON.stringify({ refunded: true });
const FAIL: Status = { code: "error", message: "payment service unavailable", errorType: "ServiceError" };

function genai(cls: RunClass): SpanRecord[] {
  const calls = [
    {
      role: "assistant",
      parts: [
        {
          type: "tool_call",
          id: "call_1",
          name: "refund_payment",
          arguments: { orderId: "A-1001", amount: 40 },
        },
      ],
    },
  ];
  const specs: SpanSpec[] = [
    {
      key: "agent",
      name: "invoke_agent support-agent",
      at: 0,
      ms: 1000,
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": "support-agent",
        "gen_ai.input.messages": JSON.stringify([
          { role: "user", parts: [{ type: "text", content: "refund A-1001" }] },
        ]),
        "gen_ai.output.messages": JSON.stringify([
          { role: "assistant", parts: [{ type: "text", content: "done" }] },
        ]),
      },
      ...(cls === "failed" ? { status: FAIL } : {}),
    },
    {
      key: "llm",
      parent: "agent",
      name: "chat gpt-4o",
      at: 10,
      ms: 290,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": JSON.stringify([
          { role: "user", parts: [{ type: "text", content: "refund A-1001" }] },
        ]),
        "gen_ai.output.messages": JSON.stringify(calls),
      },
    },
    policy(cls, "genai", "agent", "call_1"),
  ];
  if (cls !== "denied") {
    specs.push({
      key: "tool",
      parent: "agent",
      name: "execute_tool refund_payment",
      at: 320,
      ms: 80,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "refund_payment",
        "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS,
        ...(cls === "failed" ? { "error.type": "ServiceError" } : { "gen_ai.tool.call.result": RESULT }),
      },
      ...(cls === "failed" ? { status: FAIL } : {}),
    });
  }
  return build(cls, "genai", specs);
}

function aiSdk(cls: RunClass): SpanRecord[] {
  const base = {
    "ai.telemetry.functionId": "support-agent",
    "ai.model.id": "gpt-4o",
    "ai.model.provider": "openai.chat",
  };
  const specs: SpanSpec[] = [
    {
      key: "agent",
      name: "ai.generateText",
      at: 0,
      ms: 1000,
      attributes: {
        ...base,
        "ai.operationId": "ai.generateText",
        "operation.name": "ai.generateText support-agent",
        "ai.prompt": JSON.stringify({ prompt: "refund A-1001" }),
        "ai.response.text": "done",
      },
    },
    {
      key: "llm",
      parent: "agent",
      name: "ai.generateText.doGenerate",
      at: 10,
      ms: 290,
      attributes: {
        ...base,
        "ai.operationId": "ai.generateText.doGenerate",
        "gen_ai.request.model": "gpt-4o",
        "ai.prompt.messages": JSON.stringify([{ role: "user", content: "refund A-1001" }]),
        "ai.response.toolCalls": JSON.stringify([
          { toolCallId: "call_1", toolName: "refund_payment", input: ARGS },
        ]),
      },
    },
    policy(cls, "ai-sdk", "agent", "call_1"),
  ];
  if (cls !== "denied") {
    specs.push({
      key: "tool",
      parent: "agent",
      name: "ai.toolCall",
      at: 320,
      ms: 80,
      attributes: {
        ...base,
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "refund_payment",
        "ai.toolCall.id": "call_1",
        "ai.toolCall.args": ARGS,
        ...(cls === "failed" ? {} : { "ai.toolCall.result": RESULT }),
      },
      ...(cls === "failed" ? { status: FAIL } : {}),
    });
  }
  return build(cls, "ai-sdk", specs);
}

/**
 * A small, fully recorded run of the given class, used by `analyze` to see what the config does to
 * content it would meet in every run: an agent, a model call that asks for a refund, the policy
 * decision on it and (unless denied) the tool call.
 */
export function representativeRun(cls: RunClass, convention: RepresentativeConvention): SpanRecord[] {
  return convention === "genai" ? genai(cls) : aiSdk(cls);
}
