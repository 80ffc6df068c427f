/** An order as a customer's state knows it. */
export interface RecordedOrder {
  readonly amount: number;
  readonly currency: string;
  readonly at: string;
}

/**
 * The orders recorded on a customer's stream, as an immutable value that folds in constant time per purchase:
 * successive books share one append-only index, each seeing the orders up to its own size. Only a book that
 * is no longer the newest (an older state evolved again) or an order recorded a second time pays for a copy,
 * so folding a stream of n purchases costs O(n), not the O(n²) of copying the orders on every purchase.
 */
export class OrderBook {
  static readonly empty = new OrderBook(new Map(), 0);

  private constructor(
    /** orderId → the order and the size of the first book that holds it; shared by a line of books. */
    private readonly index: Map<string, { readonly order: RecordedOrder; readonly seq: number }>,
    readonly size: number,
  ) {}

  get(orderId: string): RecordedOrder | undefined {
    const entry = this.index.get(orderId);
    return entry && entry.seq < this.size ? entry.order : undefined;
  }

  orderIds(): string[] {
    return [...this.index].filter(([, entry]) => entry.seq < this.size).map(([orderId]) => orderId);
  }

  with(orderId: string, order: RecordedOrder): OrderBook {
    const newest = this.index.size === this.size;
    if (newest && !this.index.has(orderId)) {
      this.index.set(orderId, { order, seq: this.size });
      return new OrderBook(this.index, this.size + 1);
    }
    const copy: typeof this.index = new Map();
    for (const [id, entry] of this.index) if (entry.seq < this.size && id !== orderId) copy.set(id, { order: entry.order, seq: copy.size });
    copy.set(orderId, { order, seq: copy.size });
    return new OrderBook(copy, copy.size);
  }
}
