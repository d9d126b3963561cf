// OTel GenAI semantic conventions (v1.37+ names; gen_ai.tool.call.arguments/result are v1.38+),
// emitted with the OTel JS SDK by a small agent loop that follows the spec names exactly:
// `invoke_agent support-agent` > `chat gpt-4o` and `execute_tool <tool>` spans, content captured
// (gen_ai.input.messages / gen_ai.output.messages as JSON strings with tool_call parts).
// Why not a real instrumentation: @opentelemetry/instrumentation-openai 0.21 (the last release for
// Node 20) installs, but it records message content only as log events (gen_ai.*.message /
// gen_ai.choice for Chat Completions, gen_ai.client.inference.operation.details for Responses), never
// as gen_ai.input.messages/output.messages span attributes, and it makes no agent or tool spans.
import { type Attributes, context, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { emitPolicySpan, log, POLICY_SCOPE, sortByStart, startOtel, toOtlpJson, writeJson } from "./otel.js";
import {
  AGENT_NAME,
  DENIED_SCRIPT,
  DENIED_USER_PROMPT,
  deniedToolResult,
  evaluateRefundPolicy,
  MODEL_ID,
  makeToolRuntime,
  OK_SCRIPT,
  RESPONSE_MODEL_ID,
  type ScriptedTurn,
  SESSION_ID,
  SYSTEM_PROMPT,
  TOOL_DESCRIPTIONS,
  TOOL_SCHEMAS,
  USER_PROMPT,
} from "./scenario.js";

type Part =
  | { type: "text"; content: string }
  | { type: "tool_call"; id: string; name: string; arguments: unknown }
  | { type: "tool_call_response"; id: string; result: unknown };
type Message = { role: "user" | "assistant" | "tool"; parts: Part[]; finish_reason?: string };

const PROVIDER = "openai";
const toolDefinitions = JSON.stringify(
  Object.entries(TOOL_DESCRIPTIONS).map(([name, description]) => ({
    type: "function",
    name,
    description,
    parameters: TOOL_SCHEMAS[name as keyof typeof TOOL_SCHEMAS],
  })),
);

async function runAgent(
  tracer: Tracer,
  policyTracer: Tracer,
  prompt: string,
  script: ScriptedTurn[],
  lookupFailures: number,
): Promise<void> {
  const runTool = makeToolRuntime(lookupFailures);
  const history: Message[] = [{ role: "user", parts: [{ type: "text", content: prompt }] }];
  const systemInstructions = JSON.stringify([{ type: "text", content: SYSTEM_PROMPT }]);
  let inputTokens = 0;
  let outputTokens = 0;
  await tracer.startActiveSpan(
    `invoke_agent ${AGENT_NAME}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": PROVIDER,
        "gen_ai.agent.name": AGENT_NAME,
        "gen_ai.agent.id": "asst_support_agent_v3",
        "gen_ai.agent.description": "Customer support agent for orders, refunds and notifications.",
        "gen_ai.conversation.id": SESSION_ID,
        "gen_ai.request.model": MODEL_ID,
        "gen_ai.system_instructions": systemInstructions,
        "gen_ai.input.messages": JSON.stringify(history),
      },
    },
    async (agentSpan) => {
      const agentContext = context.active();
      let turnNo = 0;
      for (const turn of script) {
        turnNo += 1;
        const responseId = `chatcmpl-example-${String(turnNo).padStart(3, "0")}`;
        const outParts: Part[] = turn.toolCalls
          ? turn.toolCalls.map((c) => ({ type: "tool_call", id: c.id, name: c.name, arguments: c.args }))
          : [{ type: "text", content: turn.text ?? "" }];
        const finishReason = turn.toolCalls ? "tool_call" : "stop";
        const output: Message = { role: "assistant", parts: outParts, finish_reason: finishReason };
        const chatAttributes: Attributes = {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": PROVIDER,
          "gen_ai.request.model": MODEL_ID,
          "gen_ai.conversation.id": SESSION_ID,
          "server.address": "api.openai.com",
          "server.port": 443,
          "gen_ai.system_instructions": systemInstructions,
          "gen_ai.tool.definitions": toolDefinitions,
          "gen_ai.input.messages": JSON.stringify(history),
        };
        tracer.startActiveSpan(
          `chat ${MODEL_ID}`,
          { kind: SpanKind.CLIENT, attributes: chatAttributes },
          (chat) => {
            chat.setAttributes({
              "gen_ai.response.id": responseId,
              "gen_ai.response.model": RESPONSE_MODEL_ID,
              "gen_ai.response.finish_reasons": [finishReason],
              "gen_ai.usage.input_tokens": turn.usage.input,
              "gen_ai.usage.output_tokens": turn.usage.output,
              "gen_ai.output.messages": JSON.stringify([output]),
            });
            chat.end();
          },
        );
        inputTokens += turn.usage.input;
        outputTokens += turn.usage.output;
        history.push({ role: "assistant", parts: outParts });
        if (!turn.toolCalls) {
          agentSpan.setAttributes({
            "gen_ai.output.messages": JSON.stringify([output]),
            "gen_ai.response.model": RESPONSE_MODEL_ID,
            "gen_ai.usage.input_tokens": inputTokens,
            "gen_ai.usage.output_tokens": outputTokens,
          });
          break;
        }
        const responses: Part[] = [];
        for (const toolCall of turn.toolCalls) {
          const decision =
            toolCall.name === "refund_payment" ? evaluateRefundPolicy(toolCall.args as never) : null;
          if (decision?.decision === "deny") {
            // Blocked before execution: no execute_tool span, the policy span accounts for the call.
            emitPolicySpan(policyTracer, {
              decision,
              toolName: toolCall.name,
              toolCallId: toolCall.id,
              parent: agentContext,
            });
            responses.push({
              type: "tool_call_response",
              id: toolCall.id,
              result: deniedToolResult(decision),
            });
            continue;
          }
          const result = tracer.startActiveSpan(
            `execute_tool ${toolCall.name}`,
            {
              kind: SpanKind.INTERNAL,
              attributes: {
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.provider.name": PROVIDER,
                "gen_ai.tool.name": toolCall.name,
                "gen_ai.tool.call.id": toolCall.id,
                "gen_ai.tool.type": "function",
                "gen_ai.tool.description": TOOL_DESCRIPTIONS[toolCall.name],
                "gen_ai.tool.call.arguments": JSON.stringify(toolCall.args),
              },
            },
            (toolSpan) => {
              try {
                if (decision) {
                  emitPolicySpan(policyTracer, {
                    decision,
                    toolName: toolCall.name,
                    toolCallId: toolCall.id,
                    subject: toolSpan.spanContext().spanId,
                  });
                }
                const value = runTool(toolCall.name, toolCall.args);
                toolSpan.setAttribute("gen_ai.tool.call.result", JSON.stringify(value));
                return value;
              } catch (err) {
                const error = err as Error;
                toolSpan.recordException(error);
                toolSpan.setAttribute("error.type", error.name);
                toolSpan.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
                return { error: error.message };
              } finally {
                toolSpan.end();
              }
            },
          );
          responses.push({ type: "tool_call_response", id: toolCall.id, result });
        }
        history.push({ role: "tool", parts: responses });
      }
      agentSpan.end();
    },
  );
}

async function generate(
  seed: string,
  file: string,
  prompt: string,
  script: ScriptedTurn[],
  failures: number,
) {
  const otel = startOtel(seed);
  const tracer = otel.provider.getTracer("support-app.genai", "1.0.0");
  const policyTracer = otel.provider.getTracer(POLICY_SCOPE, "1.0.0");
  await runAgent(tracer, policyTracer, prompt, script, failures);
  const spans = sortByStart(await otel.finish());
  log(`${file}: ${spans.length} spans -> ${writeJson(file, toOtlpJson(spans))}`);
}

await generate("genai-semconv", "genai-semconv.otlp.json", USER_PROMPT, OK_SCRIPT, 0);
await generate(
  "genai-semconv-denied",
  "genai-semconv-denied.otlp.json",
  DENIED_USER_PROMPT,
  DENIED_SCRIPT,
  1,
);
