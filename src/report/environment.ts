import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import type { Environment } from "./results.js";

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** trailcheck's own version, from its package.json. */
export function trailcheckVersion(): string {
  return (require("../../package.json") as { version: string }).version;
}

/**
 * SHA-256 of each config file the results depend on, with the part it plays (`project`, `logging`, …);
 * paths relative to `root`. Unreadable files are left out.
 */
export async function hashFiles(
  files: readonly { file: string; role?: Environment["configFiles"][number]["role"] }[],
  root: string,
): Promise<Environment["configFiles"]> {
  const out: Environment["configFiles"] = [];
  const seen = new Set<string>();
  for (const { file, role } of files) {
    if (seen.has(file)) continue;
    seen.add(file);
    try {
      const bytes = await readFile(file);
      out.push({
        path: relative(root, file).split(sep).join("/"),
        sha256: createHash("sha256").update(bytes).digest("hex"),
        ...(role ? { role } : {}),
      });
    } catch {
      // a profile name rather than a file, or a file that vanished: nothing to hash
    }
  }
  return out;
}

/** The environment block of results.json (reads package versions and hashes the config files). */
export async function describeEnvironment(options: {
  configFiles: Parameters<typeof hashFiles>[0];
  root: string;
  seed?: number;
  shard?: string;
  filter?: string;
}): Promise<Environment> {
  return {
    trailcheck: trailcheckVersion(),
    node: process.version,
    vitest: packageVersion("vitest"),
    platform: `${process.platform}-${process.arch}`,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    configFiles: await hashFiles(options.configFiles, options.root),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
  };
}
