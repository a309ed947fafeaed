import type { EffectRequest } from '@switchboard/shared';
import { defineNodeType, type NodeContext, type NodeOutcome } from '../../nodeType';
import { answeredBy } from '../waitForAcknowledgement';
import { type EscalationLadderConfig, escalationLadderConfigSchema } from './schema';

type Context = NodeContext<EscalationLadderConfig>;

/** Memory: `stage` = index of the step whose deadline is running. */
function waitForStage(context: Context, stage: number): NodeOutcome {
  const step = context.config.steps[stage];
  if (!step) return { kind: 'continue', output: 'exhausted' };
  return { kind: 'wait', until: context.now + step.afterMinutes * 60_000, memory: { stage } };
}

function escalate(context: Context): NodeOutcome {
  const stage = Number(context.memory.stage ?? 0);
  const step = context.config.steps[stage];
  if (!step) return { kind: 'continue', output: 'exhausted' };
  const { teamId } = context.config;
  const current = context.execution.assigneeId;
  switch (step.action) {
    case 'reassign':
      return {
        kind: 'await',
        effect: {
          type: 'assign',
          strategy: 'round_robin',
          teamId,
          excludeAgentIds: current ? [current] : [],
          path: [...context.execution.path],
        },
        memory: { stage },
      };
    case 'teamLead':
      return {
        kind: 'await',
        effect: {
          type: 'assign',
          strategy: 'team_lead',
          teamId,
          onlyOnline: false,
          path: [...context.execution.path],
        },
        memory: { stage },
      };
    case 'manager': {
      const next = waitForStage(context, stage + 1);
      const page: EffectRequest = {
        type: 'notify',
        channels: ['in_app', 'email'],
        to: { kind: 'role', role: 'manager' },
        title: 'Conversation escalated to managers',
        body: `Nobody acknowledged conversation ${context.execution.trigger.conversationId} in time.`,
      };
      return next.kind === 'wait'
        ? { ...next, effects: [page] }
        : { kind: 'continue', output: 'exhausted', effects: [page] };
    }
  }
}

export const escalationLadderFlow = defineNodeType<EscalationLadderConfig>({
  type: 'flow.escalationLadder',
  typeVersion: 1,
  category: 'flow',
  label: 'Escalation ladder',
  description:
    'Until the assignee acknowledges: reassign after N minutes, then give it to the team lead, then page the managers.',
  icon: '🪜',
  color: '#dc2626',
  configSchema: escalationLadderConfigSchema,
  waits: true,
  outputs: () => [
    { id: 'acknowledged', label: 'acknowledged' },
    { id: 'exhausted', label: 'every step done' },
  ],
  summary: (config) => config.steps.map((step) => `${step.afterMinutes}m → ${step.action}`).join(', '),
  run: (context) => waitForStage(context, 0),
  onEvent: ({ config }, event) =>
    answeredBy({ waitFor: config.stopOn }, event) ? { kind: 'continue', output: 'acknowledged' } : null,
  onTimer: escalate,
  resume: (context, result) => {
    const stage = Number(context.memory.stage ?? 0);
    const next = waitForStage(context, stage + 1);
    const step = context.config.steps[stage];
    const newOwner = result.type === 'assign' ? result.agentId : null;
    if (!step?.notify || !newOwner) return next;
    const notice: EffectRequest = {
      type: 'notify',
      channels: ['in_app'],
      to: { kind: 'agents', agentIds: [newOwner] },
      title: 'Escalated to you',
      body: `Conversation ${context.execution.trigger.conversationId} was escalated to you; please acknowledge.`,
    };
    return next.kind === 'wait'
      ? { ...next, effects: [notice] }
      : { kind: 'continue', output: 'exhausted', effects: [notice] };
  },
});
