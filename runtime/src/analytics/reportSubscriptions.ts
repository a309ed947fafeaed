import { randomUUID } from 'node:crypto';
import { timeZoneSchema } from '@switchboard/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';

const optionalId = z.string().trim().min(1).max(200).optional();

export const reportSubscriptionInputSchema = z.object({
  email: z.email({ error: 'give an e-mail address' }),
  period: z.enum(['weekly', 'monthly'], { error: 'period is weekly or monthly' }),
  timeZone: timeZoneSchema.default('UTC'),
  filters: z
    .object({
      agentId: optionalId,
      teamId: optionalId,
      tag: optionalId,
      businessNumberId: optionalId,
      workflowVersionId: optionalId,
    })
    .default({}),
});
export type ReportSubscriptionInput = z.infer<typeof reportSubscriptionInputSchema>;
export type ReportSubscription = ReportSubscriptionInput & { id: string; lastPeriod: string | null };

interface Row {
  id: string;
  email: string;
  period: 'weekly' | 'monthly';
  time_zone: string;
  filters: string;
  last_period: string | null;
}

export function createReportSubscriptions(db: AppDatabase) {
  const sqlite = db.$client;
  const all = sqlite.prepare<[], Row>(`SELECT * FROM analytics_reports ORDER BY created_at, id`);
  const insert = sqlite.prepare(
    `INSERT INTO analytics_reports (id, email, period, time_zone, filters, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const remove = sqlite.prepare(`DELETE FROM analytics_reports WHERE id = ?`);
  const markSent = sqlite.prepare(`UPDATE analytics_reports SET last_period = ? WHERE id = ?`);
  return {
    list: (): ReportSubscription[] =>
      all.all().map((row) => ({
        id: row.id,
        email: row.email,
        period: row.period,
        timeZone: row.time_zone,
        filters: JSON.parse(row.filters),
        lastPeriod: row.last_period,
      })),
    // Writes wait for the lock with the event loop free (see writeWhenFree).
    async create(input: ReportSubscriptionInput, now: number): Promise<ReportSubscription> {
      const id = `report_${randomUUID()}`;
      await writeWhenFree(sqlite, () =>
        insert.run(id, input.email, input.period, input.timeZone, JSON.stringify(input.filters), now),
      );
      return { id, ...input, lastPeriod: null };
    },
    remove: async (id: string): Promise<boolean> =>
      (await writeWhenFree(sqlite, () => remove.run(id))).changes > 0,
    markSent: (id: string, period: string) => writeWhenFree(sqlite, () => markSent.run(period, id)),
  };
}
export type ReportSubscriptions = ReturnType<typeof createReportSubscriptions>;
