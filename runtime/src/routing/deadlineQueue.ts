/** One pending deadline of a conversation's execution. */
export interface Deadline {
  conversationId: string;
  key: string;
  dueAt: number;
}

/**
 * Every pending deadline of a shard in one binary min-heap, so a single workflow timer (set to the
 * earliest) serves them all. Deadlines that stopped mattering (the node was acknowledged) stay in
 * the heap and are dropped when they surface: the interpreter ignores a stale key anyway.
 * Deterministic: it runs inside workflow code.
 */
export class DeadlineQueue {
  private readonly heap: Deadline[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(deadline: Deadline): void {
    const heap = this.heap;
    heap.push(deadline);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Deadline, heap[parent] as Deadline)) break;
      [heap[i], heap[parent]] = [heap[parent] as Deadline, heap[i] as Deadline];
      i = parent;
    }
  }

  peek(): Deadline | undefined {
    return this.heap[0];
  }

  /** Removes and returns the deadlines due at or before `now`, earliest first, at most `limit` of them. */
  popDue(now: number, limit = Number.POSITIVE_INFINITY): Deadline[] {
    const due: Deadline[] = [];
    while (due.length < limit && this.heap.length > 0 && (this.heap[0] as Deadline).dueAt <= now)
      due.push(this.pop());
    return due;
  }

  private pop(): Deadline {
    const heap = this.heap;
    const top = heap[0] as Deadline;
    const last = heap.pop() as Deadline;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left] as Deadline, heap[smallest] as Deadline)) smallest = left;
        if (right < heap.length && before(heap[right] as Deadline, heap[smallest] as Deadline))
          smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest] as Deadline, heap[i] as Deadline];
        i = smallest;
      }
    }
    return top;
  }
}

/** Ties broken by key so the order never depends on insertion history. */
function before(a: Deadline, b: Deadline): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.key < b.key);
}
