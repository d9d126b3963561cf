// OpenTelemetry plumbing shared by the OTLP generators: a tracer provider with an in-memory
// exporter and a registered async context manager, deterministic ids and clock, the native
// trailcheck policy spans, and OTLP/JSON serialisation through @opentelemetry/otlp-transformer.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Context, context, type Span, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { POLICY_NAME, type PolicyDecision, SERVICE_NAME } from "./scenario.js";

export const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Start of the fake clock: every generated trace starts at this instant. */
export const CLOCK_START_MS = Date.UTC(2026, 0, 15, 9, 30, 0);

/**
 * Ids derived from a seed and a counter, so that regenerating gives the same ids. They look random
 * (sha-256 derived) because real ids do and mappers must not rely on their shape.
 */
export class SeededIdGenerator implements IdGenerator {
  private n = 0;
  constructor(private readonly seed: string) {}
  private next(len: number): string {
    this.n += 1;
    return createHash("sha256").update(`${this.seed}:${this.n}`).digest("hex").slice(0, len);
  }
  generateTraceId(): string {
    return this.next(32);
  }
  generateSpanId(): string {
    return this.next(16);
  }
}

/**
 * Replaces Date.now and performance.now with a clock that starts at CLOCK_START_MS and advances
 * by `stepMs` on every read. The OTel SDK has no clock option, but it reads only these two, and
 * the generators are single-threaded with a fixed call order, so timestamps become reproducible.
 * Returns a function restoring the real clock.
 */
export function installFakeClock(stepMs = 3): () => void {
  const realDateNow = Date.now;
  const realPerfNow = performance.now;
  const realOrigin = Object.getOwnPropertyDescriptor(performance, "timeOrigin");
  let elapsed = 0;
  const tick = () => {
    elapsed += stepMs;
    return elapsed;
  };
  Date.now = () => CLOCK_START_MS + tick();
  performance.now = () => tick();
  Object.defineProperty(performance, "timeOrigin", { value: CLOCK_START_MS, configurable: true });
  return () => {
    Date.now = realDateNow;
    performance.now = realPerfNow;
    if (realOrigin) Object.defineProperty(performance, "timeOrigin", realOrigin);
    else delete (performance as { timeOrigin?: number }).timeOrigin;
  };
}

export interface OtelHarness {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** Ends the harness: flushes, unregisters the globals and the fake clock, returns the spans. */
  finish(): Promise<ReadableSpan[]>;
}

/**
 * A BasicTracerProvider with an InMemorySpanExporter, registered globally together with an
 * AsyncLocalStorageContextManager (without it, every span would start its own trace).
 */
export function startOtel(seed: string, extraResource: Record<string, string> = {}): OtelHarness {
  const restoreClock = installFakeClock();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": SERVICE_NAME,
      "service.version": "1.4.2",
      "deployment.environment.name": "example",
      ...extraResource,
    }),
    idGenerator: new SeededIdGenerator(seed),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    provider,
    exporter,
    async finish() {
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      await provider.shutdown();
      trace.disable();
      context.disable();
      restoreClock();
      return spans;
    },
  };
}

/** ExportTraceServiceRequest as OTLP/JSON (hex ids, decimal-string nanoseconds). */
export function toOtlpJson(spans: ReadableSpan[]): OtlpRequest {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("JsonTraceSerializer returned nothing");
  return JSON.parse(new TextDecoder().decode(bytes)) as OtlpRequest;
}

export type OtlpAttribute = { key: string; value: Record<string, unknown> };
export type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
  [k: string]: unknown;
};
export type OtlpRequest = {
  resourceSpans: {
    resource?: { attributes?: OtlpAttribute[]; [k: string]: unknown };
    scopeSpans: { scope?: { name: string; version?: string }; spans: OtlpSpan[]; [k: string]: unknown }[];
    [k: string]: unknown;
  }[];
};

/** Spans sorted by start time so that the files read top-down like the run happened. */
export function sortByStart(spans: ReadableSpan[]): ReadableSpan[] {
  const ns = (s: ReadableSpan) => BigInt(s.startTime[0]) * 1_000_000_000n + BigInt(s.startTime[1]);
  return [...spans].sort((a, b) => (ns(a) < ns(b) ? -1 : ns(a) > ns(b) ? 1 : 0));
}

export function writeJson(fileName: string, value: unknown): string {
  const path = resolve(OUT_DIR, fileName);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
  return path;
}

export function writeText(fileName: string, text: string): string {
  const path = resolve(OUT_DIR, fileName);
  writeFileSync(path, text);
  return path;
}

/** Instrumentation scope of the example application's policy layer. */
export const POLICY_SCOPE = "support-app.policy-layer";

export interface PolicySpanInput {
  decision: PolicyDecision;
  toolName: string;
  toolCallId: string;
  /** Span id of the governed action (the tool span) when it exists. */
  subject?: string;
  /** Extra attributes (e.g. another convention's kind marker on the same span). */
  attributes?: Record<string, string | number | boolean>;
  /** Parent context; defaults to the active context. */
  parent?: Context;
}

/**
 * The small policy layer's record of one decision, in trailcheck's native convention: a span
 * `policy refund-limit` with `trailcheck.kind=policy` and `policy.*` attributes.
 */
export function emitPolicySpan(tracer: Tracer, input: PolicySpanInput): Span {
  const span = tracer.startSpan(
    `policy ${POLICY_NAME}`,
    {
      attributes: {
        "trailcheck.kind": "policy",
        "policy.name": POLICY_NAME,
        "policy.decision": input.decision.decision,
        "policy.reason": input.decision.reason,
        "policy.tool.name": input.toolName,
        "policy.tool_call.id": input.toolCallId,
        ...(input.subject ? { "policy.subject": input.subject } : {}),
        ...input.attributes,
      },
    },
    input.parent ?? context.active(),
  );
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
  return span;
}

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
