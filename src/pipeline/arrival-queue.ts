import { MinHeap } from "./min-heap.js";

/** The in-order list is cut back once this many items at its front are gone. */
const COMPACT_AFTER = 1024;

/**
 * A priority queue for input that is nearly in order already: an item no less than the last one
 * queued in order waits in a plain list, any other in a heap, and the next item is the lesser of the
 * two fronts. Items come out in the same order as from one `MinHeap` under `less` (a strict order:
 * no two items equal), at the cost of a list for most of them. Used for records in span end order.
 */
export class ArrivalQueue<T> {
  private inOrder: (T | undefined)[] = [];
  private head = 0;
  private readonly late: MinHeap<T>;

  constructor(private readonly less: (a: T, b: T) => boolean) {
    this.late = new MinHeap(less);
  }

  get size(): number {
    return this.inOrder.length - this.head + this.late.size;
  }

  push(item: T): void {
    const list = this.inOrder;
    if (list.length === this.head || !this.less(item, list[list.length - 1]!)) list.push(item);
    else this.late.push(item);
  }

  peek(): T | undefined {
    const first = this.inOrder[this.head];
    const late = this.late.peek();
    if (first === undefined) return late;
    return late !== undefined && this.less(late, first) ? late : first;
  }

  pop(): T | undefined {
    const first = this.inOrder[this.head];
    const late = this.late.peek();
    if (first === undefined || (late !== undefined && this.less(late, first))) return this.late.pop();
    // The slot lets go of the item; the list starts over once it is drained, or is cut back.
    this.inOrder[this.head++] = undefined;
    if (this.head === this.inOrder.length) {
      this.inOrder.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.inOrder.length) {
      this.inOrder = this.inOrder.slice(this.head);
      this.head = 0;
    }
    return first;
  }
}
