import type { EffectResult } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

/**
 * Stored results of effects by key. Temporal may run an activity twice (a crash after the work,
 * before the result was recorded); the second run finds the first one's result here.
 */
export function createEffectResults(db: AppDatabase) {
  const find = db.$client.prepare<[string], { result: string }>(
    `SELECT result FROM effect_results WHERE key = ?`,
  );
  const insert = db.$client.prepare(
    `INSERT INTO effect_results (key, type, conversation_id, result, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO NOTHING`,
  );
  return {
    find(key: string): EffectResult | null {
      const row = find.get(key);
      return row ? (JSON.parse(row.result) as EffectResult) : null;
    },
    remember(key: string, conversationId: string, result: EffectResult): void {
      insert.run(key, result.type, conversationId, JSON.stringify(result), Date.now());
    },
  };
}

export type EffectResults = ReturnType<typeof createEffectResults>;
