import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

// Test-only support for the guard: an in-memory tracer and a sink that refuses every record.

/** A registered tracer provider whose finished spans land in `exporter`; the context manager keeps spans active across awaits. */
export function inMemoryTracing(): { exporter: InMemorySpanExporter; provider: BasicTracerProvider } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.disable();
  trace.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return { exporter, provider };
}

/** A ledger sink that refuses every record, as a full disk or a closed ledger would. */
export const failingSink = {
  append: async () => {
    throw new Error("ENOSPC: no space left on device, write");
  },
};
