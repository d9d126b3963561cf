// A customer-support agent on the Vercel AI SDK with the OpenAI provider and OpenTelemetry — the
// reference agent trailcheck replays. It reads the user's message from TRAILCHECK_INPUT and talks
// to OPENAI_BASE_URL; its spans go to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
//
//   SUPPORT_AGENT_API=chat|responses   Chat Completions (default) or the Responses API
//   SUPPORT_AGENT_STREAM=1             streamText instead of generateText
//   SUPPORT_AGENT_RECORD_INPUTS=0      the SDK's recordInputs: false (drops prompts)
//   SUPPORT_AGENT_RECORD_OUTPUTS=0     the SDK's recordOutputs: false (drops outputs, tool args and results)
//   SUPPORT_AGENT_NO_FLUSH=1           exit without shutting the tracer provider down
//   SUPPORT_AGENT_GUARD=block|flag     the guard's mode (default block)
//   SUPPORT_AGENT_LEDGER_SYNC=always|batch   the ledger's sync mode (default always)
//   SUPPORT_AGENT_UNGUARDED=TOOL       leave one tool outside the guard: its calls never reach the ledger
//
// Every tool call goes through trailcheck's guard: it is in the ledger at TRAILCHECK_LEDGER_DIR (the
// replay harness gives each run a fresh one; else a directory under the system's temp dir) before
// the tool runs, and a call that can't be recorded is refused.
//
// Run: node bin/run-ts.js examples/support-agent/agent.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, streamText } from "ai";
import { guardTools, openLedger, recordRunFailure } from "../../src/public/guard.js";
import { loadOrders } from "./shop.js";
import { startTelemetry } from "./telemetry.js";
import { makeTools } from "./tools.js";

const SYSTEM_PROMPT =
  "You are support-agent for an online shop. Look orders up before acting. Refunds up to 100 USD " +
  "may be issued without human approval. Always email the customer a confirmation.";

const env = process.env;
const provider = startTelemetry("support-agent");
const openai = createOpenAI({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? "unset" });
const model = env.SUPPORT_AGENT_API === "responses" ? openai.responses("gpt-4o") : openai.chat("gpt-4o");
const ledger = await openLedger({
  dir: env.TRAILCHECK_LEDGER_DIR ?? join(tmpdir(), "support-agent-ledger"),
  sync: env.SUPPORT_AGENT_LEDGER_SYNC === "batch" ? "batch" : "always",
});
const shopTools = makeTools(
  loadOrders(env.TRAILCHECK_SCENARIO),
  provider.getTracer("support-agent.policy", "1.0.0"),
  ledger,
);
const tools = guardTools(shopTools, { ledger, mode: env.SUPPORT_AGENT_GUARD === "flag" ? "flag" : "block" });
const unguarded = env.SUPPORT_AGENT_UNGUARDED as keyof typeof shopTools | undefined;
if (unguarded && unguarded in shopTools) Object.assign(tools, { [unguarded]: shopTools[unguarded] });

const settings = {
  model,
  system: SYSTEM_PROMPT,
  prompt: env.TRAILCHECK_INPUT ?? "Hi, I'd like a refund for order A-1001.",
  tools,
  stopWhen: stepCountIs(10),
  // The mock model keeps no state between calls, so every request carries the whole conversation.
  providerOptions: { openai: { store: false } },
  experimental_telemetry: {
    isEnabled: true,
    functionId: "support-agent",
    recordInputs: env.SUPPORT_AGENT_RECORD_INPUTS !== "0",
    recordOutputs: env.SUPPORT_AGENT_RECORD_OUTPUTS !== "0",
    metadata: { runId: env.TRAILCHECK_RUN_ID ?? "local" },
    tracer: provider.getTracer("ai"),
  },
};

let exitCode = 0;
try {
  let text: string;
  if (env.SUPPORT_AGENT_STREAM === "1") {
    let streamError: unknown;
    const result = streamText({
      ...settings,
      onError: ({ error }) => {
        streamError = error;
      },
    });
    // `result.text` resolves before the SDK ends its ai.streamText root span; reading the stream to
    // its end waits for that too, so the shutdown below exports the whole run.
    await result.consumeStream();
    text = await result.text;
    if (streamError) throw streamError;
  } else {
    text = (await generateText(settings)).text;
  }
  process.stdout.write(`${text}\n`);
} catch (err) {
  process.stderr.write(`support-agent failed: ${(err as Error).message}\n`);
  await recordRunFailure(ledger, err).catch(() => undefined);
  exitCode = 1;
}
await ledger.close();
if (env.SUPPORT_AGENT_NO_FLUSH === "1") process.exit(exitCode);
await provider.shutdown();
process.exit(exitCode);
