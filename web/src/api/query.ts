import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

/**
 * Server state in the web app: every page reads through TanStack Query (useQuery with a key that starts
 * with the API area, e.g. ['accounts', filters]) and every change invalidates the keys it affects
 * (queryClient.invalidateQueries({ queryKey: ['accounts'] })), so lists and counters stay current without
 * reloading. 4xx answers are not retried (they will not change by asking again).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});
