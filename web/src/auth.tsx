import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from './api/client';
import { queryClient } from './api/query';
import type { Me } from './api/types';

interface AuthState {
  me: Me | null;
  /** True until the first /auth/me answer arrives. */
  loading: boolean;
  refresh(): Promise<Me | null>;
  logout(): Promise<void>;
  can(permission: string): boolean;
  clear(): void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  // The query cache holds one user's data: a different user (or none) starts from an empty cache.
  const userId = useRef<number | null>(null);
  const setMe = useCallback((m: Me | null) => {
    if ((m?.id ?? null) !== userId.current) queryClient.clear();
    userId.current = m?.id ?? null;
    setMeState(m);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const m = await api.get<Me>('/auth/me', undefined, { noAuthRedirect: true });
      setMe(m);
      return m;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.error(e);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, [setMe]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const logout = useCallback(async () => {
    let endSessionUrl: string | null = null;
    try {
      endSessionUrl = (await api.post<{ endSessionUrl?: string | null }>('/auth/logout', undefined, { noAuthRedirect: true }))?.endSessionUrl ?? null;
    } finally {
      setMe(null);
    }
    // Signed in through 统一身份认证: end the sign-in at the provider too (it sends the browser back to /login).
    if (endSessionUrl) window.location.assign(endSessionUrl);
  }, [setMe]);

  const value = useMemo<AuthState>(
    () => ({ me, loading, refresh, logout, can: (p) => !!me?.permissions.some((x) => x === p), clear: () => setMe(null) }),
    [me, loading, refresh, logout, setMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

export const ADMIN_ROLES = ['bureauAdmin', 'schoolAdmin', 'devCenter'] as const;
export const isAdmin = (me: Me | null) => !!me && (ADMIN_ROLES as readonly string[]).includes(me.role);
