import { durationNanos, formatElapsed } from "../model/duration.js";
import type { SdkExport } from "../model/logging-config.js";
import type { SpanRecord } from "../model/record.js";
import { type ProcessorContext, RECORD, recordLoss } from "./processor.js";
import { truncateAttributes } from "./truncate.js";

/**
 * The agent-side SDK, per run (one process per trace), spans in end order:
 * - `attribute_value_length_limit` cuts string span attribute values (and the strings of arrays);
 * - a BatchSpanProcessor whose queue is drained every `schedule_delay` from the run's first span start,
 *   `max_export_batch_size` spans per drain; a span that ends while `max_queue_size` spans are queued
 *   is dropped; without `flush_on_exit`, the spans still queued when the process exits (at the run's
 *   last span end) are lost. A drain due at the instant a span ends runs first.
 * `records` are in arrival order; the result is aligned with them: the record as exported, or undefined
 * where it was lost.
 */
export function simulateSdk(
  records: readonly SpanRecord[],
  sdk: SdkExport,
  ctx: ProcessorContext,
): (SpanRecord | undefined)[] {
  const limit = sdk.attribute_value_length_limit;
  const delay = durationNanos(sdk.schedule_delay) ?? 0n;
  const byTrace = new Map<string, SpanRecord[]>();
  for (const r of records) {
    const list = byTrace.get(r.traceId);
    if (list) list.push(r);
    else byTrace.set(r.traceId, [r]);
  }
  const exported = new Set<SpanRecord>();
  const replaced = new Map<SpanRecord, SpanRecord>();
  for (const spans of byTrace.values()) {
    let t0 = BigInt(spans[0]!.start);
    for (const s of spans) {
      const start = BigInt(s.start);
      if (start < t0) t0 = start;
    }
    const queue: SpanRecord[] = [];
    let head = 0;
    let nextDrain = t0 + delay;
    for (const original of spans) {
      let s = original;
      if (limit !== undefined) {
        const attrs = truncateAttributes(s.attributes, limit, (key, length) =>
          recordLoss(
            ctx,
            s,
            "truncation",
            { type: "attribute", key, effect: "truncated" },
            `attribute_value_length_limit ${limit} cut a value of ${length} characters`,
          ),
        );
        if (attrs !== s.attributes) {
          s = { ...s, attributes: attrs };
          replaced.set(original, s);
        }
      }
      const end = BigInt(s.end);
      if (delay <= 0n) {
        exported.add(original);
        continue;
      }
      while (nextDrain <= end) {
        if (head === queue.length) {
          // Nothing queued: skip the idle drains.
          nextDrain += ((end - nextDrain) / delay + 1n) * delay;
          break;
        }
        const upto = Math.min(queue.length, head + sdk.max_export_batch_size);
        for (; head < upto; head++) exported.add(queue[head]!);
        nextDrain += delay;
      }
      if (queue.length - head >= sdk.max_queue_size) {
        recordLoss(
          ctx,
          s,
          "export",
          RECORD,
          `BatchSpanProcessor queue full: ${queue.length - head} spans queued when it ended (max_queue_size ${sdk.max_queue_size}; ${sdk.max_export_batch_size} exported every ${formatElapsed(delay)})`,
        );
        continue;
      }
      queue.push(original);
    }
    for (; head < queue.length; head++) {
      const s = queue[head]!;
      if (sdk.flush_on_exit) exported.add(s);
      else {
        recordLoss(
          ctx,
          replaced.get(s) ?? s,
          "export",
          RECORD,
          `still queued in the BatchSpanProcessor when the process exited at the run's last span end without flushing (flush_on_exit: false; queue drained every ${formatElapsed(delay)})`,
        );
      }
    }
  }
  return records.map((r) => (exported.has(r) ? (replaced.get(r) ?? r) : undefined));
}
