import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * What a spool keeps in memory before it moves to a temporary file. Small, because the memory of a
 * check should not follow the size of its report: kept text costs more than its length (the strings,
 * then one joined copy and its encoding when printed).
 */
const IN_MEMORY_BYTES = 1024 * 1024;
/** Once the spool is a file: how many bytes gather before one write. */
const WRITE_BYTES = 1024 * 1024;
/** A UTF-16 code unit is at most this many bytes of UTF-8. */
const MAX_UTF8_PER_UNIT = 3;

/**
 * Output that can only be printed once it is complete (a check prints its header, which names what it
 * could not model, after the last run): text is kept in memory up to a megabyte, then in a
 * temporary file, so a long report does not have to fit in memory. `discard` forgets it all.
 */
export class OutputSpool {
  private chunks: string[] = [];
  private bytes = 0;
  private dir: string | undefined;
  private fd: number | undefined;
  /**
   * Once in a file: text is encoded straight into this buffer, written when full. Text is not kept as
   * strings until a write: strings that outlive a scavenge are copied, and a long report is mostly them.
   */
  private pending: Buffer | undefined;
  private used = 0;

  /** `parent` is where the temporary folder goes (the system's temporary folder by default). */
  constructor(private readonly parent: string = tmpdir()) {}

  add(text: string): void {
    if (this.fd === undefined) {
      this.chunks.push(text);
      this.bytes += text.length;
      if (this.bytes > IN_MEMORY_BYTES) this.moveToFile();
      return;
    }
    const pending = this.pending!;
    if (text.length * MAX_UTF8_PER_UNIT > pending.length - this.used) {
      this.flush();
      // Longer than the buffer itself: one write of its own.
      if (text.length * MAX_UTF8_PER_UNIT > pending.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += pending.write(text, this.used);
  }

  /** Writes what was added to `out`, in order; then removes the temporary file. */
  async writeTo(out: NodeJS.WritableStream): Promise<void> {
    try {
      if (this.fd === undefined) {
        out.write(this.chunks.join(""));
        return;
      }
      this.flush();
      closeSync(this.fd);
      this.fd = openSync(join(this.dir!, "out"), "r");
      let chunk = Buffer.allocUnsafe(WRITE_BYTES);
      for (let n = readSync(this.fd, chunk); n > 0; n = readSync(this.fd, chunk)) {
        const flowing = out.write(n === chunk.length ? chunk : chunk.subarray(0, n));
        if (!handedOver(out)) chunk = Buffer.allocUnsafe(WRITE_BYTES);
        if (!flowing) await once(out, "drain");
      }
    } finally {
      this.discard();
    }
  }

  discard(): void {
    this.chunks = [];
    this.bytes = 0;
    this.pending = undefined;
    this.used = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private moveToFile(): void {
    this.dir = mkdtempSync(join(this.parent, "trailcheck-output-"));
    this.fd = openSync(join(this.dir, "out"), "w");
    writeSync(this.fd, this.chunks.join(""));
    this.chunks = [];
    this.bytes = 0;
    this.pending = Buffer.allocUnsafe(WRITE_BYTES);
  }

  /** Writes the buffered bytes to the file. */
  private flush(): void {
    for (let at = 0; at < this.used; ) at += writeSync(this.fd!, this.pending!, at, this.used - at);
    this.used = 0;
  }
}

/**
 * Whether `out` is done with the chunk it was just given, so that the next read can go into it. Only
 * the process's own stdout and stderr are trusted with that, once they hold no bytes: the chunk went to
 * the file, terminal or pipe (a pipe that cannot take it at once keeps it and holds bytes until it has).
 * Any other stream may keep a chunk it has acknowledged, as a PassThrough's reader does. A fresh
 * megabyte per chunk is memory outside the heap that the collector frees late: reading a 46 MB report
 * back raised a check's peak RSS by some 30 MB.
 */
function handedOver(out: NodeJS.WritableStream): boolean {
  const std = out === process.stdout ? process.stdout : out === process.stderr ? process.stderr : undefined;
  return std !== undefined && std.writableLength === 0;
}
