import { expect, test } from 'vitest';
import { timeOrderedId } from '../../src/db/timeOrderedId';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are RFC 9562 version 7 UUIDs whose first 48 bits are the creation time', () => {
  const at = Date.UTC(2026, 10, 26, 7, 5, 3, 123);
  const id = timeOrderedId(at);
  expect(id).toMatch(UUID_V7);
  expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
});

test('ids of later milliseconds sort after earlier ones as text', () => {
  const start = Date.UTC(2026, 0, 1);
  // Spans byte boundaries of the timestamp (…ff → …00) and a whole day.
  const times = [
    start,
    start + 1,
    start + 255,
    start + 256,
    start + 65_535,
    start + 65_536,
    start + 86_400_000,
  ];
  const ids = times.map((at) => timeOrderedId(at));
  expect([...ids].sort()).toEqual(ids);
});

test('ids of the same millisecond differ: 100,000 of them are all distinct', () => {
  const at = Date.now();
  const ids = new Set(Array.from({ length: 100_000 }, () => timeOrderedId(at)));
  expect(ids.size).toBe(100_000);
  for (const id of [...ids].slice(0, 1000)) expect(id).toMatch(UUID_V7);
});
