import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * The arguments to `node` that run the CLI from its TypeScript sources: the tests of this repository
 * spawn these, never bin/trailcheck.js, which runs the build in dist/ and may be stale.
 */
export const DEV_CLI: readonly string[] = [
  join(ROOT, "bin", "run-ts.js"),
  join(ROOT, "src", "cli", "main.ts"),
];
