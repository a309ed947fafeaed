import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FOLD_NICENESS, startFoldProcess } from '../../src/analytics/foldProcess';
import { openDatabase } from '../../src/db/database';
import { conversation, message, scenarioDatabase } from '../support/analyticsScenario';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the analytics fold in a process of its own', () => {
  it('folds what is stored, at the lowest CPU priority, and stops without leaving a process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fold-process-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = scenarioDatabase(openDatabase(join(dataDir, 'switchboard.sqlite')));
    cleanups.push(() => {
      db.$client.close();
    });
    const now = Date.now();
    conversation(db, 'c1', { openedAt: now, assignee: 'ana' });
    message(db, 'c1', 'inbound', now);
    const folded = () =>
      db.$client
        .prepare(`SELECT high_water FROM analytics_progress WHERE source = 'messages'`)
        .pluck()
        .get() ?? 0;

    const fold = await startFoldProcess({
      env: { ...process.env, DATA_DIR: dataDir },
      log: pino({ level: 'silent' }),
    });
    const pid = fold.pid as number;
    cleanups.push(() => fold.stop());
    expect(getPriority(pid)).toBe(FOLD_NICENESS);
    await vi.waitFor(() => expect(folded()).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });

    await fold.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  }, 30_000);
});
