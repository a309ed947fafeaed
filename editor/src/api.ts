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
  timeZone: string;
  capacity: number;
  skills: Array<{ skill: string; level: number }>;
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

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  if (!response.ok) throw await toApiError(response);
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
export async function sendAsCustomer(post: CustomerPost): Promise<CustomerMessageSent> {
  const response = await fetch('/api/simulator/customer-messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(post),
  });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as CustomerMessageSent;
}
