import { afterEach, describe, expect, it, vi } from 'vitest';
import { preloadDraft, takeDraft } from './draftApi';

const draft = { workflowId: 'wf_1', name: 'Support', graph: { nodes: [], edges: [] }, revision: 3 };

function answers(...statuses: number[]) {
  const fetch = vi.fn(async () => {
    const status = statuses.shift() ?? 200;
    return new Response(
      JSON.stringify(
        status === 200 ? draft : { error: { code: 'unauthenticated', message: 'sign in first' } },
      ),
      {
        status,
        headers: { 'content-type': 'application/json' },
      },
    );
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('a draft preloaded before the editor opens', () => {
  it('is taken once: the editor gets it without a second request, a later visit asks again', async () => {
    const fetch = answers(200, 200);
    preloadDraft('wf_1');
    expect(await takeDraft('wf_1')).toEqual(draft);
    expect(fetch).toHaveBeenCalledTimes(1);
    await takeDraft('wf_1');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('refused (preloaded before signing in) is asked for again when the editor takes it', async () => {
    const fetch = answers(401, 200);
    preloadDraft('wf_2');
    expect(await takeDraft('wf_2')).toEqual(draft);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
