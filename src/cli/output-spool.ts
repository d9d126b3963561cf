import { once } from "node:events";
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a spool keeps in memory before it moves to a temporary file. */
const IN_MEMORY_BYTES = 4 * 1024 * 1024;

/**
 * Output that can only be printed once it is complete (a check prints its header, which names what it
 * could not model, after the last run): text is kept in memory up to a few megabytes, then in a
 * temporary file, so a long report does not have to fit in memory. `discard` forgets it all.
 */
export class OutputSpool {
  private chunks: string[] = [];
  private bytes = 0;
  private dir: string | undefined;
  private fd: number | undefined;

  /** `parent` is where the temporary folder goes (the system's temporary folder by default). */
  constructor(private readonly parent: string = tmpdir()) {}

  add(text: string): void {
    if (this.fd === undefined) {
      this.chunks.push(text);
      this.bytes += text.length;
      if (this.bytes > IN_MEMORY_BYTES) this.moveToFile();
      return;
    }
    writeSync(this.fd, text);
  }

  /** Writes what was added to `out`, in order; then removes the temporary file. */
  async writeTo(out: NodeJS.WritableStream): Promise<void> {
    try {
      if (this.fd === undefined) {
        out.write(this.chunks.join(""));
        return;
      }
      closeSync(this.fd);
      this.fd = undefined;
      for await (const chunk of createReadStream(join(this.dir!, "out"))) {
        if (!out.write(chunk)) await once(out, "drain");
      }
    } finally {
      this.discard();
    }
  }

  discard(): void {
    this.chunks = [];
    this.bytes = 0;
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
  }
}
