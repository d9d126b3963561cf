// OpenTelemetry for the support agent: a tracer provider with a batch processor and the OTLP
// exporter the standard variables select (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / _PROTOCOL:
// `http/protobuf`, the default, or `http/json`), sending to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
// An async context manager keeps one run in one trace.
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

export function startTelemetry(serviceName: string): BasicTracerProvider {
  const protocol =
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    "http/protobuf";
  const exporter = protocol === "http/json" ? new JsonExporter() : new ProtoExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return provider;
}
