import { createContext, useContext, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api/client';
import type { Me, Role, RoleGrant } from './api/types';
import { ErrorAlert } from './components/ErrorAlert';

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or null when there is no session (GET /auth/me → 401). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      try {
        return await api.get('/auth/me', { signal });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Forgets the session locally (after logout or a 401) so the guards send the user to /login. */
export function useForgetSession() {
  const queryClient = useQueryClient();
  return () => {
    queryClient.setQueryData(ME_KEY, null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
  };
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((r) => roles.includes(r.role));
}

/** Institution-scoped grants of a registrar or reviewer (one per institution). */
export function institutionGrants(me: Me): RoleGrant[] {
  const seen = new Set<string>();
  const grants: RoleGrant[] = [];
  for (const r of me.roles) {
    if ((r.role === 'registrar' || r.role === 'reviewer') && r.institutionId && !seen.has(r.institutionId)) {
      seen.add(r.institutionId);
      grants.push(r);
    }
  }
  return grants;
}

/** Where a user lands after signing in. */
export function homePath(me: Me): string {
  if (hasRole(me, 'admin', 'committee', 'registrar', 'reviewer')) return '/workbench';
  if (hasRole(me, 'learner') || me.learnerId) return '/account';
  return '/no-role';
}

function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

const MeContext = createContext<Me | null>(null);

/** The signed-in user inside <RequireAuth>. */
export function useCurrentUser(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useCurrentUser() used outside <RequireAuth>');
  return me;
}

/** Renders children for a signed-in user; otherwise redirects to /login, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorAlert error={me.error} style={{ margin: 24 }} />;
  if (!me.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}

/** Shows children only to users holding one of `roles`; others see a 403 result. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (!hasRole(me, ...roles)) {
    return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  }
  return <>{children}</>;
}
