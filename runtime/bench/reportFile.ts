import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './percentiles';

const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/results');

/** What a result was measured on: numbers from a 2-core laptop and a 32-core server do not compare. */
export function machineInfo() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    totalMemGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    referenceWorkMs: referenceWorkMs(),
  };
}

const REFERENCE_OBJECT = {
  id: 'conv-1',
  text: 'Hi, my order has not arrived yet',
  tags: ['vip'],
  n: [1, 2, 3],
};
const REFERENCE_BYTES = Buffer.alloc(1 << 20, 7);

/**
 * Milliseconds a fixed piece of work took just now (JSON round trips and SHA-256, as webhook
 * intake does them): the same 2-core VM ran the same code two to three times slower at some hours
 * than at others, so a result is only comparable with one measured at a similar value. Lower is a
 * quicker machine.
 */
export function referenceWorkMs(): number {
  const started = performance.now();
  let checksum = 0;
  for (let i = 0; i < 50_000; i++) checksum += JSON.parse(JSON.stringify(REFERENCE_OBJECT)).n.length;
  for (let i = 0; i < 50; i++) checksum += createHash('sha256').update(REFERENCE_BYTES).digest()[0] ?? 0;
  if (checksum < 0) throw new Error('unreachable: keeps the work from being optimised away');
  return round(performance.now() - started, 1);
}

/** Writes `json` to bench/results/<benchmark>-<date>.json; returns the file's path. */
export async function saveReport(benchmark: string, date: Date, json: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  // ISO time with ':' swapped for '-': colons are not allowed in file names everywhere.
  const file = join(RESULTS_DIR, `${benchmark}-${date.toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${json}\n`);
  return file;
}
