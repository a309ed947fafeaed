import { ROLE_RANK, type Role, type RouteAccess } from '@switchboard/shared';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Changing workflows or SLA policies, stopping or retrying executions, shadow replays and re-drives is
 * managers' work.
 */
const MANAGER_MUTATIONS = ['/api/workflows', '/api/executions', '/api/replays', '/api/redrive', '/api/sla/'];

export function isMutation(method: string): boolean {
  return MUTATIONS.has(method);
}

/**
 * The default a route gets when it does not declare `config.access`: reading the API needs any
 * signed-in person, changing workflows a manager, people and tokens an admin. Webhooks prove
 * themselves with Meta's signature; pages and assets are public (the page asks for a sign-in).
 */
export function defaultAccess(method: string, path: string): RouteAccess {
  if (path.startsWith('/webhooks/')) return 'signature';
  if (path === '/ws') return 'agent';
  if (!path.startsWith('/api/')) return 'public';
  if (path.startsWith('/api/users') || path.startsWith('/api/tokens') || path.startsWith('/api/audit'))
    return 'admin';
  if (isMutation(method) && MANAGER_MUTATIONS.some((prefix) => path.startsWith(prefix))) return 'manager';
  return 'agent';
}

export function roleAllows(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}
