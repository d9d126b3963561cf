// Vercel AI SDK v6 (`ai@6`): generateText with a scripted MockLanguageModelV3, real tools with zod
// schemas, experimental_telemetry with inputs and outputs recorded. Writes
// ai-sdk-v6.otlp.json (refund allowed) and ai-sdk-v6-denied.otlp.json (a tool throws; a 500 USD
// refund is denied by the policy before the tool runs, through the SDK's tool approval).
import { type Tracer, trace } from "@opentelemetry/api";
import { generateText, type ModelMessage, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { z } from "zod";
import { emitPolicySpan, log, POLICY_SCOPE, sortByStart, startOtel, toOtlpJson, writeJson } from "./otel.js";
import {
  AGENT_NAME,
  CALL_IDS,
  DENIED_CALL_IDS,
  DENIED_FINAL_TEXT,
  DENIED_ORDER,
  DENIED_ORDER_ID,
  DENIED_REFUND_ARGS,
  DENIED_USER_PROMPT,
  EMAIL_ARGS,
  EMAIL_RESULT,
  evaluateRefundPolicy,
  FINAL_TEXT,
  LOOKUP_FAILURE_MESSAGE,
  MODEL_ID,
  ORDER,
  ORDER_ID,
  REFUND_ARGS,
  REFUND_RESULT,
  RESPONSE_MODEL_ID,
  SESSION_ID,
  SYSTEM_PROMPT,
  TOOL_DESCRIPTIONS,
  USER_PROMPT,
} from "./scenario.js";

type V3Result = Awaited<ReturnType<MockLanguageModelV3["doGenerate"]>>;
type V3Content = V3Result["content"][number];

let responseCounter = 0;
function step(content: V3Content[], finish: "tool-calls" | "stop", input: number, output: number): V3Result {
  responseCounter += 1;
  return {
    content,
    finishReason: { unified: finish, raw: finish === "tool-calls" ? "tool_calls" : "stop" },
    usage: {
      inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: output, text: output, reasoning: 0 },
    },
    response: {
      id: `chatcmpl-example-${String(responseCounter).padStart(3, "0")}`,
      modelId: RESPONSE_MODEL_ID,
      timestamp: new Date(Date.UTC(2026, 0, 15, 9, 30, responseCounter)),
    },
    warnings: [],
  };
}
const call = (toolCallId: string, toolName: string, input: unknown): V3Content => ({
  type: "tool-call",
  toolCallId,
  toolName,
  input: JSON.stringify(input),
});
const text = (t: string): V3Content => ({ type: "text", text: t });

/** The tools; refund_payment goes through the policy layer. */
function makeTools(tracer: Tracer, lookupFailuresLeft: { n: number }) {
  return {
    lookup_order: tool({
      description: TOOL_DESCRIPTIONS.lookup_order,
      inputSchema: z.object({ orderId: z.string() }),
      execute: async ({ orderId }) => {
        if (lookupFailuresLeft.n > 0) {
          lookupFailuresLeft.n -= 1;
          throw new Error(LOOKUP_FAILURE_MESSAGE);
        }
        if (orderId === ORDER_ID) return ORDER;
        if (orderId === DENIED_ORDER_ID) return DENIED_ORDER;
        throw new Error(`unknown order ${orderId}`);
      },
    }),
    refund_payment: tool({
      description: TOOL_DESCRIPTIONS.refund_payment,
      inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
      // Policy layer, before execution: a denied call is never executed. The SDK then stops and
      // hands back a tool-approval-request, which the application answers with approved: false.
      needsApproval: async (input, { toolCallId }) => {
        const decision = evaluateRefundPolicy(input);
        if (decision.decision !== "deny") return false;
        emitPolicySpan(tracer, { decision, toolName: "refund_payment", toolCallId });
        return true;
      },
      // Policy layer, at execution: the allow decision is recorded against the tool span.
      execute: async (input, { toolCallId }) => {
        const decision = evaluateRefundPolicy(input);
        emitPolicySpan(tracer, {
          decision,
          toolName: "refund_payment",
          toolCallId,
          subject: trace.getActiveSpan()?.spanContext().spanId,
        });
        if (decision.decision === "deny") throw new Error(`policy refund-limit denied: ${decision.reason}`);
        return { ...REFUND_RESULT, orderId: input.orderId, amount: input.amount };
      },
    }),
    email_customer: tool({
      description: TOOL_DESCRIPTIONS.email_customer,
      inputSchema: z.object({ to: z.string(), body: z.string() }),
      execute: async () => EMAIL_RESULT,
    }),
  };
}

const telemetry = (tracer: Tracer, recordOutputs = true) => ({
  isEnabled: true,
  functionId: AGENT_NAME,
  recordInputs: true,
  recordOutputs,
  metadata: { sessionId: SESSION_ID },
  tracer,
});

/** The allowed refund; with `recordOutputs: false` the SDK drops tool arguments, results and model outputs. */
async function okRun(file: string, recordOutputs: boolean): Promise<void> {
  const otel = startOtel(file.replace(".otlp.json", ""));
  const tracer = otel.provider.getTracer("ai");
  const model = new MockLanguageModelV3({
    provider: "openai.chat",
    modelId: MODEL_ID,
    doGenerate: [
      step([call(CALL_IDS.lookup, "lookup_order", { orderId: ORDER_ID })], "tool-calls", 182, 18),
      step([call(CALL_IDS.refund, "refund_payment", REFUND_ARGS)], "tool-calls", 291, 22),
      step([call(CALL_IDS.email, "email_customer", EMAIL_ARGS)], "tool-calls", 340, 61),
      step([text(FINAL_TEXT)], "stop", 421, 34),
    ],
  });
  const result = await generateText({
    model,
    system: SYSTEM_PROMPT,
    prompt: USER_PROMPT,
    tools: makeTools(otel.provider.getTracer(POLICY_SCOPE, "1.0.0"), { n: 0 }),
    stopWhen: stepCountIs(10),
    experimental_telemetry: telemetry(tracer, recordOutputs),
  });
  if (result.text !== FINAL_TEXT) throw new Error(`unexpected final text: ${result.text}`);
  const spans = sortByStart(await otel.finish());
  log(`${file}: ${spans.length} spans -> ${writeJson(file, toOtlpJson(spans))}`);
}

let idCounter = 0;
/** Deterministic ids for the SDK's own ids (tool approval ids), so regeneration is reproducible. */
const generateId = () => {
  idCounter += 1;
  return `aitxt-example-${String(idCounter).padStart(4, "0")}`;
};

async function deniedRun(): Promise<void> {
  const otel = startOtel("ai-sdk-v6-denied");
  const tracer = otel.provider.getTracer("ai");
  const appTracer = otel.provider.getTracer("support-app");
  const model = new MockLanguageModelV3({
    provider: "openai.chat",
    modelId: MODEL_ID,
    doGenerate: [
      step(
        [call(DENIED_CALL_IDS.lookupFailing, "lookup_order", { orderId: DENIED_ORDER_ID })],
        "tool-calls",
        179,
        18,
      ),
      step(
        [call(DENIED_CALL_IDS.lookupRetry, "lookup_order", { orderId: DENIED_ORDER_ID })],
        "tool-calls",
        226,
        18,
      ),
      step([call(DENIED_CALL_IDS.refund, "refund_payment", DENIED_REFUND_ARGS)], "tool-calls", 335, 22),
      step([text(DENIED_FINAL_TEXT)], "stop", 402, 41),
    ],
  });
  const tools = makeTools(otel.provider.getTracer(POLICY_SCOPE, "1.0.0"), { n: 1 });
  // One application span around both generateText calls keeps the approval round-trip in one trace.
  await appTracer.startActiveSpan("support-agent.handle_request", async (root) => {
    root.setAttribute("session.id", SESSION_ID);
    const messages: ModelMessage[] = [{ role: "user", content: DENIED_USER_PROMPT }];
    const first = await generateText({
      model,
      system: SYSTEM_PROMPT,
      messages,
      tools,
      stopWhen: stepCountIs(10),
      experimental_telemetry: telemetry(tracer),
      _internal: { generateId },
    });
    const approvals = first.content.filter((p) => p.type === "tool-approval-request");
    if (approvals.length !== 1) throw new Error(`expected one approval request, got ${approvals.length}`);
    const approval = approvals[0]!;
    const reason = evaluateRefundPolicy(DENIED_REFUND_ARGS).reason;
    messages.push(...first.response.messages, {
      role: "tool",
      content: [{ type: "tool-approval-response", approvalId: approval.approvalId, approved: false, reason }],
    });
    const second = await generateText({
      model,
      system: SYSTEM_PROMPT,
      messages,
      tools,
      stopWhen: stepCountIs(10),
      experimental_telemetry: telemetry(tracer),
      _internal: { generateId },
    });
    if (second.text !== DENIED_FINAL_TEXT) throw new Error(`unexpected final text: ${second.text}`);
    root.end();
  });
  const spans = sortByStart(await otel.finish());
  log(
    `ai-sdk-v6-denied.otlp.json: ${spans.length} spans -> ${writeJson("ai-sdk-v6-denied.otlp.json", toOtlpJson(spans))}`,
  );
}

await okRun("ai-sdk-v6.otlp.json", true);
await okRun("ai-sdk-v6-no-outputs.otlp.json", false);
await deniedRun();
