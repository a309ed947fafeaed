import { z } from 'zod';

export const escalationStepSchema = z.object({
  afterMinutes: z
    .number()
    .positive()
    .max(60 * 24 * 7),
  /**
   * reassign: round-robin to someone else in the team; teamLead: the team's lead;
   * manager: notify every manager (the conversation stays where it is).
   */
  action: z.enum(['reassign', 'teamLead', 'manager']),
  /** Also send an in-app notification to whoever receives the conversation at this step. */
  notify: z.boolean().default(true),
});

export const escalationLadderConfigSchema = z.object({
  teamId: z.string().min(1, 'choose a team'),
  /** What ends the escalation: an acknowledgement, a reply to the customer, or either. */
  stopOn: z.enum(['acknowledgement', 'reply', 'either']).default('either'),
  steps: z
    .array(escalationStepSchema)
    .min(1, 'add at least one step')
    .max(5)
    .default([
      { afterMinutes: 15, action: 'reassign', notify: true },
      { afterMinutes: 15, action: 'teamLead', notify: true },
      { afterMinutes: 30, action: 'manager', notify: true },
    ]),
});
export type EscalationLadderConfig = z.infer<typeof escalationLadderConfigSchema>;
