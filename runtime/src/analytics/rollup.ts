import type { AppDatabase } from '../db/database';

export const HOUR_MS = 3_600_000;

export const MEASURES = [
  'inbound',
  'outbound',
  'opened',
  'closed',
  'first_responses',
  'first_response_ms',
  'responses',
  'response_ms',
  'resolutions',
  'resolution_ms',
  'acknowledgements',
  'acknowledgement_ms',
  'assignments',
  'reassignments',
  'sla_met',
  'sla_breached',
] as const;
export type Measure = (typeof MEASURES)[number];
const MEASURE_INDEX = new Map(MEASURES.map((measure, index) => [measure, index]));

/** Who a fact is counted for; filters on the dashboard select on these. */
export interface FactDimensions {
  agentId: string | null;
  teamId: string | null;
  businessNumberId: string;
  workflowVersionId: string | null;
  tags: readonly string[];
}

/**
 * Deltas collected over a batch of facts and written with one upsert per row touched, so a batch of
 * thousands of messages costs a few hundred statements rather than thousands.
 */
export function createRollupWriter(db: AppDatabase) {
  const columns = MEASURES.join(', ');
  const upsertHourly = db.$client.prepare(
    `INSERT INTO analytics_hourly (dimension, value, bucket, ${columns})
     VALUES (?, ?, ?, ${MEASURES.map(() => '?').join(', ')})
     ON CONFLICT DO UPDATE SET ${MEASURES.map((m) => `${m} = ${m} + excluded.${m}`).join(', ')}`,
  );
  const upsertEscalation = db.$client.prepare(
    `INSERT INTO analytics_escalations (dimension, value, bucket, reason, count)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );

  return function batch() {
    const hourly = new Map<string, { key: string[]; values: number[] }>();
    const escalations = new Map<string, { key: string[]; count: number }>();

    /** [dimension, value, bucket] rows a fact counts in. */
    function keysOf(at: number, dims: FactDimensions): string[][] {
      const bucket = String(Math.floor(at / HOUR_MS) * HOUR_MS);
      const keys = [['all', '', bucket]];
      if (dims.agentId) keys.push(['agent', dims.agentId, bucket]);
      if (dims.teamId) keys.push(['team', dims.teamId, bucket]);
      keys.push(['number', dims.businessNumberId, bucket]);
      if (dims.workflowVersionId) keys.push(['version', dims.workflowVersionId, bucket]);
      for (const tag of new Set(dims.tags)) keys.push(['tag', tag, bucket]);
      return keys;
    }

    return {
      add(at: number, dims: FactDimensions, deltas: Partial<Record<Measure, number>>) {
        // Resolved once per fact, not once per row it counts in (a fact counts in four or more).
        const columns: [index: number, delta: number][] = [];
        for (const [measure, delta] of Object.entries(deltas))
          columns.push([MEASURE_INDEX.get(measure as Measure) as number, delta ?? 0]);
        for (const key of keysOf(at, dims)) {
          const id = key.join('\u0001');
          let row = hourly.get(id);
          if (!row) {
            row = { key, values: MEASURES.map(() => 0) };
            hourly.set(id, row);
          }
          for (const [index, delta] of columns) row.values[index] = (row.values[index] ?? 0) + delta;
        }
      },
      escalate(at: number, dims: FactDimensions, reason: string) {
        for (const key of keysOf(at, dims)) {
          const id = [...key, reason].join('\u0001');
          const row = escalations.get(id) ?? { key: [...key, reason], count: 0 };
          row.count += 1;
          escalations.set(id, row);
        }
      },
      /** Call inside the transaction that records the facts (or advances the high-water mark). */
      flush() {
        for (const { key, values } of hourly.values())
          upsertHourly.run(key[0], key[1], Number(key[2]), ...values);
        for (const { key, count } of escalations.values())
          upsertEscalation.run(key[0], key[1], Number(key[2]), key[3], count);
        hourly.clear();
        escalations.clear();
      },
    };
  };
}
export type RollupBatch = ReturnType<ReturnType<typeof createRollupWriter>>;
