// The same support agent without a framework: Chat Completions over plain `fetch`, its own loop,
// and hand-made OTel GenAI semantic-convention spans exported as OTLP/protobuf. trailcheck must judge
// it exactly as it judges the AI SDK agent.
//
//   PLAIN_AGENT_CAPTURE_CONTENT=0   no gen_ai.tool.call.arguments/result (content capture off)
//
// Tool calls go through trailcheck's guard with `guardCall`, the framework-free form: each is in the
// ledger at TRAILCHECK_LEDGER_DIR before it runs.
//
// Run: node bin/run-ts.js examples/support-agent/plain-agent.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { guardCall, openLedger, recordRunFailure } from "../../src/public/guard.js";
import { loadOrders } from "./shop.js";
import { startTelemetry } from "./telemetry.js";
import { makeTools } from "./tools.js";

type Message = Record<string, unknown>;
interface ChatCompletion {
  id: string;
  model: string;
  choices: { message: { content: string | null; tool_calls?: ToolCall[] } }[];
  usage: { prompt_tokens: number; completion_tokens: number };
  error?: { message: string };
}
interface ToolCall {
  id: string;
  function: { name: string; arguments: string };
}

const env = process.env;
const capture = env.PLAIN_AGENT_CAPTURE_CONTENT !== "0";
const provider = startTelemetry("support-agent-plain");
const tracer = provider.getTracer("support-agent-plain", "1.0.0");
const ledger = await openLedger({
  dir: env.TRAILCHECK_LEDGER_DIR ?? join(tmpdir(), "support-agent-plain-ledger"),
});
const tools = makeTools(
  loadOrders(env.TRAILCHECK_SCENARIO),
  provider.getTracer("support-agent.policy", "1.0.0"),
  ledger,
);
type ToolName = keyof typeof tools;

const TOOL_DEFS = Object.entries(tools).map(([name, t]) => ({
  type: "function",
  function: { name, description: t.description, parameters: { type: "object" } },
}));

/** One model call in a `chat` span; retries once on 429/500 as the official clients do. */
async function callModel(messages: Message[]): Promise<{ content: string | null; tool_calls?: ToolCall[] }> {
  for (let attempt = 0; ; attempt++) {
    const answer = await tracer.startActiveSpan("chat gpt-4o", { kind: SpanKind.CLIENT }, async (span) => {
      span.setAttributes({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
      });
      try {
        const res = await fetch(`${env.OPENAI_BASE_URL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${env.OPENAI_API_KEY}` },
          body: JSON.stringify({ model: "gpt-4o", messages, tools: TOOL_DEFS }),
        });
        const body = (await res.json()) as ChatCompletion;
        if (!res.ok) {
          span.setAttribute("error.type", String(res.status));
          span.setStatus({ code: SpanStatusCode.ERROR, message: body.error?.message });
          return {
            retry: res.status === 429 || res.status >= 500,
            delay: Number(res.headers.get("retry-after-ms")),
          };
        }
        const message = body.choices[0]!.message;
        span.setAttributes({
          "gen_ai.response.id": body.id,
          "gen_ai.response.model": body.model,
          "gen_ai.usage.input_tokens": body.usage.prompt_tokens,
          "gen_ai.usage.output_tokens": body.usage.completion_tokens,
          "gen_ai.output.messages": JSON.stringify([
            {
              role: "assistant",
              parts: [
                ...(message.content ? [{ type: "text", content: message.content }] : []),
                ...(message.tool_calls ?? []).map((c: ToolCall) => ({
                  type: "tool_call",
                  id: c.id,
                  name: c.function.name,
                  arguments: JSON.parse(c.function.arguments),
                })),
              ],
            },
          ]),
        });
        return { message };
      } finally {
        span.end();
      }
    });
    if ("message" in answer && answer.message) return answer.message;
    if (!answer.retry || attempt >= 2) throw new Error("model call failed");
    await sleep(Number.isFinite(answer.delay) ? answer.delay : 500);
  }
}

/** One tool execution in an `execute_tool` span (the policy layer's span nests under it). */
async function runTool(call: ToolCall): Promise<string> {
  return tracer.startActiveSpan(`execute_tool ${call.function.name}`, async (span: Span) => {
    span.setAttributes({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": call.function.name,
      "gen_ai.tool.call.id": call.id,
      ...(capture ? { "gen_ai.tool.call.arguments": call.function.arguments } : {}),
    });
    try {
      const tool = tools[call.function.name as ToolName] as unknown as {
        execute: (i: unknown, o: unknown) => Promise<unknown>;
      };
      const args: unknown = JSON.parse(call.function.arguments);
      const output = JSON.stringify(
        await guardCall(ledger, { toolName: call.function.name, callId: call.id, arguments: args }, () =>
          tool.execute(args, { toolCallId: call.id, messages: [] }),
        ),
      );
      if (capture) span.setAttribute("gen_ai.tool.call.result", output);
      return output;
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      return `Error: ${(err as Error).message}`;
    } finally {
      span.end();
    }
  });
}

let exitCode = 0;
await tracer.startActiveSpan("invoke_agent support-agent", async (root) => {
  root.setAttributes({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-agent" });
  const messages: Message[] = [
    { role: "user", content: env.TRAILCHECK_INPUT ?? "Refund order A-1001, please." },
  ];
  try {
    for (let step = 0; step < 10; step++) {
      const message = await callModel(messages);
      messages.push({ role: "assistant", ...message });
      if (!message.tool_calls?.length) {
        process.stdout.write(`${message.content}\n`);
        break;
      }
      for (const call of message.tool_calls) {
        const output = await context.with(trace.setSpan(context.active(), root), () => runTool(call));
        messages.push({ role: "tool", tool_call_id: call.id, content: output });
      }
    }
  } catch (err) {
    root.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    process.stderr.write(`plain agent failed: ${(err as Error).message}\n`);
    await recordRunFailure(ledger, err).catch(() => undefined);
    exitCode = 1;
  } finally {
    root.end();
  }
});
await ledger.close();
await provider.shutdown();
process.exit(exitCode);
