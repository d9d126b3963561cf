import { spawn } from "node:child_process";
import { DEV_CLI } from "./dev-cli.js";

export interface ClosedPipeRun {
  readonly code: number | null;
  /** The first chunk read from the stream that was then closed. */
  readonly first: string;
  /** Everything read from the other stream. */
  readonly kept: string;
}

/**
 * The CLI from its sources with `closed` (its stdout or stderr) read until the first chunk and then
 * closed, as `trailcheck … | head -1` does; the other stream read whole.
 */
export function cliWithClosedPipe(
  args: readonly string[],
  closed: "stdout" | "stderr",
  cwd?: string,
): Promise<ClosedPipeRun> {
  const child = spawn(process.execPath, [...DEV_CLI, ...args], {
    cwd,
    env: { ...process.env, CI: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const other = closed === "stdout" ? child.stderr : child.stdout;
  let kept = "";
  other.on("data", (chunk: Buffer) => {
    kept += chunk.toString();
  });
  let first = "";
  child[closed].once("data", (chunk: Buffer) => {
    first = chunk.toString();
    child[closed].destroy();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, first, kept })));
}
