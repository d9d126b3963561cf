import { escapeTerminal } from "../text/escape.js";

/** Progress of a run: a rewritten status line in a terminal, plain lines in CI or a pipe. */
export interface Progress {
  collected(tests: number): void;
  finished(name: string, state: "passed" | "failed" | "skipped", gaps: number): void;
  end(): void;
}

const MARK = { passed: "✓", failed: "✗", skipped: "-" } as const;

/** Writes to `out` (stderr by default); `tty` decides the style. Names are escaped (span content). */
export function createProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  tty: boolean = out.isTTY === true && !process.env.CI,
): Progress {
  let total = 0;
  let done = 0;
  let failed = 0;
  const line = (name: string, state: keyof typeof MARK, gaps: number) =>
    `${MARK[state]} ${escapeTerminal(name)}${gaps > 0 ? ` — ${gaps} gap(s)` : ""}`;
  if (!tty) {
    return {
      collected: (n) => {
        total += n;
      },
      finished: (name, state, gaps) => {
        done++;
        out.write(`${line(name, state, gaps)}\n`);
      },
      end: () => {},
    };
  }
  const width = () => Math.max(40, (out.columns ?? 100) - 1);
  return {
    collected: (n) => {
      total += n;
    },
    finished: (name, state, gaps) => {
      done++;
      if (state === "failed") {
        failed++;
        out.write(`\r\x1b[K${line(name, state, gaps)}\n`);
      }
      const status = `[${done}/${Math.max(total, done)}] ${failed} failed · ${escapeTerminal(name)}`;
      out.write(`\r\x1b[K${status.slice(0, width())}`);
    },
    end: () => out.write("\r\x1b[K"),
  };
}
