// OpenInference (Arize): LLM spans from the real @arizeai/openinference-instrumentation-openai
// around an `openai` client whose `fetch` returns scripted Chat Completions responses (no network);
// CHAIN, AGENT, TOOL and GUARDRAIL spans from @arizeai/openinference-core's tracing helpers.
import {
  setSession,
  traceAgent,
  traceChain,
  traceGuardrail,
  traceTool,
  wrapTracer,
} from "@arizeai/openinference-core";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { context, type Tracer, trace } from "@opentelemetry/api";
import * as openaiModule from "openai";
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { log, sortByStart, startOtel, toOtlpJson, writeJson } from "./otel.js";
import {
  AGENT_NAME,
  DENIED_SCRIPT,
  DENIED_USER_PROMPT,
  deniedToolResult,
  evaluateRefundPolicy,
  MODEL_ID,
  makeToolRuntime,
  OK_SCRIPT,
  POLICY_NAME,
  type PolicyDecision,
  RESPONSE_MODEL_ID,
  type ScriptedTurn,
  SESSION_ID,
  SYSTEM_PROMPT,
  TOOL_DESCRIPTIONS,
  TOOL_SCHEMAS,
  type ToolName,
  USER_PROMPT,
} from "./scenario.js";

const { OpenAI } = openaiModule;

/** A fetch that answers each Chat Completions request with the next scripted turn. */
function scriptedFetch(script: ScriptedTurn[]): typeof fetch {
  let i = 0;
  return async (_url, _init) => {
    const turn = script[i];
    i += 1;
    if (!turn) throw new Error("script exhausted");
    const body: ChatCompletion = {
      id: `chatcmpl-example-${String(i).padStart(3, "0")}`,
      object: "chat.completion",
      created: Math.floor(Date.UTC(2026, 0, 15, 9, 30, i) / 1000),
      model: RESPONSE_MODEL_ID,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: turn.toolCalls ? "tool_calls" : "stop",
          message: {
            role: "assistant",
            content: turn.text ?? null,
            refusal: null,
            ...(turn.toolCalls
              ? {
                  tool_calls: turn.toolCalls.map((c) => ({
                    id: c.id,
                    type: "function" as const,
                    function: { name: c.name, arguments: JSON.stringify(c.args) },
                  })),
                }
              : {}),
          },
        },
      ],
      usage: {
        prompt_tokens: turn.usage.input,
        completion_tokens: turn.usage.output,
        total_tokens: turn.usage.input + turn.usage.output,
      },
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json", "x-request-id": `req_example_${i}` },
    });
  };
}

const tools: ChatCompletionTool[] = Object.entries(TOOL_DESCRIPTIONS).map(([name, description]) => ({
  type: "function",
  function: { name, description, parameters: TOOL_SCHEMAS[name as ToolName] as never },
}));

const json = (v: unknown) => ({ "output.value": JSON.stringify(v), "output.mime_type": "application/json" });

async function runAgent(tracer: Tracer, prompt: string, script: ScriptedTurn[], lookupFailures: number) {
  const client = new OpenAI({
    apiKey: "sk-offline-example",
    baseURL: "https://api.openai.com/v1",
    fetch: scriptedFetch(script),
    maxRetries: 0,
  });
  const runTool = makeToolRuntime(lookupFailures);

  const guardrail = traceGuardrail(
    (args: {
      toolName: ToolName;
      toolCallId: string;
      subject?: string;
      args: { orderId: string; amount: number };
    }) => evaluateRefundPolicy(args.args),
    {
      name: POLICY_NAME,
      tracer,
      processInput: (args) => ({
        "input.value": JSON.stringify(args.args),
        "input.mime_type": "application/json",
        "trailcheck.kind": "policy",
        "policy.name": POLICY_NAME,
        "policy.tool.name": args.toolName,
        "policy.tool_call.id": args.toolCallId,
        ...(args.subject ? { "policy.subject": args.subject } : {}),
      }),
      processOutput: (d: PolicyDecision) => ({
        ...json(d),
        "policy.decision": d.decision,
        "policy.reason": d.reason,
      }),
    },
  );

  const callTool = (name: ToolName, toolCallId: string, args: Record<string, unknown>) =>
    traceTool(
      (a: Record<string, unknown>) => {
        if (name === "refund_payment") {
          // Runs inside the tool span, which is the governed action.
          const subject = trace.getActiveSpan()?.spanContext().spanId;
          const decision = guardrail({ toolName: name, toolCallId, subject, args: a as never });
          if (decision.decision === "deny")
            throw new Error(`policy ${POLICY_NAME} denied: ${decision.reason}`);
        }
        return runTool(name, a);
      },
      {
        name,
        tracer,
        processInput: (a) => ({
          "input.value": JSON.stringify(a),
          "input.mime_type": "application/json",
          "tool.name": name,
          "tool.description": TOOL_DESCRIPTIONS[name],
          "tool.parameters": JSON.stringify(a),
          "tool.id": toolCallId,
          "tool_call.id": toolCallId,
        }),
        processOutput: json,
      },
    )(args);

  const agent = traceAgent(
    async (userPrompt: string) => {
      const messages: ChatCompletionMessageParam[] = [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: userPrompt },
      ];
      for (;;) {
        const completion = await client.chat.completions.create({
          model: MODEL_ID,
          messages,
          tools,
          temperature: 0,
        });
        const message = completion.choices[0]!.message;
        messages.push(message);
        if (!message.tool_calls?.length) return message.content ?? "";
        for (const toolCall of message.tool_calls) {
          if (toolCall.type !== "function") continue;
          const name = toolCall.function.name as ToolName;
          const args = JSON.parse(toolCall.function.arguments) as Record<string, unknown>;
          let result: unknown;
          if (name === "refund_payment" && evaluateRefundPolicy(args as never).decision === "deny") {
            // Blocked before the tool runs: the guardrail span (child of the agent) is the only record.
            result = deniedToolResult(
              guardrail({ toolName: name, toolCallId: toolCall.id, args: args as never }),
            );
          } else {
            try {
              result = callTool(name, toolCall.id, args);
            } catch (err) {
              result = { error: (err as Error).message };
            }
          }
          messages.push({ role: "tool", tool_call_id: toolCall.id, content: JSON.stringify(result) });
        }
      }
    },
    {
      name: AGENT_NAME,
      tracer,
      attributes: { "agent.name": AGENT_NAME, "llm.model_name": MODEL_ID },
    },
  );

  const chain = traceChain((userPrompt: string) => agent(userPrompt), {
    name: "handle_support_request",
    tracer,
  });
  return context.with(setSession(context.active(), { sessionId: SESSION_ID }), () => chain(prompt));
}

async function generate(
  seed: string,
  file: string,
  prompt: string,
  script: ScriptedTurn[],
  failures: number,
) {
  const otel = startOtel(seed);
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: otel.provider });
  instrumentation.manuallyInstrument(openaiModule as never);
  const tracer = wrapTracer(otel.provider.getTracer("support-app.openinference", "1.0.0"));
  const answer = await runAgent(tracer, prompt, script, failures);
  if (answer !== script.at(-1)?.text) throw new Error(`unexpected answer: ${answer}`);
  instrumentation.disable();
  const spans = sortByStart(await otel.finish());
  log(`${file}: ${spans.length} spans -> ${writeJson(file, toOtlpJson(spans))}`);
}

await generate("openinference", "openinference.otlp.json", USER_PROMPT, OK_SCRIPT, 0);
await generate(
  "openinference-denied",
  "openinference-denied.otlp.json",
  DENIED_USER_PROMPT,
  DENIED_SCRIPT,
  1,
);
