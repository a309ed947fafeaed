import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/routing/deadlineQueue';

describe('DeadlineQueue', () => {
  it('hands out due deadlines earliest first and keeps the later ones', () => {
    const queue = new DeadlineQueue();
    for (const [key, dueAt] of [
      ['c', 30],
      ['a', 10],
      ['d', 40],
      ['b', 20],
      ['a2', 10],
    ] as const) {
      queue.push({ conversationId: key, key, dueAt });
    }
    expect(queue.popDue(20).map((d) => d.key)).toEqual(['a', 'a2', 'b']);
    expect(queue.peek()?.key).toBe('c');
    expect(queue.size).toBe(2);
  });

  it('a burst of 1,200 due deadlines comes out 500 at a time, earliest first', () => {
    const queue = new DeadlineQueue();
    for (let i = 0; i < 1200; i++) queue.push({ conversationId: `c${i}`, key: `k${i}`, dueAt: 1200 - i });
    const first = queue.popDue(5000, 500);
    expect(first).toHaveLength(500);
    expect(first[0]?.dueAt).toBe(1);
    expect(first.at(-1)?.dueAt).toBe(500);
    expect(queue.popDue(5000, 500).map((d) => d.dueAt)[0]).toBe(501);
    expect(queue.popDue(5000, 500)).toHaveLength(200);
    expect(queue.size).toBe(0);
  });

  it('sorts 10,000 random deadlines like Array.sort does', () => {
    const queue = new DeadlineQueue();
    const dues = Array.from({ length: 10_000 }, (_, i) => ({
      conversationId: `c${i}`,
      key: `k${i}`,
      dueAt: Math.floor(Math.random() * 1e6),
    }));
    for (const due of dues) queue.push(due);
    const popped = queue.popDue(Number.MAX_SAFE_INTEGER);
    const expected = [...dues].sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
    expect(popped).toEqual(expected);
  });
});
