// The agent runs as the leader of its own process group (spawned `detached`), so a timeout or the
// end of a run can signal the whole tree at once: its shell, the agent, and whatever the agent
// started. Only a process that leaves the group on purpose (setsid) escapes.

const live = new Set<number>();
let exitHookInstalled = false;

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
 * Remembers a group so that it is killed if trailcheck itself exits first: a detached subprocess is
 * not cleaned up by execa, and a replay must never leave an agent running.
 */
export function trackGroup(pid: number): void {
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const group of live) signalGroup(group, "SIGKILL");
  });
}

export function untrackGroup(pid: number): void {
  live.delete(pid);
}
