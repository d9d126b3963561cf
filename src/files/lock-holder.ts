/**
 * Whether the process a lock file names, on this machine, is still alive: a signal 0 reaches it, or is
 * refused with EPERM (alive, but someone else's). A lock whose holder is gone may be taken over.
 */
export function lockHolderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
