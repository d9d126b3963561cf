import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { SpanRecord } from "../model/record.js";
import { NS_PER_MS } from "../model/time.js";
import { exportRequest } from "./otlp-encode.js";

export interface StoreWriterOptions {
  /** `file`: the collector file exporter (JSON lines, lumberjack rotation); `s3`: the awss3exporter layout. */
  readonly layout: "file" | "s3";
  readonly dir: string;
  /** Spans per export batch (a batch processor's `send_batch_size`). */
  readonly batchSize?: number;
  /** A batch is sent once its first span ended this long ago (the batch processor's `timeout`); 5 s. */
  readonly batchTimeoutNs?: bigint;
  /** `file`: rotate once the live file holds this many bytes (`rotation.max_megabytes`). */
  readonly maxBytes?: number;
  /** `file`: keep at most this many backups per series, deleting the oldest (`rotation.max_backups`). */
  readonly maxBackups?: number;
  /** Gzip rotated backups (`file`) or objects (`s3`). */
  readonly gzip?: boolean;
  /** A span is written this long after it ends (batching, tail-sampling decision wait). */
  readonly delayNs?: bigint;
}

interface Series {
  readonly name: string;
  batch: SpanRecord[];
  fd?: number;
  bytes: number;
  lastWrite: bigint;
  backups: string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Lumberjack's backup time format, `2006-01-02T15-04-05.000`, in UTC. */
function backupStamp(ns: bigint): string {
  const d = new Date(Number(ns / NS_PER_MS));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function partition(ns: bigint): string {
  const d = new Date(Number(ns / NS_PER_MS));
  return `year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}/hour=${pad(d.getUTCHours())}/minute=${pad(d.getUTCMinutes())}`;
}

/**
 * Writes stored records the way a collector's exporter lays them out, so tests, fixtures and benchmarks
 * audit real store layouts: records arrive in write order (span end order), are cut into export
 * batches per series (one series per stream or exporter), and become JSON lines of a rotating file or
 * objects in minute partitions. Synchronous and streaming: only the open batches are held.
 */
export class StoreWriter {
  readonly #series = new Map<string, Series>();
  #objects = 0;
  /** Files and objects written, for the caller's figures. */
  readonly files: string[] = [];

  constructor(private readonly options: StoreWriterOptions) {
    mkdirSync(options.dir, { recursive: true });
  }

  /** Adds one record to a series (`traces` by default); call in span end order. */
  add(record: SpanRecord, series = "traces"): void {
    let s = this.#series.get(series);
    if (!s) {
      s = { name: series, batch: [], bytes: 0, lastWrite: 0n, backups: [] };
      this.#series.set(series, s);
    }
    const first = s.batch[0];
    if (first && BigInt(record.end) - BigInt(first.end) > (this.options.batchTimeoutNs ?? 5_000_000_000n)) {
      this.#flush(s);
    }
    s.batch.push(record);
    if (s.batch.length >= (this.options.batchSize ?? 64)) this.#flush(s);
  }

  #flush(s: Series): void {
    if (s.batch.length === 0) return;
    // Written after the batch's last span ended, and never before the previous batch of the series.
    let at = s.lastWrite;
    for (const r of s.batch) if (BigInt(r.end) > at) at = BigInt(r.end);
    at += this.options.delayNs ?? 0n;
    const text = JSON.stringify(exportRequest(s.batch));
    s.batch = [];
    s.lastWrite = at;
    if (this.options.layout === "s3") {
      const dir = join(this.options.dir, partition(at));
      mkdirSync(dir, { recursive: true });
      const name = `${s.name}_${pad(++this.#objects, 8)}.json${this.options.gzip ? ".gz" : ""}`;
      const file = join(dir, name);
      writeFileSync(file, this.options.gzip ? gzipSync(text) : text);
      this.files.push(file);
      return;
    }
    const line = `${text}\n`;
    if (
      s.fd !== undefined &&
      this.options.maxBytes !== undefined &&
      s.bytes + line.length > this.options.maxBytes
    ) {
      this.#rotate(s, at);
    }
    if (s.fd === undefined) {
      s.fd = openSync(this.#live(s), "w");
      s.bytes = 0;
    }
    writeSync(s.fd, line);
    s.bytes += Buffer.byteLength(line);
  }

  #live(s: Series): string {
    return join(this.options.dir, `${s.name}.json`);
  }

  /** Renames the live file to a backup stamped with the rotation time, as lumberjack does. */
  #rotate(s: Series, at: bigint): void {
    closeSync(s.fd!);
    s.fd = undefined;
    let stamp = at;
    let name = `${s.name}-${backupStamp(stamp)}.json`;
    while (s.backups.some((b) => b.endsWith(name) || b.endsWith(`${name}.gz`))) {
      stamp += NS_PER_MS;
      name = `${s.name}-${backupStamp(stamp)}.json`;
    }
    const backup = join(this.options.dir, name);
    renameSync(this.#live(s), backup);
    let kept = backup;
    if (this.options.gzip) {
      writeFileSync(`${backup}.gz`, gzipSync(readFileSync(backup)));
      rmSync(backup);
      kept = `${backup}.gz`;
    }
    s.backups.push(kept);
    this.files.push(kept);
    const max = this.options.maxBackups;
    while (max !== undefined && s.backups.length > max) rmSync(s.backups.shift()!, { force: true });
  }

  /** Flushes every open batch and closes the live files. */
  close(): void {
    for (const s of this.#series.values()) {
      this.#flush(s);
      if (s.fd !== undefined) {
        closeSync(s.fd);
        this.files.push(this.#live(s));
      }
    }
  }
}
