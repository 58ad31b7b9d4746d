import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError } from './client';

/**
 * Server state in the web app: every page reads through TanStack Query (useQuery with a key that starts
 * with the API area, e.g. ['accounts', filters]) and every change invalidates the keys it affects
 * (queryClient.invalidateQueries({ queryKey: ['accounts'] })), so lists and counters stay current without
 * reloading. 4xx answers are not retried (they will not change by asking again).
 *
 * A key is the request's path split at '/' and then its parameters: GET /claims/7 → ['claims', 7],
 * GET /hours/summary?year=… → ['hours', 'summary', { year }], GET /my/certificates → ['my', 'certificates'];
 * so invalidating ['claims'] refreshes every claim list and detail, ['my'] everything of the signed-in teacher.
 * The cache belongs to one signed-in user: auth.tsx clears it whenever the user changes or signs out.
 * Cached data is shown at once and always re-asked when a page opens (staleTime 0): other people change the
 * same records (a county submits, the city's 待我审批 must list it), so nothing is trusted as fresh.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 0,
      refetchOnWindowFocus: false,
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});

/**
 * After a change: mark every key it affects stale (active queries refetch), e.g. invalidate(['claims'], ['hours'], ['my']).
 * The to-do counts (['todo']: home page 待办中心 and menu badges) follow every change.
 */
export function invalidate(...keys: QueryKey[]): Promise<void> {
  return Promise.all([...keys, ['todo']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))).then(() => undefined);
}
