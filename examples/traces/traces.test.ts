import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = dirname(fileURLToPath(import.meta.url));
const read = (file: string) => readFileSync(resolve(dir, file), "utf8");

type AnyValue = Record<string, unknown>;
type Span = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  status?: { code?: number; message?: string };
  events?: { name: string }[];
  attrs: Record<string, unknown>;
};
type Request = {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans: {
      scope?: { name: string };
      spans: (Omit<Span, "attrs"> & { attributes?: { key: string; value: AnyValue }[] })[];
    }[];
  }[];
};

function value(v: AnyValue): unknown {
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("arrayValue" in v) return ((v.arrayValue as { values?: AnyValue[] }).values ?? []).map(value);
  return v;
}

function spansOf(request: Request): Span[] {
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        ...s,
        attrs: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, value(a.value)])),
      })),
    ),
  );
}

const otlp = (file: string) => spansOf(JSON.parse(read(file)) as Request);
const named = (spans: Span[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: Span[], pred: (s: Span) => boolean): Span => {
  const found = spans.filter(pred);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const json = (v: unknown) => JSON.parse(String(v)) as unknown;

function expectWellFormedSingleTrace(spans: Span[]): void {
  expect(spans.length).toBeGreaterThan(0);
  for (const s of spans) {
    expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    if (s.parentSpanId) expect(s.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
  }
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const ids = new Set(spans.map((s) => s.spanId));
  expect(ids.size).toBe(spans.length);
  // One root, every other span's parent is in the file.
  expect(spans.filter((s) => !s.parentSpanId)).toHaveLength(1);
  for (const s of spans) if (s.parentSpanId) expect(ids.has(s.parentSpanId)).toBe(true);
}

const OK_ARGS = {
  lookup_order: { orderId: "A-1001" },
  refund_payment: { orderId: "A-1001", amount: 40 },
  email_customer: { to: "jane.doe@example.com" },
};

describe.each(["ai-sdk-v6.otlp.json", "ai-sdk-v5.otlp.json"])("%s", (file) => {
  const spans = otlp(file);
  it("is one well-formed trace with hex ids", () => expectWellFormedSingleTrace(spans));
  it("has the AI SDK span tree with operation ids", () => {
    const root = one(spans, (s) => s.name === "ai.generateText");
    expect(root.attrs["ai.operationId"]).toBe("ai.generateText");
    expect(root.attrs["ai.telemetry.functionId"]).toBe("support-agent");
    expect(named(spans, "ai.generateText.doGenerate")).toHaveLength(4);
    const tools = named(spans, "ai.toolCall");
    expect(tools.map((t) => t.attrs["ai.toolCall.name"])).toEqual([
      "lookup_order",
      "refund_payment",
      "email_customer",
    ]);
    for (const s of [...tools, ...named(spans, "ai.generateText.doGenerate")])
      expect(s.parentSpanId).toBe(root.spanId);
  });
  it("records tool arguments and results, and every requested call is executed", () => {
    const requested = named(spans, "ai.generateText.doGenerate").flatMap((s) =>
      s.attrs["ai.response.toolCalls"]
        ? (json(s.attrs["ai.response.toolCalls"]) as { toolCallId: string; toolName: string }[])
        : [],
    );
    expect(requested).toHaveLength(3);
    for (const call of requested) {
      const t = one(spans, (s) => s.attrs["ai.toolCall.id"] === call.toolCallId);
      expect(t.attrs["ai.toolCall.name"]).toBe(call.toolName);
      expect(json(t.attrs["ai.toolCall.args"])).toMatchObject(OK_ARGS[call.toolName as keyof typeof OK_ARGS]);
      expect(t.attrs["ai.toolCall.result"]).toBeTypeOf("string");
    }
    const last = named(spans, "ai.generateText.doGenerate").at(-1)!;
    expect(last.attrs["ai.response.text"]).toContain("refunded 40.00 USD");
    expect(String(last.attrs["ai.prompt.messages"])).toContain("A-1001");
  });
  it("has an allow policy span under the refund tool span", () => {
    const refund = one(spans, (s) => s.attrs["ai.toolCall.name"] === "refund_payment");
    const policy = one(spans, (s) => s.attrs["trailcheck.kind"] === "policy");
    expect(policy.attrs).toMatchObject({
      "policy.name": "refund-limit",
      "policy.decision": "allow",
      "policy.tool.name": "refund_payment",
      "policy.tool_call.id": refund.attrs["ai.toolCall.id"],
      "policy.subject": refund.spanId,
    });
    expect(policy.parentSpanId).toBe(refund.spanId);
  });
});

describe("ai-sdk-v6.otlp.json usage names", () => {
  it("uses the v6 usage attributes; v5 the v5 ones", () => {
    expect(otlp("ai-sdk-v6.otlp.json")[0]!.attrs["ai.usage.inputTokens"]).toBeTypeOf("number");
    expect(otlp("ai-sdk-v5.otlp.json")[0]!.attrs["ai.usage.promptTokens"]).toBeTypeOf("number");
  });
});

describe("ai-sdk-v6-denied.otlp.json", () => {
  const spans = otlp("ai-sdk-v6-denied.otlp.json");
  it("is one well-formed trace", () => expectWellFormedSingleTrace(spans));
  it("has a failing tool span with status error and an exception event", () => {
    const failed = one(spans, (s) => s.attrs["ai.toolCall.id"] === "call_lookup_order_11");
    expect(failed.status?.code).toBe(2);
    expect(failed.events?.map((e) => e.name)).toContain("exception");
  });
  it("accounts for the denied refund by a policy span only", () => {
    const requested = named(spans, "ai.generateText.doGenerate").flatMap((s) =>
      s.attrs["ai.response.toolCalls"]
        ? (json(s.attrs["ai.response.toolCalls"]) as { toolCallId: string }[])
        : [],
    );
    expect(requested.map((c) => c.toolCallId)).toContain("call_refund_payment_13");
    expect(spans.filter((s) => s.attrs["ai.toolCall.name"] === "refund_payment")).toHaveLength(0);
    const policy = one(spans, (s) => s.attrs["policy.decision"] === "deny");
    expect(policy.attrs["policy.tool_call.id"]).toBe("call_refund_payment_13");
    expect(policy.attrs["policy.subject"]).toBeUndefined();
    const parent = one(spans, (s) => s.spanId === policy.parentSpanId);
    expect(parent.name).toBe("ai.generateText");
    expect(named(spans, "ai.generateText")).toHaveLength(2);
  });
});

describe.each([
  ["genai-semconv.otlp.json", 3],
  ["genai-semconv-denied.otlp.json", 2],
] as const)("%s", (file, toolSpans) => {
  const spans = otlp(file);
  it("is one well-formed trace", () => expectWellFormedSingleTrace(spans));
  it("follows the GenAI span names and operation names", () => {
    const agent = one(spans, (s) => s.name === "invoke_agent support-agent");
    expect(agent.attrs["gen_ai.operation.name"]).toBe("invoke_agent");
    const chats = named(spans, "chat gpt-4o");
    expect(chats).toHaveLength(4);
    for (const c of chats) {
      expect(c.attrs).toMatchObject({ "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" });
      expect(c.attrs["gen_ai.request.model"]).toBe("gpt-4o");
      expect(c.attrs["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    }
    const tools = spans.filter((s) => s.attrs["gen_ai.operation.name"] === "execute_tool");
    expect(tools).toHaveLength(toolSpans);
    for (const t of tools) expect(t.name).toBe(`execute_tool ${t.attrs["gen_ai.tool.name"]}`);
  });
  it("accounts for every tool_call part by a tool span or a policy decision", () => {
    const calls = named(spans, "chat gpt-4o").flatMap((c) =>
      (
        json(c.attrs["gen_ai.output.messages"]) as {
          parts: { type: string; id: string; arguments: unknown }[];
        }[]
      )
        .flatMap((m) => m.parts)
        .filter((p) => p.type === "tool_call"),
    );
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      const tool = spans.find((s) => s.attrs["gen_ai.tool.call.id"] === call.id);
      const policy = spans.find((s) => s.attrs["policy.tool_call.id"] === call.id);
      expect(tool ?? policy).toBeDefined();
      if (tool) expect(json(tool.attrs["gen_ai.tool.call.arguments"])).toEqual(call.arguments);
      if (policy?.attrs["policy.decision"] === "deny") expect(tool).toBeUndefined();
    }
  });
});

describe("genai-semconv.otlp.json content", () => {
  it("records arguments and results of the refund", () => {
    const spans = otlp("genai-semconv.otlp.json");
    const refund = one(spans, (s) => s.name === "execute_tool refund_payment");
    expect(json(refund.attrs["gen_ai.tool.call.arguments"])).toEqual({ orderId: "A-1001", amount: 40 });
    expect(json(refund.attrs["gen_ai.tool.call.result"])).toMatchObject({ refundId: "R-5001" });
    const policy = one(spans, (s) => s.attrs["trailcheck.kind"] === "policy");
    expect(policy.parentSpanId).toBe(refund.spanId);
    expect(policy.attrs["policy.subject"]).toBe(refund.spanId);
  });
});

describe.each([
  ["openinference.otlp.json", 3],
  ["openinference-denied.otlp.json", 2],
] as const)("%s", (file, toolSpans) => {
  const spans = otlp(file);
  const kind = (k: string) => spans.filter((s) => s.attrs["openinference.span.kind"] === k);
  it("is one well-formed trace", () => expectWellFormedSingleTrace(spans));
  it("has the OpenInference span kinds and session id everywhere", () => {
    expect(kind("CHAIN")).toHaveLength(1);
    expect(kind("AGENT")).toHaveLength(1);
    expect(kind("LLM")).toHaveLength(4);
    expect(kind("TOOL")).toHaveLength(toolSpans);
    expect(kind("GUARDRAIL")).toHaveLength(1);
    for (const s of spans) expect(s.attrs["session.id"]).toBe("sess-7f3c2a");
    for (const s of kind("LLM")) expect(s.attrs["llm.model_name"]).toMatch(/^gpt-4o/);
  });
  it("accounts for every flattened tool call by a TOOL span or the guardrail", () => {
    const prefix = "llm.output_messages.0.message.tool_calls.0.tool_call.";
    const calls = kind("LLM")
      .filter((s) => s.attrs[`${prefix}id`])
      .map((s) => ({
        id: s.attrs[`${prefix}id`],
        name: s.attrs[`${prefix}function.name`],
        args: json(s.attrs[`${prefix}function.arguments`]),
      }));
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      const tool = kind("TOOL").find((s) => s.attrs["tool_call.id"] === call.id);
      const guard = kind("GUARDRAIL").find((s) => s.attrs["policy.tool_call.id"] === call.id);
      expect(tool ?? guard).toBeDefined();
      if (tool) {
        expect(tool.attrs["tool.name"]).toBe(call.name);
        expect(json(tool.attrs["tool.parameters"])).toEqual(call.args);
        expect(tool.attrs["input.value"]).toBeTypeOf("string");
      }
    }
  });
});

describe("openai-agents.json", () => {
  const { data } = JSON.parse(read("openai-agents.json")) as { data: Record<string, unknown>[] };
  const traces = data.filter((d) => d.object === "trace");
  const spans = data.filter((d) => d.object === "trace.span") as {
    id: string;
    trace_id: string;
    parent_id: string | null;
    span_data: Record<string, unknown> & { type: string };
    error: unknown;
  }[];
  const ofType = (t: string) => spans.filter((s) => s.span_data.type === t);
  it("is the exporter payload of one trace", () => {
    expect(traces).toHaveLength(1);
    expect(traces[0]!.id).toMatch(/^trace_[0-9a-f]{32}$/);
    expect(traces[0]!.workflow_name).toBe("Customer support");
    const ids = new Set(spans.map((s) => s.id));
    for (const s of spans) {
      expect(s.id).toMatch(/^span_[0-9a-f]{24}$/);
      expect(s.trace_id).toBe(traces[0]!.id);
      if (s.parent_id) expect(ids.has(s.parent_id)).toBe(true);
    }
    expect(spans.filter((s) => !s.parent_id)).toHaveLength(1);
  });
  it("has agents, a handoff, guardrails and function calls with input and output", () => {
    expect(ofType("agent").map((s) => s.span_data.name)).toEqual(
      expect.arrayContaining(["support-agent", "refund-agent"]),
    );
    expect(ofType("handoff")[0]!.span_data).toMatchObject({
      from_agent: "support-agent",
      to_agent: "refund-agent",
    });
    expect(
      ofType("guardrail")
        .map((s) => s.span_data.name)
        .sort(),
    ).toEqual(["no-card-numbers", "refund-limit"]);
    const fns = ofType("function");
    expect(fns.map((s) => s.span_data.name)).toEqual(["lookup_order", "refund_payment", "email_customer"]);
    const refund = fns.find((s) => s.span_data.name === "refund_payment")!;
    expect(json(refund.span_data.input)).toEqual({ orderId: "A-1001", amount: 40 });
    expect(json(refund.span_data.output)).toMatchObject({ refundId: "R-5001" });
    const email = fns.find((s) => s.span_data.name === "email_customer")!;
    expect(json(email.span_data.input)).toMatchObject({ to: "jane.doe@example.com" });
  });
  it("has no generation or response spans (custom Model)", () => {
    expect(ofType("generation")).toHaveLength(0);
    expect(ofType("response")).toHaveLength(0);
  });
});

describe("collector-file-export.jsonl", () => {
  const lines = read("collector-file-export.jsonl").trimEnd().split("\n");
  const perLine = lines.map((l) => spansOf(JSON.parse(l) as Request));
  it("has one export request per line with hex ids", () => {
    expect(lines.length).toBe(3);
    for (const spans of perLine) {
      for (const s of spans) {
        expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      }
    }
  });
  it("mixes traces in a line and splits a trace across lines", () => {
    expect(perLine.some((spans) => new Set(spans.map((s) => s.traceId)).size > 1)).toBe(true);
    const linesPerTrace = new Map<string, Set<number>>();
    perLine.forEach((spans, i) => {
      for (const s of spans) linesPerTrace.set(s.traceId, (linesPerTrace.get(s.traceId) ?? new Set()).add(i));
    });
    expect(linesPerTrace.size).toBe(2);
    expect([...linesPerTrace.values()].some((l) => l.size > 1)).toBe(true);
  });
  it("holds exactly the spans of the two AI SDK v6 traces", () => {
    const expected = [...otlp("ai-sdk-v6.otlp.json"), ...otlp("ai-sdk-v6-denied.otlp.json")].map(
      (s) => s.spanId,
    );
    expect(
      perLine
        .flat()
        .map((s) => s.spanId)
        .sort(),
    ).toEqual(expected.sort());
  });
});
