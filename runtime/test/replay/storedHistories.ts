import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { type ReplayResult, Worker } from '@temporalio/worker';
import { routerWorkflowCodeOptions } from '../../src/temporal/routerWorker';

/** Recorded router shard histories, one JSON file per scenario, plus what each one covers. */
export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));
export const COVERAGE_FILE = 'coverage.json';
export const RECORD_COMMAND = 'cd runtime && npx tsx test/replay/recordHistories.ts';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/**
 * Per history file: every node type that recorded a step, with the outputs it left through and the
 * other outcomes it had (`waiting`, `ended`), sorted.
 */
export interface Coverage {
  histories: Record<string, Record<string, string[]>>;
}

interface HistoryJsonHelpers {
  historyToJSON(history: History): string;
  historyFromJSON(json: unknown): History;
}

// The runtime depends on @temporalio/worker, not on @temporalio/common; take the JSON helpers from
// the copy the worker reads histories with, so that the files and the replayer never disagree.
const requireFromWorker = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'));
export const { historyToJSON, historyFromJSON } = requireFromWorker(
  '@temporalio/common/lib/proto-utils',
) as HistoryJsonHelpers;

export interface StoredHistory {
  /** The file name without `.json`: the scenario that recorded it. */
  name: string;
  file: string;
  history: History;
}

export async function readStoredHistories(): Promise<StoredHistory[]> {
  const files = (await readdir(HISTORIES_DIR).catch(noFolderYet)).filter(
    (file) => file.endsWith('.json') && file !== COVERAGE_FILE,
  );
  return Promise.all(
    files.sort().map(async (file) => ({
      name: file.replace(/\.json$/, ''),
      file,
      history: historyFromJSON(JSON.parse(await readFile(join(HISTORIES_DIR, file), 'utf8'))),
    })),
  );
}

/** Before the first recording there is no folder, and so no history. */
function noFolderYet(error: unknown): string[] {
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  throw error;
}

export async function readCoverage(): Promise<Coverage> {
  return JSON.parse(await readFile(join(HISTORIES_DIR, COVERAGE_FILE), 'utf8')) as Coverage;
}

/** Replays the histories on the workflows exported by `workflowsPath`, one result per history. */
export async function replayHistories(
  workflowsPath: string,
  stored: StoredHistory[],
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const replays = Worker.runReplayHistories(
    { workflowsPath, replayName: 'determinism-guard', ...routerWorkflowCodeOptions },
    stored.map(({ name, history }) => ({ workflowId: name, history })),
  );
  for await (const result of replays) results.push(result);
  return results;
}

/** `intake.json: DeterminismViolationError: …` for each history that did not replay. */
export function replayFailures(results: ReplayResult[]): string[] {
  return results.flatMap(({ workflowId, error }) =>
    error ? [`${workflowId}.json: ${error.name}: ${error.message}`] : [],
  );
}
