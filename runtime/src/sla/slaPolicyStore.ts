import { randomUUID } from 'node:crypto';
import { type SlaPolicy, type SlaPolicyInput, slaPolicySchema } from '@switchboard/nodes';
import type { AppDatabase } from '../db/database';

interface PolicyRow {
  id: string;
  name: string;
  match: string;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  business_hours: string | null;
  warn_at_percent: number;
  enabled: number;
}

export function createSlaPolicyStore(db: AppDatabase) {
  const sqlite = db.$client;
  const all = sqlite.prepare<[], PolicyRow>(`SELECT * FROM sla_policies ORDER BY id`);
  const one = sqlite.prepare<[string], PolicyRow>(`SELECT * FROM sla_policies WHERE id = ?`);
  const upsert = sqlite.prepare(
    `INSERT INTO sla_policies (id, name, match, first_response_minutes, next_response_minutes, resolution_minutes,
                               business_hours, warn_at_percent, enabled, created_at, updated_at)
     VALUES (@id, @name, @match, @firstResponseMinutes, @nextResponseMinutes, @resolutionMinutes,
             @businessHours, @warnAtPercent, @enabled, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, match = excluded.match,
       first_response_minutes = excluded.first_response_minutes, next_response_minutes = excluded.next_response_minutes,
       resolution_minutes = excluded.resolution_minutes, business_hours = excluded.business_hours,
       warn_at_percent = excluded.warn_at_percent, enabled = excluded.enabled, updated_at = excluded.updated_at`,
  );
  const remove = sqlite.prepare(`DELETE FROM sla_policies WHERE id = ?`);

  function fromRow(row: PolicyRow): SlaPolicy {
    return slaPolicySchema.parse({
      id: row.id,
      name: row.name,
      match: JSON.parse(row.match),
      firstResponseMinutes: row.first_response_minutes,
      nextResponseMinutes: row.next_response_minutes,
      resolutionMinutes: row.resolution_minutes,
      businessHours: row.business_hours ? JSON.parse(row.business_hours) : null,
      warnAtPercent: row.warn_at_percent,
      enabled: row.enabled === 1,
    });
  }

  function save(id: string, input: SlaPolicyInput, now: number): SlaPolicy {
    upsert.run({
      id,
      name: input.name,
      match: JSON.stringify(input.match),
      firstResponseMinutes: input.firstResponseMinutes,
      nextResponseMinutes: input.nextResponseMinutes,
      resolutionMinutes: input.resolutionMinutes,
      businessHours: input.businessHours ? JSON.stringify(input.businessHours) : null,
      warnAtPercent: input.warnAtPercent,
      enabled: input.enabled ? 1 : 0,
      now,
    });
    return { id, ...input };
  }

  return {
    list: (): SlaPolicy[] => all.all().map(fromRow),
    get: (id: string): SlaPolicy | null => {
      const row = one.get(id);
      return row ? fromRow(row) : null;
    },
    create: (input: SlaPolicyInput, now: number) => save(`sla_${randomUUID()}`, input, now),
    update: save,
    remove: (id: string): boolean => remove.run(id).changes > 0,
  };
}
export type SlaPolicyStore = ReturnType<typeof createSlaPolicyStore>;
