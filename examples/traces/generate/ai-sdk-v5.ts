// Vercel AI SDK v5 (`ai@5`, installed side by side as the alias `ai-v5`): the allowed-refund run with
// a scripted MockLanguageModelV2, real tools with zod schemas, full input/output recording.
import { trace } from "@opentelemetry/api";
import { generateText, stepCountIs, tool } from "ai-v5";
import { MockLanguageModelV2 } from "ai-v5/test";
import { z } from "zod";
import { emitPolicySpan, log, POLICY_SCOPE, sortByStart, startOtel, toOtlpJson, writeJson } from "./otel.js";
import {
  AGENT_NAME,
  CALL_IDS,
  EMAIL_ARGS,
  EMAIL_RESULT,
  evaluateRefundPolicy,
  FINAL_TEXT,
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

type V2Result = Awaited<ReturnType<MockLanguageModelV2["doGenerate"]>>;
type V2Content = V2Result["content"][number];

let responseCounter = 0;
function step(content: V2Content[], finish: "tool-calls" | "stop", input: number, output: number): V2Result {
  responseCounter += 1;
  return {
    content,
    finishReason: finish,
    usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
    response: {
      id: `chatcmpl-example-${String(responseCounter).padStart(3, "0")}`,
      modelId: RESPONSE_MODEL_ID,
      timestamp: new Date(Date.UTC(2026, 0, 15, 9, 30, responseCounter)),
    },
    warnings: [],
  };
}
const call = (toolCallId: string, toolName: string, input: unknown): V2Content => ({
  type: "tool-call",
  toolCallId,
  toolName,
  input: JSON.stringify(input),
});

const otel = startOtel("ai-sdk-v5");
const tracer = otel.provider.getTracer("ai");
const policyTracer = otel.provider.getTracer(POLICY_SCOPE, "1.0.0");
const model = new MockLanguageModelV2({
  provider: "openai.chat",
  modelId: MODEL_ID,
  doGenerate: [
    step([call(CALL_IDS.lookup, "lookup_order", { orderId: ORDER_ID })], "tool-calls", 182, 18),
    step([call(CALL_IDS.refund, "refund_payment", REFUND_ARGS)], "tool-calls", 291, 22),
    step([call(CALL_IDS.email, "email_customer", EMAIL_ARGS)], "tool-calls", 340, 61),
    step([{ type: "text", text: FINAL_TEXT }], "stop", 421, 34),
  ],
});
const result = await generateText({
  model,
  system: SYSTEM_PROMPT,
  prompt: USER_PROMPT,
  stopWhen: stepCountIs(10),
  tools: {
    lookup_order: tool({
      description: TOOL_DESCRIPTIONS.lookup_order,
      inputSchema: z.object({ orderId: z.string() }),
      execute: async () => ORDER,
    }),
    refund_payment: tool({
      description: TOOL_DESCRIPTIONS.refund_payment,
      inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
      execute: async (input, { toolCallId }) => {
        // Policy layer: decide before the payment is touched, record against the tool span.
        const decision = evaluateRefundPolicy(input);
        emitPolicySpan(policyTracer, {
          decision,
          toolName: "refund_payment",
          toolCallId,
          subject: trace.getActiveSpan()?.spanContext().spanId,
        });
        if (decision.decision === "deny") throw new Error(`policy refund-limit denied: ${decision.reason}`);
        return REFUND_RESULT;
      },
    }),
    email_customer: tool({
      description: TOOL_DESCRIPTIONS.email_customer,
      inputSchema: z.object({ to: z.string(), body: z.string() }),
      execute: async () => EMAIL_RESULT,
    }),
  },
  experimental_telemetry: {
    isEnabled: true,
    functionId: AGENT_NAME,
    recordInputs: true,
    recordOutputs: true,
    metadata: { sessionId: SESSION_ID },
    tracer,
  },
});
if (result.text !== FINAL_TEXT) throw new Error(`unexpected final text: ${result.text}`);
const spans = sortByStart(await otel.finish());
log(`ai-sdk-v5.otlp.json: ${spans.length} spans -> ${writeJson("ai-sdk-v5.otlp.json", toOtlpJson(spans))}`);
