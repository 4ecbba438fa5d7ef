import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Res } from '../../api/client';
import type { Me } from '../../api/types';
import { hasRole } from '../../auth';

export type WorkbenchEntry = Res<'/me/workbench'>['items'][number];

export const WORKBENCH_KEY = ['workbench'] as const;

/** Whether the user works any queue (staff roles): they have a workbench, and menu badges. */
export const hasWorkbench = (me: Me) => hasRole(me, 'registrar', 'reviewer', 'committee', 'admin');

/** The signed-in person's queues with what waits there: refetched every minute. */
export function useWorkbench(me: Me) {
  return useQuery({
    queryKey: WORKBENCH_KEY,
    enabled: hasWorkbench(me),
    queryFn: ({ signal }) => api.get('/me/workbench', { signal }),
    refetchInterval: 60_000,
    staleTime: 10_000,
  });
}

/** After any of the user's own actions succeeds (a decision, an answer), the counts are asked again. */
export function useRefreshWorkbenchAfterActions() {
  const qc = useQueryClient();
  useEffect(
    () =>
      qc.getMutationCache().subscribe((event) => {
        if (event.type === 'updated' && event.action.type === 'success') void qc.invalidateQueries({ queryKey: WORKBENCH_KEY });
      }),
    [qc],
  );
}
