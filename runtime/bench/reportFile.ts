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
  };
}

/** Writes `json` to bench/results/<benchmark>-<date>.json; returns the file's path. */
export async function saveReport(benchmark: string, date: Date, json: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  // ISO time with ':' swapped for '-': colons are not allowed in file names everywhere.
  const file = join(RESULTS_DIR, `${benchmark}-${date.toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${json}\n`);
  return file;
}
