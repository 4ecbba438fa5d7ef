// What the signed-in user may do, as the server's policy table says (GET /api/v1/me/permissions):
// pages show an action only when `may` allows it, and the server still decides every request.
import { useQuery } from '@tanstack/react-query';
import { api, type Res } from './client';

export type Permissions = Res<'/me/permissions'>;

/** Where the action is asked for: the resource's institution, whose record it is, its workflow state. */
export interface Target {
  institutionId?: string | null;
  learnerId?: string | null;
  state?: string;
}

function grantsOf(perms: Permissions | undefined, action: string) {
  const [resource, name] = action.split('.') as [string, string];
  return perms?.resources[resource]?.[name] ?? [];
}

/** Whether the caller holds `action` ("resource.action") anywhere at all (a column of actions is worth showing). */
export function holds(perms: Permissions | undefined, action: string): boolean {
  return grantsOf(perms, action).length > 0;
}

/** Whether one of the caller's grants for `action` ("resource.action") holds for the target. */
export function may(perms: Permissions | undefined, action: string, target: Target = {}): boolean {
  return grantsOf(perms, action).some((g) => {
    if (g.states && (target.state === undefined || !g.states.includes(target.state))) return false;
    switch (g.scope) {
      case 'any':
      case 'own':
        return true;
      case 'institution':
        return Boolean(target.institutionId && g.institutionIds?.includes(target.institutionId));
      case 'self':
        return Boolean(perms?.learnerId && target.learnerId === perms.learnerId);
    }
  });
}

/** The signed-in user's permissions (one request per user, kept while they are signed in). */
export function usePermissions(userId: string) {
  return useQuery({
    queryKey: ['permissions', userId],
    queryFn: ({ signal }) => api.get('/me/permissions', { signal }),
    staleTime: Infinity,
  });
}
