import { assignStrategySchema } from '@switchboard/shared';
import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const assignConfigSchema = z.object({
  strategy: assignStrategySchema.default('round_robin'),
  teamId: z.string().min(1, 'choose a team'),
});
export type AssignConfig = z.infer<typeof assignConfigSchema>;

export const assignAction = defineNodeType<AssignConfig>({
  type: 'assign',
  typeVersion: 1,
  category: 'action',
  label: 'Assign',
  description: 'Gives the conversation an owner, chosen by a strategy, and records why.',
  icon: '🎯',
  color: '#16a34a',
  configSchema: assignConfigSchema,
  outputs: () => [
    { id: 'assigned', label: 'assigned' },
    { id: 'unassigned', label: 'no agent available' },
  ],
  summary: (config) => `${config.strategy.replace('_', ' ')} · ${config.teamId}`,
  // Which agent is free and next in the rotation are shared, changing facts: the assign activity
  // decides inside one database transaction, and the result comes back through `resume`.
  run: ({ config, execution }) => ({
    kind: 'await',
    effect: { type: 'assign', strategy: config.strategy, teamId: config.teamId, path: [...execution.path] },
  }),
  resume: (_context, result) => {
    if (result.type !== 'assign') return { kind: 'end' };
    return { kind: 'continue', output: result.agentId ? 'assigned' : 'unassigned' };
  },
});
