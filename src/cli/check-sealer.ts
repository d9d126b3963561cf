import { Worker } from "node:worker_threads";
import { LineEncoder } from "../integrity/record-bytes.js";
import { encodeBatches } from "../integrity/seal-records.js";
import { type Sealed, SealedLog, type Sealer } from "../pipeline/seal.js";
import {
  type BatchMessage,
  CONTINUED,
  type DoneMessage,
  type FinishMessage,
  type LogsMessage,
} from "./check-seal-protocol.js";

/** A batch is sent once it holds this many bytes of lines (about a hundred runs of the bench's). */
const SEND_AT = 1 << 20;
/** Batches the worker may have in hand before the check waits for it. */
const IN_FLIGHT = 4;

/**
 * Seals the check's sealed streams in a worker thread (check-seal-worker.ts), on the second core. This
 * thread stringifies and encodes each run's stored records (they are its objects) and sends the bytes
 * of many runs at once; the worker hashes, roots, logs and verifies them with the SealedLog the
 * in-thread sealer runs, and answers with each log's summary at the end (Sealer says why runs need not
 * wait for their seals). `close` ends the worker; a worker that fails fails the check, never a verdict.
 */
export class WorkerSealer implements Sealer {
  private readonly worker: Worker;
  private readonly encoder = new LineEncoder();
  /** Batch buffers the worker handed back. */
  private readonly free: Buffer[] = [];
  private bytes: Buffer = Buffer.allocUnsafeSlow(SEND_AT);
  private at = 1;
  private ends: number[] = [];
  private pieces: number[] = [];
  private inFlight = 0;
  private finishing = false;
  private closed = false;
  private failure: Error | undefined;
  private logs: readonly Sealed[] | undefined;
  private wake: (() => void) | undefined;

  /** `worker` runs check-seal-worker.ts unless given (tests give one that fails). */
  constructor(worker: Worker = startSealWorker()) {
    this.worker = worker;
    this.worker.on("message", (m: DoneMessage | LogsMessage) => this.receive(m));
    this.worker.on("error", (err) =>
      this.fail(new Error(`sealing in a worker thread failed: ${err.message}`, { cause: err })),
    );
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the sealing worker thread stopped (exit code ${code})`));
    });
  }

  seal(log: number, lines: readonly string[]): undefined {
    if (this.failure) throw this.failure;
    if (lines.length === 0) this.piece(log, undefined, 0, 0, true);
    let left = lines.length;
    encodeBatches(lines, this.encoder, (buf, count) => {
      const size = left === lines.length ? lines.length : CONTINUED;
      left -= count;
      this.piece(log, buf, count, size, left === 0);
    });
    if (this.at >= SEND_AT) this.send();
  }

  settle(all: boolean): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (all && !this.finishing) {
      this.finishing = true;
      this.send();
      this.worker.postMessage({ kind: "finish" } satisfies FinishMessage);
    }
    const settled = () => (all ? this.logs !== undefined : this.inFlight <= IN_FLIGHT);
    if (settled()) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.wake = () => {
        if (this.failure) reject(this.failure);
        else if (settled()) resolve();
        else return;
        this.wake = undefined;
      };
    });
  }

  summary(log: number): Sealed {
    if (!this.logs) throw new Error("a sealed log's summary was asked for before its seals were made");
    // A log no run reached is empty.
    return this.logs[log] ?? new SealedLog().summary();
  }

  /** Ends the worker (on every path: done, failed, interrupted). */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  /** Copies the encoder's last batch (lines of one run) into the batch to send. */
  private piece(log: number, buf: Buffer | undefined, count: number, size: number, last: boolean): void {
    const length = buf ? buf.length - 1 : 0;
    if (this.at + length > this.bytes.length) {
      this.send();
      // One piece larger than a batch gets a buffer of its own.
      if (1 + length > this.bytes.length) this.bytes = Buffer.allocUnsafeSlow(1 + length);
    }
    if (buf) {
      buf.copy(this.bytes, this.at, 1);
      const shift = this.at - 1;
      for (let k = 0; k < count; k++) this.ends.push(this.encoder.endOf(k) + shift);
      this.at += length;
    }
    this.pieces.push(log, count, size, last ? 1 : 0);
  }

  private send(): void {
    if (this.pieces.length === 0) return;
    // A buffer of its own (allocUnsafeSlow), not a slice of Buffer's pool: it moves to the worker.
    const buffer = this.bytes.buffer as ArrayBuffer;
    const ends = Uint32Array.from(this.ends);
    const pieces = Uint32Array.from(this.pieces);
    const message: BatchMessage = {
      kind: "batch",
      bytes: new Uint8Array(buffer, this.bytes.byteOffset, this.at),
      ends,
      pieces,
    };
    this.worker.postMessage(message, [buffer, ends.buffer, pieces.buffer]);
    this.inFlight++;
    this.bytes = this.free.pop() ?? Buffer.allocUnsafeSlow(SEND_AT);
    this.at = 1;
    this.ends = [];
    this.pieces = [];
  }

  private receive(message: DoneMessage | LogsMessage): void {
    if (message.kind === "logs") this.logs = message.logs;
    else {
      this.inFlight--;
      const { buffer } = message.bytes;
      if (buffer.byteLength === SEND_AT) this.free.push(Buffer.from(buffer));
    }
    this.wake?.();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }
}

/**
 * The worker, next to this file: compiled JavaScript as shipped, or the TypeScript source when this
 * runs from the sources (tests, `npm run dev`), then through tsx's loader, which plain node lacks.
 */
export function startSealWorker(): Worker {
  const self = import.meta.url;
  const source = self.endsWith(".ts");
  const url = new URL(`./check-seal-worker.${source ? "ts" : "js"}`, self);
  if (!source) return new Worker(url);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true });
}
