import { defineNodeType, type NodeContext, type NodeOutcome } from '../../nodeType';
import { type AssignConfig, assignConfigSchema, fallbackOf } from './schema';

export { type AssignConfig, assignConfigSchema } from './schema';

type Context = NodeContext<AssignConfig>;

const words = (identifier: string) => identifier.replace(/_/g, ' ');

/** The canvas line: "least loaded · team_support", "specific agent agent_ana"… */
function summarise(config: AssignConfig): string {
  if (config.strategy === 'specific_agent') return `specific agent ${config.agentId}`;
  const skills =
    config.strategy === 'skill_match'
      ? ` ${config.skills.map((need) => `${need.skill}≥${need.minLevel}`).join(', ')}`
      : '';
  const fallback = fallbackOf(config);
  const then = fallback === 'none' ? '' : ` → ${words(fallback)}`;
  const overflow = config.overflow
    ? ` · then ${config.overflow.teamId} after ${config.overflow.afterMinutes} min`
    : '';
  return `${words(config.strategy)}${skills}${then} · ${config.teamId}${overflow}`;
}

// Which agent is free and next in the rotation are shared, changing facts: the assign activity
// decides inside one database transaction, and the result comes back through `resume`.
function askForAgent({ config, execution }: Context, teamId: string | null): NodeOutcome {
  return {
    kind: 'await',
    effect: {
      type: 'assign',
      strategy: config.strategy,
      teamId,
      agentId: config.agentId ?? null,
      skills: config.skills,
      fallback: fallbackOf(config),
      onlyOnline: config.onlyOnline,
      respectShifts: config.respectShifts,
      path: [...execution.path],
    },
  };
}

export const assignAction = defineNodeType<AssignConfig>({
  type: 'assign',
  typeVersion: 1,
  category: 'action',
  label: 'Assign',
  description:
    'Gives the conversation an owner, chosen by a strategy, and records why; can overflow to another team.',
  icon: '🎯',
  color: '#16a34a',
  configSchema: assignConfigSchema,
  outputs: () => [
    { id: 'assigned', label: 'assigned' },
    { id: 'unassigned', label: 'no agent available' },
  ],
  summary: summarise,
  run: (context) => askForAgent(context, context.config.teamId ?? null),
  resume: (context, result) => {
    if (result.type !== 'assign') return { kind: 'end' };
    if (result.agentId) return { kind: 'continue', output: 'assigned' };
    const { overflow } = context.config;
    // Memory marks the overflow as tried, so the overflow team's "nobody" is final.
    if (overflow && context.memory.overflowTried !== true) {
      return {
        kind: 'wait',
        until: context.now + overflow.afterMinutes * 60_000,
        memory: { overflowTried: true },
      };
    }
    return { kind: 'continue', output: 'unassigned' };
  },
  // The queue wait is over: same strategy, the overflow team's people.
  onTimer: (context) => {
    const { overflow } = context.config;
    return overflow ? askForAgent(context, overflow.teamId) : { kind: 'continue', output: 'unassigned' };
  },
});
