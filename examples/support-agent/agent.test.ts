// End-to-end replays of the reference agent: the real AI SDK against the mock model, its real
// OTLP export into the receiver, judged against the exchange.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deriveActions } from "../../src/conventions/index.js";
import type { SpanRecord } from "../../src/model/record.js";
import type { ToolCallStart } from "../../src/public/guard.js";
import { agentTraceId, instrumentationGaps } from "../../src/replay/ground-truth.js";
import { ledgerGaps } from "../../src/replay/ledger-check.js";
import { type ReplayResult, runReplay } from "../../src/replay/runner.js";
import { loadScenario } from "../../src/replay/scenario.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COMMAND = "node bin/run-ts.js examples/support-agent/agent.ts";
const PLAIN = "node bin/run-ts.js examples/support-agent/plain-agent.ts";
const scenarioFile = (name: string) => fileURLToPath(new URL(`./scenarios/${name}.yaml`, import.meta.url));

async function replay(
  name: string,
  env: Record<string, string> = {},
  command = COMMAND,
): Promise<ReplayResult> {
  const result = await runReplay({
    scenario: await loadScenario(scenarioFile(name)),
    command,
    cwd: ROOT,
    env,
    timeoutMs: 90_000,
  });
  if (result.failure && !env.SUPPORT_AGENT_NO_FLUSH) {
    throw new Error(`replay failed: ${result.failure.kind}: ${result.failure.message}\n${result.stderr}`);
  }
  return result;
}

const byKind = (records: readonly SpanRecord[], kind: SpanRecord["kind"]) =>
  records.filter((r) => r.kind === kind);

const T = 120_000;

describe("reference support agent, replayed", () => {
  it(
    "Chat Completions, generateText: an allowed refund, every fact accounted for",
    async () => {
      const r = await replay("refund-allowed");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("I've refunded 40.00 USD");
      expect(r.exchanges.every((e) => e.api === "chat" && !e.stream)).toBe(true);
      expect(r.exchange.modelCalls).toBe(4);
      expect(r.exchange.toolCallsRequested.map((c) => c.name)).toEqual([
        "lookup_order",
        "refund_payment",
        "email_customer",
      ]);
      expect(r.exchange.toolResults.map((t) => t.callId)).toEqual([
        "call_lookup_order_01",
        "call_refund_payment_02",
        "call_email_customer_03",
      ]);
      expect(new Set(r.records.map((x) => x.traceId)).size).toBe(1);
      expect(byKind(r.records, "llm")).toHaveLength(4);
      expect(byKind(r.records, "tool")).toHaveLength(3);
      expect(byKind(r.records, "agent")).toHaveLength(1);
      const [policy] = byKind(r.records, "policy");
      expect(policy!.attributes).toMatchObject({
        "policy.decision": "allow",
        "policy.tool_call.id": "call_refund_payment_02",
      });
      const refundSpan = r.records.find((x) => x.attributes["ai.toolCall.id"] === "call_refund_payment_02")!;
      expect(policy!.attributes["policy.subject"]).toBe(refundSpan.spanId);
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
    },
    T,
  );

  it(
    "Chat Completions, streamText: a denied refund names the call it governed",
    async () => {
      const r = await replay("refund-denied", { SUPPORT_AGENT_STREAM: "1" });
      expect(r.exchanges.every((e) => e.api === "chat" && e.stream)).toBe(true);
      expect(r.exchange.modelCalls).toBe(3);
      expect(byKind(r.records, "agent")[0]!.name).toBe("ai.streamText");
      const [policy] = byKind(r.records, "policy");
      expect(policy!.attributes).toMatchObject({
        "policy.decision": "deny",
        "policy.tool_call.id": "call_refund_payment_12",
      });
      const denied = r.exchange.toolResults.find((t) => t.callId === "call_refund_payment_12")!;
      expect(JSON.parse(denied.output)).toMatchObject({ error: "denied_by_policy" });
      const actions = deriveActions(r.records);
      expect(actions.find((a) => a.kind === "policy")?.blocks).toBe(true);
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
    },
    T,
  );

  it(
    "Responses API, generateText: a failing tool is recorded as an error, the run goes on",
    async () => {
      const r = await replay("tool-error", { SUPPORT_AGENT_API: "responses" });
      expect(r.exchanges.every((e) => e.api === "responses" && !e.stream)).toBe(true);
      expect(r.stdout).toContain("Order A-1001 was delivered.");
      const failed = r.records.find((x) => x.attributes["ai.toolCall.id"] === "call_lookup_order_31")!;
      expect(failed.status.code).toBe("error");
      expect(r.exchange.toolResults[0]!.output).toContain("unknown order A-1O01");
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
    },
    T,
  );

  it(
    "Responses API, streamText: a model API 500 mid-run is retried and recorded",
    async () => {
      const r = await replay("model-error", { SUPPORT_AGENT_API: "responses", SUPPORT_AGENT_STREAM: "1" });
      expect(r.exchanges.map((e) => e.response.kind)).toEqual(["tool-calls", "error", "tool-calls", "text"]);
      expect(r.exchanges.every((e) => e.api === "responses" && e.stream)).toBe(true);
      expect(r.exchange.modelCalls).toBe(4);
      const llm = byKind(r.records, "llm");
      expect(llm).toHaveLength(4);
      expect(llm.filter((x) => x.status.code === "error")).toHaveLength(1);
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
    },
    T,
  );

  it(
    "recordOutputs off: tool arguments and results are reported missing, cause instrumentation",
    async () => {
      const r = await replay("refund-allowed", { SUPPORT_AGENT_RECORD_OUTPUTS: "0" });
      const gaps = instrumentationGaps(r.exchange, r.records);
      expect(gaps.every((g) => g.cause === "instrumentation" && g.stage === "instrumentation")).toBe(true);
      expect(gaps.map((g) => `${g.action.name}:${g.fact}`)).toEqual([
        "lookup_order:arguments",
        "lookup_order:result",
        "refund_payment:arguments",
        "refund_payment:result",
        "email_customer:arguments",
        "email_customer:result",
      ]);
      expect(gaps[0]!.traceId).toBe(r.records[0]!.traceId);
    },
    T,
  );

  it(
    "the guard puts every tool call in the ledger before it runs, joined to its tool span",
    async () => {
      const r = await replay("refund-allowed");
      expect(r.ledger).toMatchObject({ valid: true, signed: false, findings: [] });
      const records = r.ledger!.records;
      const starts = records.filter((x) => x.type === "tool-call.start");
      expect(starts.map((x) => x.callId)).toEqual(r.exchange.toolCallsRequested.map((c) => c.id));
      for (const start of starts) {
        const span = r.records.find((x) => x.attributes["ai.toolCall.id"] === start.callId)!;
        expect(start).toMatchObject({ traceId: span.traceId, spanId: span.spanId });
      }
      expect(records.find((x) => x.type === "policy")).toMatchObject({
        name: "refund-limit",
        decision: "allow",
        callId: "call_refund_payment_02",
      });
      expect(records.filter((x) => x.type === "tool-call.end").map((x) => x.outcome)).toEqual([
        "ok",
        "ok",
        "ok",
      ]);
      expect(ledgerGaps({ reading: r.ledger!, required: true }, r.exchange, agentTraceId(r.records))).toEqual(
        [],
      );
    },
    T,
  );

  it(
    "a tool left outside the guard: the replay reports its call missing from the ledger",
    async () => {
      const r = await replay("refund-allowed", { SUPPORT_AGENT_UNGUARDED: "email_customer" });
      const gaps = ledgerGaps({ reading: r.ledger!, required: true }, r.exchange, agentTraceId(r.records));
      expect(gaps).toEqual([
        {
          cause: "instrumentation",
          stage: "ledger",
          severity: "critical",
          fact: "record",
          message:
            "the model asked for email_customer (call_email_customer_03) and the ledger has no record of it",
          hint: expect.stringContaining("trailcheck/guard"),
          action: { kind: "tool", name: "email_customer" },
          traceId: r.records[0]!.traceId,
        },
      ]);
    },
    T,
  );

  it(
    "OTLP/JSON export (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json) is received the same",
    async () => {
      const r = await replay("refund-allowed", { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" });
      expect(r.records.length).toBe(9);
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
    },
    T,
  );

  it(
    "exiting without flushing is the agent's failure: no telemetry",
    async () => {
      // A long batch delay (read by the SDK from OTEL_BSP_SCHEDULE_DELAY) keeps a slow run on a
      // loaded machine from exporting a batch before the exit.
      const r = await replay("refund-allowed", {
        SUPPORT_AGENT_NO_FLUSH: "1",
        OTEL_BSP_SCHEDULE_DELAY: "600000",
      });
      expect(r.exitCode).toBe(0);
      expect(r.failure?.kind).toBe("no-telemetry");
      expect(r.exchange.modelCalls).toBe(4);
    },
    T,
  );
});

describe("plain fetch agent with GenAI-semconv spans over OTLP/protobuf, replayed", () => {
  it(
    "is judged like the AI SDK agent: a denied refund, nothing missing",
    async () => {
      const r = await replay("refund-denied", {}, PLAIN);
      expect(r.stdout).toContain("can't issue a 500 USD refund");
      expect(byKind(r.records, "llm")).toHaveLength(3);
      expect(byKind(r.records, "tool")).toHaveLength(2);
      expect(byKind(r.records, "policy")[0]!.attributes["policy.decision"]).toBe("deny");
      expect(instrumentationGaps(r.exchange, r.records)).toEqual([]);
      // guardCall, without a framework: the same ledger, the records joined to the execute_tool spans.
      expect(ledgerGaps({ reading: r.ledger!, required: true }, r.exchange, agentTraceId(r.records))).toEqual(
        [],
      );
      const denied = r.ledger!.records.find((x) => x.type === "policy");
      expect(denied).toMatchObject({ decision: "deny", callId: "call_refund_payment_12" });
      const start = r.ledger!.records.find(
        (x): x is ToolCallStart => x.type === "tool-call.start" && x.callId === "call_refund_payment_12",
      );
      expect(start?.spanId).toBe(
        r.records.find((x) => x.attributes["gen_ai.tool.call.id"] === "call_refund_payment_12")?.spanId,
      );
    },
    T,
  );

  it(
    "with content capture off, reports the same missing facts as the AI SDK with recordOutputs off",
    async () => {
      const plain = await replay("refund-allowed", { PLAIN_AGENT_CAPTURE_CONTENT: "0" }, PLAIN);
      const facts = instrumentationGaps(plain.exchange, plain.records).map(
        (g) => `${g.action.name}:${g.fact}`,
      );
      expect(facts).toEqual([
        "lookup_order:arguments",
        "lookup_order:result",
        "refund_payment:arguments",
        "refund_payment:result",
        "email_customer:arguments",
        "email_customer:result",
      ]);
    },
    T,
  );
});
