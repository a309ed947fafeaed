import type { GraphProblem } from '@switchboard/nodes';
import type {
  AssignEffect,
  AssignResult,
  RoutedEvent,
  RunningExecutionsPolicy,
  WorkflowGraph,
  WorkflowVersion,
} from '@switchboard/shared';
import { ApiError, csrfToken, getJson } from '../api';

/** The draft a manager edits; `revision` goes back with each save so a stale tab gets a 409. */
export type WorkflowDraft = {
  workflowId: string;
  name: string;
  graph: WorkflowGraph;
  revision: number;
  lastEditedBy: string | null;
  lastEditedAt: number | null;
};

export type WorkflowOverview = {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'archived';
  publishedVersionNumber: number | null;
  draftRevision: number;
  lastEditedBy: string | null;
  lastEditedAt: number | null;
  executionCount: number;
};

export type EditorLookups = {
  agents: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  tags: string[];
  skills: string[];
  languages: string[];
  businessNumbers: Array<{ id: string; displayPhoneNumber: string | null }>;
  templates: string[];
  workflows: Array<{ id: string; name: string }>;
};

export type RecordedEvent = { messageId: string; receivedAt: number; label: string; event: RoutedEvent };

/** Thrown for a 422 on publish: the server's validation, in the same shape the editor shows. */
export class PublishRefused extends ApiError {
  constructor(
    message: string,
    readonly problems: GraphProblem[],
  ) {
    super(message, 422, 'invalid_graph', 'graph');
  }
}

async function sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => null)) as
    | (T & { error?: { code?: string; message?: string; field?: string }; problems?: GraphProblem[] })
    | null;
  if (response.ok) return payload as T;
  const error = payload?.error;
  const message = error?.message ?? `${response.status} ${response.statusText}`;
  if (response.status === 422 && payload?.problems) throw new PublishRefused(message, payload.problems);
  throw new ApiError(message, response.status, error?.code ?? null, error?.field ?? null);
}

const base = (workflowId: string) => `/api/workflows/${encodeURIComponent(workflowId)}`;

export const draftApi = {
  overview: async (): Promise<WorkflowOverview[]> =>
    (await getJson<{ workflows: WorkflowOverview[] }>('/api/workflow-overview')).workflows,
  load: (workflowId: string) => getJson<WorkflowDraft>(`${base(workflowId)}/draft`),
  save: (workflowId: string, graph: WorkflowGraph, revision: number, editedBy: string) =>
    sendJson<WorkflowDraft>('PUT', `${base(workflowId)}/draft`, { graph, revision, editedBy }),
  publish: (
    workflowId: string,
    graph: WorkflowGraph,
    note: string,
    publishedBy: string,
    runningExecutions: RunningExecutionsPolicy = 'stay',
  ) =>
    sendJson<{ version: WorkflowVersion; problems: GraphProblem[] }>('POST', `${base(workflowId)}/publish`, {
      graph,
      note,
      publishedBy,
      runningExecutions,
    }),
  create: (name: string, editedBy: string) =>
    sendJson<WorkflowDraft>('POST', '/api/workflows', { name, editedBy }),
  duplicate: (workflowId: string, editedBy: string) =>
    sendJson<WorkflowDraft>('POST', `${base(workflowId)}/duplicate`, { editedBy }),
  archive: (workflowId: string) => sendJson<{ archived: true }>('POST', `${base(workflowId)}/archive`, {}),
  lookups: () => getJson<EditorLookups>('/api/editor/lookups'),
  recordedEvents: async (): Promise<RecordedEvent[]> =>
    (await getJson<{ events: RecordedEvent[] }>('/api/editor/recorded-events')).events,
};

/** The runtime decides with live agents and rotation, reading only: nothing is assigned or stored. */
export const dryRunAssign = (effect: AssignEffect) =>
  sendJson<AssignResult>('POST', '/api/editor/dry-run/assign', { effect });

const preloaded = new Map<string, { loading: Promise<WorkflowDraft>; at: number }>();
/** A preload nobody took soon is not trusted later: someone may have saved since. */
const PRELOAD_FRESH_MS = 5000;

/**
 * Starts loading a draft while the editor's code is still on its way (the app calls this on
 * routing), so the two downloads overlap instead of following each other.
 */
export function preloadDraft(workflowId: string): void {
  const existing = preloaded.get(workflowId);
  if (existing && Date.now() - existing.at < PRELOAD_FRESH_MS) return;
  const loading = draftApi.load(workflowId);
  // Whoever takes it handles the error; an unclaimed failure must not be reported as unhandled.
  loading.catch(() => undefined);
  preloaded.set(workflowId, { loading, at: Date.now() });
}

/**
 * The preloaded draft if there is one (used once: a later visit loads afresh), else a new request.
 * A preload that failed is asked again: one made before signing in was refused.
 */
export function takeDraft(workflowId: string): Promise<WorkflowDraft> {
  const entry = preloaded.get(workflowId);
  preloaded.delete(workflowId);
  return entry && Date.now() - entry.at < PRELOAD_FRESH_MS
    ? entry.loading.catch(() => draftApi.load(workflowId))
    : draftApi.load(workflowId);
}
