import { vi } from "vitest";
import { runCli } from "../cli/program.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Captures what a write to stdout or stderr would print, for the duration of one call. */
function capture(stream: NodeJS.WriteStream, into: string[]) {
  return vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
    into.push(String(chunk));
    return true;
  });
}

/**
 * The CLI's own entry run in this process, as a test runs a command line: its exit code and what it
 * printed. `env` holds variables set for the call alone. Cheaper than a process by seconds, so a test
 * can run hundreds of command lines; tests of what only a process shows (signals, handlers) spawn one.
 */
export async function runCliHere(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const spies = [capture(process.stdout, out), capture(process.stderr, err)];
  try {
    const code = await runCli(args);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
