import type { LeavesProblem } from "./leaves-file.js";
import { DigestPacker, type PackedDigests, packDigests } from "./packed-digests.js";
import type { LogStore, StoredCheckpoint } from "./read-store.js";

/** A segment as verification sees it: the leaf hashes of its records and of its index, packed. */
export interface HashedSegment {
  /** Path relative to the log directory. */
  readonly file: string;
  /** Leaf index of the first record, from the file name. */
  readonly start: number;
  /** Leaf hash of every record the segment file holds, in order; a torn last line is a record too. */
  readonly records: PackedDigests;
  /** The segment's leaf index file: its digests, a reason it is unusable, or undefined when absent. */
  readonly index: PackedDigests | LeavesProblem | undefined;
}

/** A sealed log directory reduced to what verification needs: hashes, not records. */
export interface HashedStore {
  readonly segments: readonly HashedSegment[];
  readonly checkpoints: readonly StoredCheckpoint[];
  readonly unexpected: readonly string[];
}

/** A log store already in memory, reduced to its hashes. */
export function hashStore(store: LogStore): HashedStore {
  const segments = store.segments.map((seg) => {
    const packer = new DigestPacker();
    for (const line of seg.lines) packer.addLeaf(line);
    const index = Array.isArray(seg.leaves)
      ? packDigests(seg.leaves)
      : (seg.leaves as LeavesProblem | undefined);
    return { file: seg.file, start: seg.start, records: packer.finish(), index };
  });
  return { segments, checkpoints: store.checkpoints, unexpected: store.unexpected };
}
