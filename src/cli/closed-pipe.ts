/**
 * `trailcheck check … | head`, `trailcheck run 2>&1 | head`: the reader closes the pipe before the
 * command is done. The reader has what it wanted, but the command's verdict is still its exit code: a
 * check of runs with gaps must exit 1 however little of its output was read, and `run` must still write
 * its reports. So after EPIPE on `stream`, what is still written to it is dropped (and a writer waiting
 * for it to drain is let go), and the command finishes as it would have. Any other error on the stream
 * goes to `onOther`.
 */
export function dropWritesOnClosedPipe(
  stream: NodeJS.WriteStream,
  onOther: (err: NodeJS.ErrnoException) => void,
): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") return onOther(err);
    stream.write = dropped as typeof stream.write;
    stream.emit("drain");
  });
}

/** `write` of a stream nobody reads any more: accepted at once, so no writer waits for a drain. */
function dropped(_chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const done = typeof encoding === "function" ? encoding : callback;
  if (typeof done === "function") process.nextTick(done as () => void);
  return true;
}
