import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { spanToRecord } from "./span-record.js";
import type { SealedLogWriter } from "./writer.js";

type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];
// ExportResultCode.SUCCESS / FAILED from @opentelemetry/core, without depending on it at runtime.
const SUCCESS = 0 as ExportResult["code"];
const FAILED = 1 as ExportResult["code"];

/**
 * An OpenTelemetry SpanExporter that seals every finished span into a tamper-evident log. Put it
 * in a BatchSpanProcessor (beside the exporter to your backend) and the trail your agent leaves
 * can be verified later with `trailcheck verify`:
 *
 *   const writer = await SealedLogWriter.open({ dir, privateKey, origin: "example.com/agent" });
 *   provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new SealingSpanExporter(writer))] });
 */
export class SealingSpanExporter implements SpanExporter {
  private stopped = false;

  constructor(
    private readonly writer: SealedLogWriter,
    /** Close the writer (final checkpoint) on shutdown; false if the writer is shared. */
    private readonly closeOnShutdown = true,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: FAILED, error: new Error("SealingSpanExporter is shut down") });
      return;
    }
    let records: ReturnType<typeof spanToRecord>[];
    try {
      records = spans.map(spanToRecord);
    } catch (error) {
      resultCallback({ code: FAILED, error: error as Error });
      return;
    }
    this.writer.appendMany(records).then(
      () => resultCallback({ code: SUCCESS }),
      (error: Error) => resultCallback({ code: FAILED, error }),
    );
  }

  /** Writes buffered records and publishes a checkpoint, so they are sealed now rather than at the next tick. */
  async forceFlush(): Promise<void> {
    if (!this.stopped) await this.writer.checkpoint();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.closeOnShutdown) await this.writer.close();
    else await this.writer.checkpoint();
  }
}
