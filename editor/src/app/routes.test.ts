import { describe, expect, it } from 'vitest';
import { matchRoute, replayRunPath, versionDiffPath, versionPath } from './routes';

describe('admin page addresses', () => {
  it('round-trip the version, diff, execution and replay paths the pages link to', () => {
    expect(matchRoute(versionPath('wf_default_routing', 3))).toEqual({
      name: 'version',
      workflowId: 'wf_default_routing',
      number: 3,
    });
    expect(matchRoute(versionDiffPath('wf', 1, 2))).toEqual({
      name: 'versionDiff',
      workflowId: 'wf',
      from: 1,
      to: 2,
    });
    expect(matchRoute('/executions/conv-1%3A5')).toEqual({ name: 'execution', executionId: 'conv-1:5' });
    expect(matchRoute(replayRunPath('run-1'))).toEqual({ name: 'replayRun', runId: 'run-1' });
    expect(matchRoute('/replay')).toEqual({ name: 'replay', workflowId: null });
    expect(matchRoute('/analytics/sla')).toEqual({ name: 'slaPolicies' });
    expect(matchRoute('/analytics/sla/x').name).toBe('notFound');
  });

  it('a version that is not a positive number, or a stray "%", is not found', () => {
    expect(matchRoute('/versions/wf/0').name).toBe('notFound');
    expect(matchRoute('/versions/wf/diff/1/latest').name).toBe('notFound');
    expect(matchRoute('/agents/%E0%A4%A').name).toBe('notFound');
  });
});
