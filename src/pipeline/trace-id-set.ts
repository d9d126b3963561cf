/**
 * Trace ids (32 hex digits) in about 40 bytes each: the 128 bits of each id in an open-addressed table
 * of four 32-bit words, instead of a string apiece in a `Set`.
 */
export class TraceIdSet {
  private words = new Uint32Array(4 * 1024);
  private used = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(traceId: string): void {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    if (this.insert(words(traceId))) this.count++;
  }

  has(traceId: string): boolean {
    const w = words(traceId);
    const mask = this.used.length - 1;
    for (let i = slot(w, mask); this.used[i]; i = (i + 1) & mask) if (this.same(i, w)) return true;
    return false;
  }

  private same(i: number, w: readonly number[]): boolean {
    const at = 4 * i;
    return (
      this.words[at] === w[0] &&
      this.words[at + 1] === w[1] &&
      this.words[at + 2] === w[2] &&
      this.words[at + 3] === w[3]
    );
  }

  private insert(w: readonly number[]): boolean {
    const mask = this.used.length - 1;
    let i = slot(w, mask);
    for (; this.used[i]; i = (i + 1) & mask) if (this.same(i, w)) return false;
    this.used[i] = 1;
    this.words.set(w, 4 * i);
    return true;
  }

  private grow(): void {
    const { words: old, used } = this;
    this.words = new Uint32Array(old.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++) {
      if (used[i]) this.insert([old[4 * i]!, old[4 * i + 1]!, old[4 * i + 2]!, old[4 * i + 3]!]);
    }
  }
}

function words(traceId: string): number[] {
  const out = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) out[k] = Number.parseInt(traceId.slice(8 * k, 8 * k + 8), 16) >>> 0;
  return out;
}

function slot(w: readonly number[], mask: number): number {
  let h = 0x811c9dc5;
  for (const x of w) h = Math.imul(h ^ x, 0x01000193) ^ (h >>> 15);
  return (Math.imul(h, 0x85ebca6b) >>> 0) & mask;
}
