import { Fifo } from "./fifo.js";
import { MinHeap } from "./min-heap.js";

/**
 * A priority queue for input that is nearly in order already: an item no less than the last one
 * queued in order waits in a plain FIFO, any other in a heap, and the next item is the lesser of the
 * two fronts. Items come out in the same order as from one `MinHeap` under `less` (a strict order:
 * no two items equal), at the cost of a FIFO for most of them. Used for records in span end order.
 */
export class ArrivalQueue<T> {
  private readonly inOrder = new Fifo<T>();
  /** The last item the FIFO took, while it holds something. */
  private last: T | undefined;
  private readonly late: MinHeap<T>;

  constructor(private readonly less: (a: T, b: T) => boolean) {
    this.late = new MinHeap(less);
  }

  get size(): number {
    return this.inOrder.size + this.late.size;
  }

  push(item: T): void {
    if (this.inOrder.size === 0 || !this.less(item, this.last!)) {
      this.inOrder.push(item);
      this.last = item;
    } else this.late.push(item);
  }

  peek(): T | undefined {
    const first = this.inOrder.peek();
    const late = this.late.peek();
    if (first === undefined) return late;
    return late !== undefined && this.less(late, first) ? late : first;
  }

  pop(): T | undefined {
    const first = this.inOrder.peek();
    const late = this.late.peek();
    if (first === undefined || (late !== undefined && this.less(late, first))) return this.late.pop();
    this.inOrder.shift();
    // Nothing keeps an item that has left (see Fifo).
    if (this.inOrder.size === 0) this.last = undefined;
    return first;
  }
}
