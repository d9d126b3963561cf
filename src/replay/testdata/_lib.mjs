// Helpers for the small fault agents: one model call over fetch, and OTLP/JSON export over fetch.
import { randomBytes } from "node:crypto";

/** One Chat Completions call to the mock; returns the parsed body (or throws on an HTTP error). */
export async function chat(messages) {
  const res = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    body: JSON.stringify({ model: "gpt-4o", messages }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`model call failed: ${res.status} ${body.error?.message}`);
  return body;
}

const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();

/** An OTLP/JSON GenAI chat span. */
export function chatSpan(traceId = randomBytes(16).toString("hex")) {
  return {
    traceId,
    spanId: randomBytes(8).toString("hex"),
    name: "chat gpt-4o",
    kind: 3,
    startTimeUnixNano: nowNs(),
    endTimeUnixNano: nowNs(),
    attributes: [
      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
      { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
    ],
    status: {},
  };
}

/** Posts spans as one OTLP/JSON export request. */
export async function exportJson(spans) {
  const res = await fetch(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] }),
  });
  return res.status;
}
