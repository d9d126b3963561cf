// The agent runs as the leader of its own process group (spawned `detached`), so a timeout or the
// end of a run can signal the whole tree at once: its shell, the agent, and whatever the agent
// started. Only a process that leaves the group on purpose (setsid) escapes.

import type { Readable } from "node:stream";

const live = new Set<number>();
let exitHookInstalled = false;

// Stopping trailcheck (Ctrl-C, a CI job cancelled, `kill`) must stop the agent too: the agent's group
// is not the terminal's foreground group, so Ctrl-C never reaches it, and Node dies of these signals
// without an `exit` event. While a group is live, each of them kills the groups first.
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function onStopSignal(signal: NodeJS.Signals): void {
  for (const group of live) signalGroup(group, "SIGKILL");
  live.clear();
  setSignalHooks(false);
  // With no listener of the host's own, dying of the signal is what the process would have done.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function setSignalHooks(on: boolean): void {
  for (const signal of STOP_SIGNALS) {
    if (on) process.on(signal, onStopSignal);
    else process.off(signal, onStopSignal);
  }
}

/** Sends `signal` to the process group led by `pid`; false when the group is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

/**
 * Remembers a group so that it is killed if trailcheck itself exits or is stopped by a signal first:
 * a detached subprocess is not cleaned up by execa, and a replay must never leave an agent running.
 */
export function trackGroup(pid: number): void {
  if (live.size === 0) setSignalHooks(true);
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const group of live) signalGroup(group, "SIGKILL");
  });
}

export function untrackGroup(pid: number): void {
  if (!live.delete(pid) || live.size > 0) return;
  setSignalHooks(false);
}

/** The part of a subprocess `outputEnded` needs: its pipes, and a promise settled once they have closed. */
export interface AgentOutput {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

/**
 * Called once the leader has exited: waits at most `graceMs` for `closed` (the subprocess settled,
 * i.e. its stdout and stderr ended), then destroys both pipes so the run can go on. A process that
 * left the group (setsid, a detached spawn of a tool or an MCP server) keeps the inherited pipes open
 * for as long as it lives, and no signal to the group reaches it; it cannot be told apart from a
 * process of someone else's, so it is left running. True when the pipes had to be destroyed.
 */
export async function outputEnded(
  output: AgentOutput,
  closed: Promise<unknown>,
  graceMs: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const heldOpen = await Promise.race([closed.then(() => false), late]);
  clearTimeout(timer);
  if (heldOpen) {
    output.stdout?.destroy();
    output.stderr?.destroy();
  }
  return heldOpen;
}
