import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/** Temp directories for tests, removed after each test of a file that calls `cleanupAfterEach()`. */
const dirs: string[] = [];

export function cleanupAfterEach(): void {
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
}

export async function tempDir(prefix = "trailcheck-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
