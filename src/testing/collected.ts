import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A full collection on demand, without starting the test process with --expose-gc: a context made
// while the flag is on gets `gc`.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Whether everything `refs` points to is gone after a full collection. A WeakRef keeps its target until
 * the job that made or read it ends, so the collection runs after a macrotask. Tests make the objects
 * inside a function that returns only the WeakRefs, so no local of the test holds them.
 */
export async function allCollected(refs: readonly WeakRef<object>[]): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return refs.every((ref) => ref.deref() === undefined);
}
