import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** A deterministic pseudo-random id: the benchmark corpus is the same on every machine. */
function hexId(seed: string, bytes: number): string {
  return createHash("sha256")
    .update(seed)
    .digest("hex")
    .slice(0, bytes * 2);
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

/** One AI SDK-shaped run: a generateText root, model steps, tool calls and a policy decision. */
export function runSpans(n: number, payloadBytes: number): unknown[] {
  const traceId = hexId(`trace-${n}`, 16);
  const root = hexId(`root-${n}`, 8);
  const t0 = 1_767_225_600_000_000_000n + BigInt(n) * 10_000_000_000n;
  const ns = (ms: number) => (t0 + BigInt(ms) * 1_000_000n).toString();
  const filler = "x".repeat(payloadBytes);
  const spans: unknown[] = [];
  const failed = n % 17 === 0;
  for (let step = 0; step < 3; step++) {
    const llm = hexId(`llm-${n}-${step}`, 8);
    const callId = `call_${n}_${step}`;
    spans.push({
      traceId,
      spanId: llm,
      parentSpanId: root,
      name: "ai.generateText.doGenerate",
      kind: 1,
      startTimeUnixNano: ns(step * 300),
      endTimeUnixNano: ns(step * 300 + 200),
      status: {},
      attributes: [
        str("ai.operationId", "ai.generateText.doGenerate"),
        str("ai.model.id", "gpt-4o-mini"),
        str("gen_ai.request.model", "gpt-4o-mini"),
        str("ai.prompt.messages", JSON.stringify([{ role: "user", content: `refund order ${n} ${filler}` }])),
        str(
          "ai.response.toolCalls",
          JSON.stringify([
            { toolCallId: callId, toolName: "lookup_order", input: JSON.stringify({ orderId: `A-${n}` }) },
          ]),
        ),
        int("gen_ai.usage.input_tokens", 120 + step),
        int("gen_ai.usage.output_tokens", 30),
      ],
    });
    const tool = hexId(`tool-${n}-${step}`, 8);
    spans.push({
      traceId,
      spanId: tool,
      parentSpanId: root,
      name: "ai.toolCall",
      kind: 1,
      startTimeUnixNano: ns(step * 300 + 210),
      endTimeUnixNano: ns(step * 300 + 290),
      status: failed && step === 2 ? { code: 2, message: "payment service unavailable" } : {},
      attributes: [
        str("ai.operationId", "ai.toolCall"),
        str("ai.toolCall.name", "lookup_order"),
        str("ai.toolCall.id", callId),
        str("ai.toolCall.args", JSON.stringify({ orderId: `A-${n}` })),
        str("ai.toolCall.result", JSON.stringify({ orderId: `A-${n}`, amount: 40, note: filler })),
      ],
    });
    spans.push({
      traceId,
      spanId: hexId(`policy-${n}-${step}`, 8),
      parentSpanId: tool,
      name: "policy refund-limit",
      kind: 1,
      startTimeUnixNano: ns(step * 300 + 211),
      endTimeUnixNano: ns(step * 300 + 212),
      status: { code: 1 },
      attributes: [
        str("trailcheck.kind", "policy"),
        str("policy.name", "refund-limit"),
        str("policy.decision", "allow"),
        str("policy.reason", "amount within limit"),
        str("policy.subject", tool),
        str("policy.tool_call.id", callId),
      ],
    });
  }
  spans.push({
    traceId,
    spanId: root,
    name: "ai.generateText",
    kind: 1,
    startTimeUnixNano: ns(0),
    endTimeUnixNano: ns(1000),
    status: {},
    attributes: [
      str("ai.operationId", "ai.generateText"),
      str("ai.telemetry.functionId", "support-agent"),
      str("ai.model.id", "gpt-4o-mini"),
      str("ai.prompt", JSON.stringify({ prompt: `refund order ${n}` })),
      str("ai.response.text", `Refunded order ${n}.`),
    ],
  });
  return spans;
}

export function batch(spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "support-agent")] },
        scopeSpans: [{ scope: { name: "ai", version: "6.0.0" }, spans }],
      },
    ],
  });
}

/**
 * Writes a collector file-exporter corpus (`format: json`, one export batch per line) of at least
 * `targetBytes`. Batches hold spans of several runs and runs are split across lines, as a collector
 * writes them. Returns the number of spans and one trace id from the middle of the file.
 */
export async function writeCorpus(
  file: string,
  targetBytes: number,
  payloadBytes = 400,
): Promise<{ spans: number; runs: number; bytes: number; sampleTraceId: string }> {
  const out = createWriteStream(file);
  let bytes = 0;
  let spans = 0;
  let n = 0;
  let pending: unknown[] = [];
  let sampleTraceId = "";
  while (bytes < targetBytes) {
    const run = runSpans(n, payloadBytes);
    spans += run.length;
    if (bytes >= targetBytes / 2 && !sampleTraceId) sampleTraceId = (run[0] as { traceId: string }).traceId;
    // Split each run: its first half closes the current batch, its second half opens the next.
    const half = Math.floor(run.length / 2);
    pending.push(...run.slice(0, half));
    if (pending.length >= 40) {
      const line = `${batch(pending)}\n`;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, "drain");
      pending = [];
    }
    pending.push(...run.slice(half));
    n++;
  }
  if (pending.length > 0) {
    const line = `${batch(pending)}\n`;
    bytes += Buffer.byteLength(line);
    out.write(line);
  }
  out.end();
  await once(out, "finish");
  return { spans, runs: n, bytes, sampleTraceId };
}
