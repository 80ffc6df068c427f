import { OrderBook } from './order-book';

const order = (amount: number) => ({ amount, currency: 'GBP', at: '2025-01-01T00:00:00.000Z' });

describe('OrderBook', () => {
  it('is a value: a book keeps showing the orders it had when a later one adds more', () => {
    const one = OrderBook.empty.with('o1', order(1));
    const two = one.with('o2', order(2));
    expect(one.orderIds()).toEqual(['o1']);
    expect(one.get('o2')).toBeUndefined();
    expect(two.orderIds()).toEqual(['o1', 'o2']);
    expect(two.get('o2')).toEqual(order(2));
    expect(OrderBook.empty.size).toBe(0);
  });

  it('lets an older book evolve on another branch without either seeing the other', () => {
    const one = OrderBook.empty.with('o1', order(1));
    const left = one.with('o2', order(2));
    const right = one.with('o3', order(3));
    expect(left.orderIds()).toEqual(['o1', 'o2']);
    expect(right.orderIds()).toEqual(['o1', 'o3']);
    expect(left.with('o4', order(4)).orderIds()).toEqual(['o1', 'o2', 'o4']);
    expect(right.get('o2')).toBeUndefined();
  });

  it('keeps the latest of an order recorded twice, without changing the book that had the first', () => {
    const first = OrderBook.empty.with('o1', order(1)).with('o2', order(2));
    const again = first.with('o1', order(9));
    expect(again.get('o1')).toEqual(order(9));
    expect(again.size).toBe(2);
    expect(first.get('o1')).toEqual(order(1));
  });
});
