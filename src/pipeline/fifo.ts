/**
 * A first-in first-out queue over an array that starts over once drained and drops its consumed head now
 * and then, so it never grows with the input. A place is emptied as its item leaves: the queue lives as long as the check and ends
 * up in V8's old generation, and the young collector takes every reference held there as live, so an
 * item still referenced from a consumed place would outlive its run, be promoted, and die in old space.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
