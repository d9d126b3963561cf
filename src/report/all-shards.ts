import { InputError } from "../errors.js";
import type { Results } from "./results.js";

interface ShardFile {
  readonly file: string;
  readonly results: Results;
}

const SHARD = /^(\d+)\/(\d+)$/;

/**
 * Refuses a merge that is not one whole run: a merged report stands for the whole suite, so a shard
 * left out (its job crashed and uploaded nothing) or given twice would make the tests it holds vanish
 * from the verdict — the rest may pass, and the report would say every run is reconstructable. Shards
 * say which they are (`environment.shard`, `i/n`); results without that mark (an unsharded run, or a
 * version 1 file) are merged as before.
 */
export function checkAllShards(shards: readonly ShardFile[]): void {
  const marked = shards.filter((s) => s.results.environment.shard !== undefined);
  if (marked.length === 0) return;
  const unmarked = shards.find((s) => s.results.environment.shard === undefined);
  if (unmarked) {
    throw new InputError(
      "results-mismatch",
      `not a shard (no environment.shard) while ${marked[0]!.file} is shard ${marked[0]!.results.environment.shard}; merge only the shards of one run`,
      { file: unmarked.file },
    );
  }
  const parsed = marked.map((s) => {
    const m = SHARD.exec(s.results.environment.shard!);
    if (!m) {
      throw new InputError(
        "bad-results",
        `environment.shard must be I/N, not '${s.results.environment.shard}'`,
        {
          file: s.file,
          field: "environment.shard",
        },
      );
    }
    return { ...s, index: Number(m[1]), count: Number(m[2]) };
  });
  const first = parsed[0]!;
  const seen = new Map<number, string>();
  for (const s of parsed) {
    if (s.count !== first.count) {
      throw new InputError(
        "results-mismatch",
        `shard ${s.index}/${s.count} while ${first.file} is shard ${first.index}/${first.count}; merge only the shards of one run`,
        { file: s.file },
      );
    }
    const twice = seen.get(s.index);
    if (twice !== undefined) {
      throw new InputError(
        "results-mismatch",
        `shard ${s.index}/${s.count} is also ${twice}; give each shard once`,
        { file: s.file },
      );
    }
    seen.set(s.index, s.file);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new InputError(
      "results-mismatch",
      `shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${first.count}`).join(", ")} missing: a merge without them would leave their tests out of the verdict; merge every shard of the run`,
    );
  }
}
