import { create } from 'zustand';
import { api, ApiError, configureClient } from '../api/client';
import { useRateLimit } from './rateLimit';
import { currentLocation, useRouter } from './router';

export interface AdminUser {
  id: number;
  email: string;
  role: string;
  tier?: string;
}

interface SessionView {
  user: AdminUser;
  csrfToken: string;
}

type Status = 'checking' | 'signedOut' | 'signedIn';

interface SessionState {
  status: Status;
  user: AdminUser | null;
  csrfToken: string | null;
  /** Why the operator is on the login screen (session expired), shown above the form. */
  notice: string | null;
  restore: () => Promise<void>;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  expired: () => void;
}

export const LOGIN_PATH = '/login';

/** Where to go after login: the `next` parameter when it is a local path, else the overview. */
export function redirectTarget(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(LOGIN_PATH) ? next : '/';
}

export function loginPathFor(location: string): string {
  return location === '/' || location.startsWith(LOGIN_PATH)
    ? LOGIN_PATH
    : `${LOGIN_PATH}?next=${encodeURIComponent(location)}`;
}

export const useSession = create<SessionState>((set, get) => ({
  status: 'checking',
  user: null,
  csrfToken: null,
  notice: null,
  restore: async () => {
    try {
      const me = await api<SessionView>('/me');
      set({ status: 'signedIn', user: me.data.user, csrfToken: me.data.csrfToken });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) set({ status: 'signedOut', user: null, csrfToken: null });
      else throw e;
    }
  },
  login: async (email, password) => {
    const res = await api<SessionView>('/login', { method: 'POST', body: { email, password } });
    set({ status: 'signedIn', user: res.data.user, csrfToken: res.data.csrfToken, notice: null });
    const router = useRouter.getState();
    router.navigate(redirectTarget(router.search), { replace: true });
  },
  logout: async () => {
    try {
      await api('/logout', { method: 'POST' });
    } finally {
      set({ status: 'signedOut', user: null, csrfToken: null, notice: null });
      useRateLimit.getState().clear();
      useRouter.getState().navigate(LOGIN_PATH, { replace: true });
    }
  },
  expired: () => {
    const wasSignedIn = get().status === 'signedIn';
    set({
      status: 'signedOut',
      user: null,
      csrfToken: null,
      notice: wasSignedIn ? 'Your session has ended. Sign in again to continue.' : null,
    });
    const location = currentLocation();
    if (!location.startsWith(LOGIN_PATH)) useRouter.getState().navigate(loginPathFor(location), { replace: true });
  },
}));

configureClient({
  csrfToken: () => useSession.getState().csrfToken,
  onUnauthorized: () => useSession.getState().expired(),
});
