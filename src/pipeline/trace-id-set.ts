/**
 * Trace ids in about 40 bytes each: the 128 bits of each id in an open-addressed table of four 32-bit
 * words, instead of a string apiece in a `Set` (a table the garbage collector never walks). An id of
 * another form, which records read from files never carry, is kept as a string.
 */
export class TraceIdSet {
  private words = new Uint32Array(4 * 1024);
  private used = new Uint8Array(1024);
  private count = 0;
  private readonly other = new Set<string>();

  get size(): number {
    return this.count + this.other.size;
  }

  add(traceId: string): void {
    const w = traceIdWords(traceId);
    if (!w) {
      this.other.add(traceId);
      return;
    }
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    if (this.insert(w)) this.count++;
  }

  has(traceId: string): boolean {
    const w = traceIdWords(traceId);
    return w ? this.find(w) >= 0 : this.other.has(traceId);
  }

  delete(traceId: string): boolean {
    const w = traceIdWords(traceId);
    if (!w) return this.other.delete(traceId);
    let hole = this.find(w);
    if (hole < 0) return false;
    // Backward-shift deletion: entries after the hole that probed past it move into it, so every entry
    // stays reachable from its home slot without tombstones.
    const mask = this.used.length - 1;
    for (let j = (hole + 1) & mask; this.used[j]; j = (j + 1) & mask) {
      const home = slotOf(this.words, 4 * j, mask);
      // The entry stays when its home lies cyclically in (hole, j].
      const stays = hole < j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      copyWords(this.words, 4 * j, this.words, 4 * hole);
      hole = j;
    }
    this.used[hole] = 0;
    this.count--;
    return true;
  }

  private find(w: Uint32Array): number {
    const mask = this.used.length - 1;
    for (let i = slotOf(w, 0, mask); this.used[i]; i = (i + 1) & mask) if (this.same(i, w, 0)) return i;
    return -1;
  }

  private same(i: number, w: Uint32Array, at: number): boolean {
    const k = 4 * i;
    return (
      this.words[k] === w[at] &&
      this.words[k + 1] === w[at + 1] &&
      this.words[k + 2] === w[at + 2] &&
      this.words[k + 3] === w[at + 3]
    );
  }

  /** Inserts the id at w[at, at + 4) unless present; true when it was new. */
  private insert(w: Uint32Array, at = 0): boolean {
    const mask = this.used.length - 1;
    let i = slotOf(w, at, mask);
    for (; this.used[i]; i = (i + 1) & mask) if (this.same(i, w, at)) return false;
    this.used[i] = 1;
    copyWords(w, at, this.words, 4 * i);
    return true;
  }

  private grow(): void {
    const { words: old, used } = this;
    this.words = new Uint32Array(old.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(old, 4 * i);
  }
}

/**
 * Trace ids in arrival order, 16 bytes each in a growing ring of 32-bit words; ids of another form
 * than 32 lowercase hex digits are kept aside as strings, by their place in the queue.
 */
export class TraceIdQueue {
  private words = new Uint32Array(4 * 1024);
  private head = 0;
  private length = 0;
  /** Absolute position of the head: `other` is keyed by it. */
  private shifted = 0;
  private readonly other = new Map<number, string>();

  get size(): number {
    return this.length;
  }

  push(traceId: string): void {
    const capacity = this.words.length / 4;
    if (this.length === capacity) {
      const bigger = new Uint32Array(this.words.length * 2);
      const from = 4 * this.head;
      bigger.set(this.words.subarray(from));
      bigger.set(this.words.subarray(0, from), this.words.length - from);
      this.words = bigger;
      this.head = 0;
    }
    const at = 4 * ((this.head + this.length) % (this.words.length / 4));
    const w = traceIdWords(traceId);
    if (w) copyWords(w, 0, this.words, at);
    else this.other.set(this.shifted + this.length, traceId);
    this.length++;
  }

  shift(): string | undefined {
    if (this.length === 0) return undefined;
    const position = this.shifted++;
    const at = 4 * this.head;
    this.head = (this.head + 1) % (this.words.length / 4);
    this.length--;
    if (this.other.size > 0) {
      const other = this.other.get(position);
      if (other !== undefined) {
        this.other.delete(position);
        return other;
      }
    }
    for (let k = 0; k < 4; k++) HEX_SCRATCH.writeUInt32BE(this.words[at + k]!, 4 * k);
    return HEX_SCRATCH.toString("hex");
  }
}

/**
 * The 128 bits of a trace id as trailcheck's records carry it (32 lowercase hex digits, TraceIdSchema)
 * as four 32-bit words, in a scratch array valid until the next call; undefined for an id of another form.
 */
function traceIdWords(traceId: string): Uint32Array | undefined {
  if (traceId.length !== 32) return undefined;
  for (let k = 0; k < 4; k++) {
    let w = 0;
    for (let i = 8 * k; i < 8 * k + 8; i++) {
      const c = traceId.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) return undefined;
      w = (w << 4) | digit;
    }
    SCRATCH[k] = w;
  }
  return SCRATCH;
}
const SCRATCH = new Uint32Array(4);
/** 16 bytes an id is written back to hex from: one native conversion instead of four strings joined. */
const HEX_SCRATCH = Buffer.alloc(16);

/** One id's four words from `from[at]` to `to[into]`: plain stores, no subarray per call. */
function copyWords(from: Uint32Array, at: number, to: Uint32Array, into: number): void {
  to[into] = from[at]!;
  to[into + 1] = from[at + 1]!;
  to[into + 2] = from[at + 2]!;
  to[into + 3] = from[at + 3]!;
}

function slotOf(w: Uint32Array, at: number, mask: number): number {
  let h = 0x811c9dc5;
  for (let k = at; k < at + 4; k++) h = Math.imul(h ^ w[k]!, 0x01000193) ^ (h >>> 15);
  return (Math.imul(h, 0x85ebca6b) >>> 0) & mask;
}
