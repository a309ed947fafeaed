import type { AssignEffect } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { createAssignConversation } from '../../src/assignment/assignConversation';
import { isHoliday } from '../../src/assignment/shifts';
import { aConversation } from '../support/conversationBuilder';
import { demoDatabase } from '../support/testDatabase';

describe('holidays', () => {
  it('are days on the agent’s own calendar', () => {
    // 23:30 UTC on 24 Dec is already 25 Dec in Dubai, still 24 Dec in São Paulo.
    const lateOn24th = Date.UTC(2026, 11, 24, 23, 30);
    expect(isHoliday(['2026-12-25'], 'Asia/Dubai', lateOn24th)).toBe(true);
    expect(isHoliday(['2026-12-25'], 'America/Sao_Paulo', lateOn24th)).toBe(false);
  });

  it('an agent on holiday is skipped as off shift when the assignment respects shifts', () => {
    const { db } = demoDatabase();
    db.$client.prepare(`UPDATE agents SET holidays = '["2026-12-25"]' WHERE id = 'agent_ana'`).run();
    const effect: AssignEffect = {
      type: 'assign',
      key: 'exec:assign:1',
      conversationId: aConversation(db, { assignee: null }),
      executionId: 'exec',
      workflowVersionId: 'v1',
      nodeId: 'assign',
      strategy: 'round_robin',
      teamId: 'team_support',
      agentId: null,
      skills: [],
      fallback: 'none',
      onlyOnline: true,
      respectShifts: true,
      excludeAgentIds: [],
      path: ['assign'],
    };
    const decision = createAssignConversation(db)(effect, Date.UTC(2026, 11, 25, 12, 0));
    const ana = decision.explanation.candidates.find((candidate) => candidate.agentId === 'agent_ana');
    expect(ana?.skipReason).toBe('off_shift');
    // Round-robin would have started with Ana.
    expect(decision.agentId).toBe('agent_ben');
  });
});
