import { InputError } from "../errors.js";
import type { Results } from "./results.js";

/**
 * Refuses to merge shards judged under different configs: a merged report names one set of config
 * hashes, and would otherwise present verdicts of two configs as those of one. Compares each shard's
 * config files (path and SHA-256) with the first shard's.
 */
export function checkSameConfigs(shards: readonly { file: string; results: Results }[]): void {
  const [first, ...rest] = shards;
  if (!first) return;
  const hashes = (r: Results) => new Map(r.environment.configFiles.map((f) => [f.path, f.sha256]));
  const expected = hashes(first.results);
  for (const shard of rest) {
    const actual = hashes(shard.results);
    for (const path of new Set([...expected.keys(), ...actual.keys()])) {
      const [a, b] = [expected.get(path), actual.get(path)];
      if (a === b) continue;
      const show = (h: string | undefined) => (h ? `SHA-256 ${h.slice(0, 12)}…` : "absent");
      throw new InputError(
        "results-mismatch",
        `judged under other configs than ${first.file}: ${path} is ${show(b)} here, ${show(a)} there; merge only shards of one run`,
        { file: shard.file },
      );
    }
  }
}
