// OpenAI Agents SDK for JS (@openai/agents): support-agent with an input guardrail and a handoff to
// refund-agent, function tools, a scripted custom Model (no OpenAI server). Traces go through the
// SDK's own BatchTraceProcessor + OpenAITracingExporter; `fetch` is replaced in-process so the
// exporter's request body (`{ "data": [...trace and span JSON...] }`) is captured instead of sent.
// With a custom Model the SDK makes no generation/response spans: that gap is real and kept.
import { createHash } from "node:crypto";
import {
  Agent,
  BatchTraceProcessor,
  getGlobalTraceProvider,
  getHandoff,
  handoff,
  type InputGuardrail,
  type Model,
  type ModelRequest,
  type ModelResponse,
  OpenAITracingExporter,
  Runner,
  setTraceProcessors,
  tool,
  Usage,
  withGuardrailSpan,
} from "@openai/agents";
import { z } from "zod";
import { log, writeJson } from "./otel.js";
import {
  AGENT_NAME,
  CALL_IDS,
  EMAIL_ARGS,
  evaluateRefundPolicy,
  FINAL_TEXT,
  makeToolRuntime,
  ORDER_ID,
  POLICY_NAME,
  REFUND_AGENT_NAME,
  REFUND_ARGS,
  SESSION_ID,
  SYSTEM_PROMPT,
  TOOL_DESCRIPTIONS,
  USER_PROMPT,
} from "./scenario.js";

// --- capture the exporter's HTTP body instead of sending it ------------------------------------
const payloads: { data: unknown[] }[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (async (_url: unknown, init?: { body?: unknown }) => {
  payloads.push(JSON.parse(String(init?.body)) as { data: unknown[] });
  return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
}) as typeof fetch;

setTraceProcessors([
  new BatchTraceProcessor(new OpenAITracingExporter({ apiKey: "sk-offline-example", maxRetries: 1 }), {
    scheduleDelay: 60_000,
  }),
]);

// --- the scripted model -------------------------------------------------------------------------
const HANDOFF_CALL_ID = "call_transfer_to_refund_agent_04";
type Out = ModelResponse["output"][number];
const fnCall = (callId: string, name: string, args: unknown): Out => ({
  type: "function_call",
  id: `fc_${callId}`,
  callId,
  name,
  arguments: JSON.stringify(args),
  status: "completed",
});

class ScriptedModel implements Model {
  private turn = 0;
  constructor(private readonly script: (request: ModelRequest) => Out[][]) {}
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const outputs = this.script(request);
    const output = outputs[this.turn];
    this.turn += 1;
    if (!output) throw new Error("script exhausted");
    return {
      output,
      usage: new Usage({
        requests: 1,
        inputTokens: 150 + 40 * this.turn,
        outputTokens: 20,
        totalTokens: 170 + 40 * this.turn,
      }),
      responseId: `resp_example_${String(this.turn).padStart(3, "0")}`,
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not used by this example
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("streaming is not scripted");
  }
}

// --- agents and tools ---------------------------------------------------------------------------
const runTool = makeToolRuntime(0);

const lookupOrder = tool({
  name: "lookup_order",
  description: TOOL_DESCRIPTIONS.lookup_order,
  parameters: z.object({ orderId: z.string() }),
  execute: async (args) => runTool("lookup_order", args),
});

const refundPayment = tool({
  name: "refund_payment",
  description: TOOL_DESCRIPTIONS.refund_payment,
  parameters: z.object({ orderId: z.string(), amount: z.number() }),
  execute: async (args) => {
    // Policy layer: a guardrail span (the SDK's own span type) inside the function span.
    const decision = await withGuardrailSpan(
      async (span) => {
        const d = evaluateRefundPolicy(args);
        span.spanData.triggered = d.decision === "deny";
        return d;
      },
      { data: { name: POLICY_NAME } },
    );
    if (decision.decision === "deny") return { error: "denied_by_policy", reason: decision.reason };
    return runTool("refund_payment", args);
  },
});

const emailCustomer = tool({
  name: "email_customer",
  description: TOOL_DESCRIPTIONS.email_customer,
  parameters: z.object({ to: z.string(), body: z.string() }),
  execute: async (args) => runTool("email_customer", args),
});

const noCardNumbers: InputGuardrail = {
  name: "no-card-numbers",
  execute: async ({ input }) => {
    const text = typeof input === "string" ? input : JSON.stringify(input);
    const found = /\b(?:\d[ -]?){13,19}\b/.test(text);
    return { tripwireTriggered: found, outputInfo: { checked: "card-number pattern", found } };
  },
};

const refundAgent = new Agent({
  name: REFUND_AGENT_NAME,
  instructions: "You issue refunds within policy and confirm them to the customer by email.",
  tools: [refundPayment, emailCustomer],
});

const model = new ScriptedModel(() => [
  [fnCall(CALL_IDS.lookup, "lookup_order", { orderId: ORDER_ID })],
  [fnCall(HANDOFF_CALL_ID, getHandoff(refundAgent).toolName, {})],
  [fnCall(CALL_IDS.refund, "refund_payment", REFUND_ARGS)],
  [fnCall(CALL_IDS.email, "email_customer", EMAIL_ARGS)],
  [
    {
      type: "message",
      id: "msg_example_final",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: FINAL_TEXT }],
    },
  ],
]);
refundAgent.model = model;

const supportAgent = new Agent({
  name: AGENT_NAME,
  instructions: SYSTEM_PROMPT,
  model,
  tools: [lookupOrder],
  handoffs: [handoff(refundAgent)],
  inputGuardrails: [noCardNumbers],
});

const runner = new Runner({
  traceIncludeSensitiveData: true,
  workflowName: "Customer support",
  groupId: SESSION_ID,
  traceId: `trace_${createHash("sha256").update("openai-agents").digest("hex").slice(0, 32)}`,
  traceMetadata: { channel: "chat" },
});
const result = await runner.run(supportAgent, USER_PROMPT);
if (result.finalOutput !== FINAL_TEXT) throw new Error(`unexpected final output: ${result.finalOutput}`);
await getGlobalTraceProvider().forceFlush();
globalThis.fetch = realFetch;

const data = payloads.flatMap((p) => p.data);
const spans = data.filter((d) => (d as { object?: string }).object === "trace.span").length;
log(
  `openai-agents.json: ${data.length - spans} trace(s), ${spans} spans -> ${writeJson("openai-agents.json", { data })}`,
);
