import type { CurrentUser, Role } from '@switchboard/shared';
import { ROLE_RANK } from '@switchboard/shared';
import { create } from 'zustand';
import { ApiError, errorMessage, getJson, SIGNED_OUT_EVENT, sendJson } from '../api';

type SessionState = {
  user: CurrentUser | null;
  state: 'checking' | 'signedIn' | 'signedOut';
  error: string | null;
  check: () => Promise<void>;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
};

export const useSession = create<SessionState>()((set) => ({
  user: null,
  state: 'checking',
  error: null,
  check: async () => {
    try {
      const { user } = await getJson<{ user: CurrentUser }>('/api/auth/me');
      set({ user, state: 'signedIn', error: null });
    } catch (error) {
      set({
        user: null,
        state: 'signedOut',
        error: error instanceof ApiError && error.status === 401 ? null : errorMessage(error),
      });
    }
  },
  signIn: async (email, password) => {
    try {
      const { user } = await sendJson<{ user: CurrentUser }>('POST', '/api/auth/login', { email, password });
      set({ user, state: 'signedIn', error: null });
    } catch (error) {
      set({ state: 'signedOut', error: errorMessage(error) });
    }
  },
  signOut: async () => {
    await sendJson('POST', '/api/auth/logout').catch(() => undefined);
    set({ user: null, state: 'signedOut', error: null });
  },
}));

window.addEventListener(SIGNED_OUT_EVENT, () => {
  if (useSession.getState().state === 'signedIn') useSession.setState({ user: null, state: 'signedOut' });
});

export function hasRole(user: CurrentUser | null, role: Role): boolean {
  return user !== null && ROLE_RANK[user.role] >= ROLE_RANK[role];
}
