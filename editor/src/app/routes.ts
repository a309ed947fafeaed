export type Route =
  | { name: 'workflows' }
  | { name: 'workflowEditor'; workflowId: string }
  | { name: 'agents' }
  | { name: 'simulator' }
  | { name: 'analytics' }
  | { name: 'slaPolicies' }
  | { name: 'agent'; agentId: string }
  | { name: 'versions'; workflowId: string | null }
  | { name: 'version'; workflowId: string; number: number }
  | { name: 'versionDiff'; workflowId: string; from: number; to: number }
  | { name: 'executions' }
  | { name: 'execution'; executionId: string }
  | { name: 'replay'; workflowId: string | null }
  | { name: 'replayRun'; runId: string }
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'team' }
  | { name: 'users' }
  | { name: 'notFound' };

const notFound: Route = { name: 'notFound' };

export function matchRoute(pathname: string): Route {
  const raw = pathname.split('/').filter(Boolean);
  const parts = raw.map(safeDecode);
  if (parts.some((part) => part === null)) return notFound;
  const [first, second, third, fourth, fifth, ...rest] = parts as string[];
  if (first === undefined) return { name: 'workflows' };
  if (first === 'workflows' && second === undefined) return { name: 'workflows' };
  if (first === 'team' && second === undefined) return { name: 'team' };
  if (first === 'users' && second === undefined) return { name: 'users' };
  if (first === 'inbox' && second === undefined) return { name: 'inbox', conversationId: null };
  if (first === 'inbox' && second !== undefined && third === undefined)
    return { name: 'inbox', conversationId: second };
  if (first === 'workflows' && second !== undefined && third === 'edit' && fourth === undefined)
    return { name: 'workflowEditor', workflowId: second };
  if (first === 'agents' && second === undefined) return { name: 'agents' };
  if (first === 'analytics' && second === undefined) return { name: 'analytics' };
  if (first === 'analytics' && second === 'sla' && third === undefined) return { name: 'slaPolicies' };
  if (first === 'simulator' && second === undefined) return { name: 'simulator' };
  if (first === 'agents' && second !== undefined && third === undefined)
    return { name: 'agent', agentId: second };
  if (first === 'versions') {
    if (second === undefined) return { name: 'versions', workflowId: null };
    if (third === undefined) return { name: 'versions', workflowId: second };
    if (third === 'diff' && fourth !== undefined && fifth !== undefined && rest.length === 0) {
      const from = versionNumber(fourth);
      const to = versionNumber(fifth);
      return from && to ? { name: 'versionDiff', workflowId: second, from, to } : notFound;
    }
    const number = versionNumber(third);
    if (number && fourth === undefined) return { name: 'version', workflowId: second, number };
  }
  if (first === 'executions' && second === undefined) return { name: 'executions' };
  if (first === 'executions' && second !== undefined && third === undefined)
    return { name: 'execution', executionId: second };
  if (first === 'replay' && second === undefined) return { name: 'replay', workflowId: null };
  if (first === 'replay' && second === 'runs' && third !== undefined && fourth === undefined)
    return { name: 'replayRun', runId: third };
  if (first === 'replay' && second !== undefined && third === undefined)
    return { name: 'replay', workflowId: second };
  return notFound;
}

export function workflowEditorPath(workflowId: string): string {
  return `/workflows/${encodeURIComponent(workflowId)}/edit`;
}

export function agentPath(agentId: string): string {
  return `/agents/${encodeURIComponent(agentId)}`;
}

export const versionsPath = (workflowId: string) => `/versions/${encodeURIComponent(workflowId)}`;
export const versionPath = (workflowId: string, number: number) => `${versionsPath(workflowId)}/${number}`;
export const versionDiffPath = (workflowId: string, from: number, to: number) =>
  `${versionsPath(workflowId)}/diff/${from}/${to}`;
export const executionPath = (executionId: string) => `/executions/${encodeURIComponent(executionId)}`;
export const replayPath = (workflowId: string) => `/replay/${encodeURIComponent(workflowId)}`;
export const replayRunPath = (runId: string) => `/replay/runs/${encodeURIComponent(runId)}`;

function versionNumber(segment: string): number | null {
  const number = Number(segment);
  return Number.isInteger(number) && number >= 1 ? number : null;
}

export function conversationPath(conversationId: string): string {
  return `/inbox/${encodeURIComponent(conversationId)}`;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A hand-typed URL with a stray "%" should land on "not found", not crash the app.
    return null;
  }
}
