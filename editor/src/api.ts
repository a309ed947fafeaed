import type { Assignment, CustomerMessageKind, CustomerPost, WorkflowVersion } from '@switchboard/shared';

export type WorkflowStatus = 'draft' | 'published' | 'archived';

export type WorkflowSummary = {
  id: string;
  name: string;
  status: WorkflowStatus;
  publishedVersion: WorkflowVersion | null;
};

export type AgentStatus = 'online' | 'away' | 'offline';

export type AgentSummary = {
  id: string;
  name: string;
  email: string;
  status: AgentStatus;
  role: 'agent' | 'manager' | 'admin';
  timeZone: string;
  capacity: number;
  skills: Array<{ skill: string; level: number }>;
  languages: string[];
  shifts: Array<{ day: number; start: string; end: string }>;
  holidays: string[];
  lastActiveAt: number | null;
  active: boolean;
  teamIds: string[];
};

/** Carries the runtime's error code and field so callers can do more than print the message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; field?: unknown } };

async function toApiError(response: Response): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  // A proxy or crash page may answer with HTML, so the JSON error shape is only a hope.
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  const error = body?.error;
  const message = typeof error?.message === 'string' && error.message ? error.message : fallback;
  return new ApiError(
    message,
    response.status,
    typeof error?.code === 'string' ? error.code : null,
    typeof error?.field === 'string' ? error.field : null,
  );
}

/** Heard by the session store: any 401 means the session ended (expired, signed out elsewhere). */
export const SIGNED_OUT_EVENT = 'switchboard:signed-out';

/** The session's CSRF token, which every mutating request echoes in `x-csrf-token` (double submit). */
export function csrfToken(): string {
  const match = /(?:^|;\s*)sb_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1] ?? '') : '';
}

async function checked(response: Response): Promise<Response> {
  if (response.ok) return response;
  if (response.status === 401) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  throw await toApiError(response);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await checked(
    await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null }),
  );
  return (await response.json()) as T;
}

/**
 * A change through the API: JSON in, JSON (or nothing) out. The session cookie goes along by
 * itself; the CSRF token is copied from its cookie into the header the runtime checks.
 */
export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await checked(
    await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        'x-csrf-token': csrfToken(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    }),
  );
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export async function fetchWorkflows(signal?: AbortSignal): Promise<WorkflowSummary[]> {
  const body = await getJson<{ workflows: WorkflowSummary[] }>('/api/workflows', signal);
  return body.workflows;
}

export async function fetchAgents(signal?: AbortSignal): Promise<AgentSummary[]> {
  const body = await getJson<{ agents: AgentSummary[] }>('/api/agents', signal);
  return body.agents;
}

export async function fetchAssignments(agentId: string, signal?: AbortSignal): Promise<Assignment[]> {
  const body = await getJson<{ assignments: Assignment[] }>(
    `/api/agents/${encodeURIComponent(agentId)}/assignments`,
    signal,
  );
  return body.assignments;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export type SimulatorState = {
  enabled: boolean;
  kinds: CustomerMessageKind[];
  businessNumbers: Array<{ id: string; displayPhoneNumber: string | null }>;
};

export type CustomerMessageSent = {
  messageId: string;
  phoneNumberId: string;
  webhook: { status: number; reply: unknown };
};

export function fetchSimulator(signal?: AbortSignal): Promise<SimulatorState> {
  return getJson<SimulatorState>('/api/simulator', signal);
}

/** Posts as a customer through the runtime, which signs the webhook and feeds it to itself. */
export function sendAsCustomer(post: CustomerPost): Promise<CustomerMessageSent> {
  return sendJson<CustomerMessageSent>('POST', '/api/simulator/customer-messages', post);
}

/** POSTs JSON; the reply's JSON on success, an ApiError with the runtime's code and field otherwise. */
export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}
