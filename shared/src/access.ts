import { z } from 'zod';

/** Roles in rising order of power: each may do everything the one before it may. */
export const roleSchema = z.enum(['agent', 'manager', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const ROLE_RANK: Record<Role, number> = { agent: 0, manager: 1, admin: 2 };

/**
 * What a route requires. `public`: nobody needs to sign in; `signature`: the route checks its own
 * signature (WhatsApp webhooks); a role: signed in with at least that role.
 */
export const routeAccessSchema = z.union([z.enum(['public', 'signature']), roleSchema]);
export type RouteAccess = z.infer<typeof routeAccessSchema>;

export const loginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The signed-in person as the app sees them (`GET /api/auth/me`). */
export const currentUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  teamIds: z.array(z.string()),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

export const PASSWORD_MIN_LENGTH = 10;

export const newUserSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9_]{2,64}$/, 'lowercase letters, digits and _ only')
    .optional(),
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().email().max(320),
  role: roleSchema,
  password: z.string().min(PASSWORD_MIN_LENGTH).max(1024),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const userChangeSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: roleSchema,
    password: z.string().min(PASSWORD_MIN_LENGTH).max(1024),
    active: z.boolean(),
  })
  .partial();
export type UserChange = z.infer<typeof userChangeSchema>;

export const newApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** The person the token acts as; its role is theirs. */
  agentId: z.string().min(1),
});
export type NewApiToken = z.infer<typeof newApiTokenSchema>;
