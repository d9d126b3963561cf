/** A small LRU, as the decision caches (golang-lru: Get refreshes recency). */
export class Lru {
  private readonly map = new Map<string, true>();
  constructor(private readonly size: number) {}
  get(id: string): boolean {
    if (!this.map.has(id)) return false;
    this.map.delete(id);
    this.map.set(id, true);
    return true;
  }
  put(id: string): void {
    if (this.size <= 0) return;
    this.map.delete(id);
    this.map.set(id, true);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}
