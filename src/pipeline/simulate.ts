import type { LoggingConfig } from "../model/logging-config.js";
import { processorName } from "../model/processors.js";
import type { SpanRecord } from "../model/record.js";
import { byEndTime, maxNanos } from "./order.js";
import type { ProcessorContext } from "./processor.js";
import { compileProcessor } from "./registry.js";
import { route } from "./routing.js";
import { simulateSdk } from "./sdk-export.js";
import { sealAndVerify } from "./seal.js";
import { compileStore, summarizeStream } from "./store.js";
import type {
  LossEvent,
  SimulateOptions,
  StoredRecord,
  StoredView,
  StreamSummary,
  UnknownConstruct,
} from "./types.js";

/**
 * What the logging pipeline keeps of `records`, as seen at audit time: a pure, deterministic function of
 * its inputs. Records arrive in span end order; the SDK export stage runs first (when configured), then
 * routing, then each stream's processors in order, then the stream's store.
 */
export function simulate(
  records: readonly SpanRecord[],
  config: LoggingConfig,
  options: SimulateOptions,
): StoredView {
  const losses: LossEvent[] = [];
  const unknown: UnknownConstruct[] = [];
  const context = (stage: string, stream?: string): ProcessorContext => ({ stage, stream, losses, unknown });

  // Audit time per run: auditAfter past the run's last span end, as emitted (before any loss).
  const lastEnd = new Map<string, string>();
  for (const r of records) {
    const seen = lastEnd.get(r.traceId);
    if (seen === undefined || maxNanos(seen, r.end) !== seen) lastEnd.set(r.traceId, r.end);
  }
  const auditTimes = new Map<string, bigint>();
  const auditTime = (traceId: string): bigint => {
    let t = auditTimes.get(traceId);
    if (t === undefined) {
      t = BigInt(lastEnd.get(traceId) ?? "0") + options.auditAfterNs;
      auditTimes.set(traceId, t);
    }
    return t;
  };

  let arriving = byEndTime(records);
  if (config.sdk) arriving = simulateSdk(arriving, config.sdk, context("sdk"));
  const routed = route(arriving, config.streams, context("routing"));

  const stored: StoredRecord[] = [];
  const streams: StreamSummary[] = [];
  config.streams.forEach((stream, i) => {
    const processors = stream.processors.map((p, j) =>
      compileProcessor(p, context(`${stream.name}/${processorName(p)}[${j}]`, stream.name)),
    );
    let current = routed[i]!;
    for (const p of processors) current = p.process(current);
    const store = compileStore(stream, context(`${stream.name}/store`, stream.name));
    const kept = store.keep(current, auditTime);
    for (const s of kept) stored.push(s);
    streams.push({
      ...summarizeStream(stream, store),
      ...(stream.integrity === "merkle-checkpoints" ? { sealed: sealAndVerify(kept) } : {}),
      samplers: processors.flatMap((p) => (p.sampler ? [p.sampler] : [])),
      notes: processors.flatMap((p) => (p.note ? [p.note] : [])),
    });
  });
  return { stored, losses, unknown, streams };
}
