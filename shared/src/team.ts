import { z } from 'zod';
import { timeZoneSchema } from './timeZone';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24-hour)');

export const agentStatusSchema = z.enum(['online', 'away', 'offline']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const skillLevelSchema = z.object({
  skill: z.string().trim().min(1).max(64),
  level: z.number().int().min(1).max(5),
});

/** One weekly shift in the agent's time zone; an end at or before the start runs past midnight. */
export const shiftSchema = z.object({
  day: z.number().int().min(0).max(6),
  start: clockTime,
  end: clockTime,
});

/** What a manager edits about an agent (identity and role are the admin's, under /api/users). */
export const agentProfileChangeSchema = z
  .object({
    skills: z.array(skillLevelSchema).max(50),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a BCP 47 code such as pt-BR'))
      .max(20),
    timeZone: timeZoneSchema,
    shifts: z.array(shiftSchema).max(50),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')).max(366),
    capacity: z.number().int().min(0).max(1000),
    teamIds: z.array(z.string().min(1)).max(50),
  })
  .partial();
export type AgentProfileChange = z.infer<typeof agentProfileChangeSchema>;

export const agentStatusChangeSchema = z.object({ status: agentStatusSchema });

export const teamInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  leadAgentId: z.string().min(1).nullable().default(null),
  memberIds: z.array(z.string().min(1)).max(500).default([]),
});
export type TeamInput = z.infer<typeof teamInputSchema>;
export const teamChangeSchema = teamInputSchema.partial();

export const businessNumberChangeSchema = z.object({
  displayPhoneNumber: z.string().trim().max(32).nullable().optional(),
  teamId: z.string().min(1).nullable(),
  workflowId: z.string().min(1).nullable().optional(),
});

export const notificationPreferencesSchema = z.object({
  /** Only conversations assigned to me and notes that mention me; team and role broadcasts are skipped. */
  onlyMineAndMentions: z.boolean(),
  /** In my time zone; in-app still arrives silently, e-mail waits for the digest. */
  quietHours: z.object({ start: clockTime, end: clockTime }).nullable(),
  /** Hold e-mail and send one digest of pending items at this interval; null: e-mail at once. */
  digestEveryMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .nullable(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;
