export type Route =
  | { name: 'workflows' }
  | { name: 'agents' }
  | { name: 'analytics' }
  | { name: 'agent'; agentId: string }
  | { name: 'notFound' };

export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const [first, second, ...rest] = parts;
  if (first === undefined) return { name: 'workflows' };
  if (first === 'workflows' && second === undefined) return { name: 'workflows' };
  if (first === 'agents' && second === undefined) return { name: 'agents' };
  if (first === 'analytics' && second === undefined) return { name: 'analytics' };
  if (first === 'agents' && second !== undefined && rest.length === 0) {
    const agentId = safeDecode(second);
    return agentId === null ? { name: 'notFound' } : { name: 'agent', agentId };
  }
  return { name: 'notFound' };
}

export function agentPath(agentId: string): string {
  return `/agents/${encodeURIComponent(agentId)}`;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A hand-typed URL with a stray "%" should land on "not found", not crash the app.
    return null;
  }
}
