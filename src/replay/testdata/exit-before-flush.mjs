// Real OTel SDK with a batch processor and the OTLP exporter, but exits without shutting the
// provider down: the batch never leaves the process.
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { chat } from "./_lib.mjs";

const provider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 60_000 })],
});
trace.setGlobalTracerProvider(provider);
const span = trace
  .getTracer("fault")
  .startSpan("chat gpt-4o", { attributes: { "gen_ai.operation.name": "chat" } });
await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
span.end();
process.exit(0);
