import { once } from "node:events";
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a spool keeps in memory before it moves to a temporary file. */
const IN_MEMORY_BYTES = 4 * 1024 * 1024;
/** Once the spool is a file: how much text gathers before one write. */
const WRITE_BYTES = 1024 * 1024;

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
    this.chunks.push(text);
    this.bytes += text.length;
    if (this.fd === undefined) {
      if (this.bytes > IN_MEMORY_BYTES) this.moveToFile();
    } else if (this.bytes > WRITE_BYTES) {
      this.flush();
    }
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
    this.flush();
  }

  /** Once in a file, text is written in pieces of about `WRITE_BYTES`, not one write per `add`. */
  private flush(): void {
    if (this.chunks.length > 0) writeSync(this.fd!, this.chunks.join(""));
    this.chunks = [];
    this.bytes = 0;
  }
}
