export type Route =
  | { name: 'workflows' }
  | { name: 'agents' }
  | { name: 'agent'; agentId: string }
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'team' }
  | { name: 'users' }
  | { name: 'notFound' };

export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const [first, second, ...rest] = parts;
  if (first === undefined) return { name: 'workflows' };
  if (first === 'workflows' && second === undefined) return { name: 'workflows' };
  if (first === 'team' && second === undefined) return { name: 'team' };
  if (first === 'users' && second === undefined) return { name: 'users' };
  if (first === 'inbox' && second === undefined) return { name: 'inbox', conversationId: null };
  if (first === 'inbox' && second !== undefined && rest.length === 0) {
    const conversationId = safeDecode(second);
    return conversationId === null ? { name: 'notFound' } : { name: 'inbox', conversationId };
  }
  if (first === 'agents' && second === undefined) return { name: 'agents' };
  if (first === 'agents' && second !== undefined && rest.length === 0) {
    const agentId = safeDecode(second);
    return agentId === null ? { name: 'notFound' } : { name: 'agent', agentId };
  }
  return { name: 'notFound' };
}

export function agentPath(agentId: string): string {
  return `/agents/${encodeURIComponent(agentId)}`;
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
