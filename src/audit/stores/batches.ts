import type { SpanRecord } from "../../model/record.js";

/** Records a reader yields one at a time, passed on in batches of this many. */
const BATCH = 256;

/**
 * Groups records read one at a time into the batches a store segment yields, so the audit pays for one
 * step of an async iteration per batch rather than per record.
 */
export async function* inBatches(records: AsyncIterable<SpanRecord>): AsyncGenerator<SpanRecord[]> {
  let batch: SpanRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
