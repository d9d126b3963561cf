import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { recordsFromOtlpJson } from "../ingest/otlp-json.js";
import { decodeTraceRequest, EMPTY_TRACE_RESPONSE, encodeRpcStatus } from "../ingest/otlp-proto.js";
import type { SpanRecord } from "../model/record.js";
import { BodyError, closeServer, listen, mediaType, readBody, sendJson } from "./http-server.js";

export type OtlpEncoding = "json" | "protobuf";

/** A request the receiver refused: the agent sent telemetry trailcheck could not read. */
export interface MalformedTelemetry {
  readonly status: 400 | 404 | 405 | 413 | 415;
  readonly contentType: string;
  readonly message: string;
}

/** One accepted export request. */
export interface ReceivedBatch {
  readonly encoding: OtlpEncoding;
  readonly gzip: boolean;
  readonly spans: number;
}

export interface OtlpReceiverOptions {
  /** Loopback only; the default is 127.0.0.1. */
  readonly host?: string;
  /** Largest body accepted, compressed or not (default 32 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /**
   * What one replay keeps in all, to judge it in memory: bytes of (decompressed) bodies, default
   * 256 MiB, and spans, default 250,000. A request that would pass either gets 413, so an agent that
   * sends without end costs bounded memory (each request alone stays under `maxBodyBytes`).
   */
  readonly maxTotalBytes?: number;
  readonly maxSpans?: number;
}

/** A running OTLP/HTTP trace receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** `<url>/v1/traces`, for `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  readonly tracesUrl: string;
  /** Every span received so far, in arrival order. */
  records(): readonly SpanRecord[];
  batches(): readonly ReceivedBatch[];
  malformed(): readonly MalformedTelemetry[];
  /** `performance.now()` of the last request's start or end, or undefined before the first. */
  lastActivity(): number | undefined;
  /** Requests being read or answered right now. */
  inFlight(): number;
  close(): Promise<void>;
}

// gRPC status codes carried in OTLP/HTTP error bodies (google.rpc.Status).
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;

const ENCODINGS: Record<string, OtlpEncoding> = {
  "application/json": "json",
  "application/x-protobuf": "protobuf",
  "application/protobuf": "protobuf",
};

/**
 * Answers as OTLP/HTTP says (opentelemetry-proto `docs/specification.md`): success is 200 with an
 * empty `ExportTraceServiceResponse` in the request's encoding; a bad body is 400 with a `Status`
 * and is not retryable, so exporters give up rather than resend it forever; an unsupported media
 * type is 415 and a body over the limit 413.
 */
function answer(res: ServerResponse, status: number, encoding: OtlpEncoding, message?: string): void {
  if (status === 200) {
    if (encoding === "json") sendJson(res, 200, {});
    else {
      res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
      res.end(EMPTY_TRACE_RESPONSE);
    }
    return;
  }
  const code = status === 413 ? RESOURCE_EXHAUSTED : status === 400 ? INVALID_ARGUMENT : UNIMPLEMENTED;
  if (encoding === "json") {
    sendJson(res, status, { code, message });
    return;
  }
  const body = encodeRpcStatus(code, message ?? "");
  res.writeHead(status, { "content-type": "application/x-protobuf", "content-length": body.length });
  res.end(body);
}

/** An OTLP/HTTP receiver for traces on a loopback port of its own, keeping every span it gets. */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const limit = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const maxTotalBytes = options.maxTotalBytes ?? 256 * 1024 * 1024;
  const maxSpans = options.maxSpans ?? 250_000;
  let totalBytes = 0;
  const records: SpanRecord[] = [];
  const batches: ReceivedBatch[] = [];
  const malformed: MalformedTelemetry[] = [];
  let lastActivity: number | undefined;
  let inFlight = 0;

  const refuse = (
    res: ServerResponse,
    status: MalformedTelemetry["status"],
    type: string,
    message: string,
  ) => {
    malformed.push({ status, contentType: type, message });
    answer(res, status, ENCODINGS[type] ?? "json", message);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const type = mediaType(req);
    if (path !== "/v1/traces") {
      req.resume();
      refuse(res, 404, type, `no OTLP signal at ${path}; trailcheck receives traces at /v1/traces`);
      return;
    }
    if (req.method !== "POST") {
      req.resume();
      refuse(res, 405, type, `use POST for /v1/traces, not ${req.method}`);
      return;
    }
    const encoding = ENCODINGS[type];
    if (!encoding) {
      req.resume();
      refuse(
        res,
        415,
        type,
        `unsupported Content-Type '${type}': use application/x-protobuf or application/json`,
      );
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      refuse(res, err.status, type, err.message);
      return;
    }
    let spans: SpanRecord[];
    try {
      const message = encoding === "json" ? JSON.parse(body.toString("utf8")) : decodeTraceRequest(body);
      spans = recordsFromOtlpJson(message);
    } catch (err) {
      const what = encoding === "json" ? "OTLP/JSON" : "OTLP/protobuf";
      refuse(res, 400, type, `not a valid ${what} ExportTraceServiceRequest: ${(err as Error).message}`);
      return;
    }
    if (totalBytes + body.length > maxTotalBytes || records.length + spans.length > maxSpans) {
      refuse(
        res,
        413,
        type,
        `a replay keeps at most ${maxSpans} spans and ${maxTotalBytes} bytes of telemetry; ` +
          `this request of ${spans.length} span(s) and ${body.length} bytes would pass that ` +
          `(${records.length} spans and ${totalBytes} bytes kept so far)`,
      );
      return;
    }
    totalBytes += body.length;
    for (const span of spans) records.push(span);
    batches.push({
      encoding,
      gzip: /gzip/i.test(req.headers["content-encoding"] ?? ""),
      spans: spans.length,
    });
    answer(res, 200, encoding);
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    lastActivity = performance.now();
    res.on("close", () => {
      inFlight -= 1;
      lastActivity = performance.now();
    });
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: 13, message: String(err) });
      else res.destroy();
    });
  });
  const url = await listen(server, options.host);
  return {
    url,
    tracesUrl: `${url}/v1/traces`,
    records: () => records,
    batches: () => batches,
    malformed: () => malformed,
    lastActivity: () => lastActivity,
    inFlight: () => inFlight,
    close: () => closeServer(server),
  };
}
