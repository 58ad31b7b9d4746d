import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import type { Returned } from '../../api/wire';
import type { todoList } from '../../../../server/src/modules/todo/todo.service';

/** GET /api/todo: what waits for the signed-in user in the role of the session. */
export type TodoList = Returned<typeof todoList>;
export type TodoItem = TodoList['items'][number];

export const TODO_POLL_MS = 60_000;

/**
 * The to-do counts, shared by the home page's 待办中心 and the menu badges (one request, key ['todo', role]).
 * Every change a page makes invalidates ['todo'] (api/query.ts `invalidate`), so counts follow the work.
 */
export function useTodo() {
  const { me } = useAuth();
  return useQuery({
    queryKey: ['todo', me?.roleId ?? null],
    queryFn: () => api.get<TodoList>('/todo', undefined, { noAuthRedirect: true }),
    enabled: !!me && !me.mustChangePassword && !me.secondFactor,
    refetchInterval: TODO_POLL_MS,
  });
}

/** Which to-do kinds each menu entry counts: its badge is their sum ("申报审核 3"). */
export const MENU_TODO_KINDS: Record<string, TodoItem['kind'][]> = {
  '/claims/review': ['claimsAtSchool', 'claimsAtCounty'],
  '/enrolment-requests': ['enrolmentRequests'],
  '/nominations': ['nominations'],
  '/approvals': ['projectApprovals'],
  '/hours/corrections': ['corrections'],
  '/records/review': ['recordChanges'],
  '/moves': ['moves'],
  '/my/reviews': ['expertReviews'],
  '/my/surveys': ['surveys'],
  '/my/claims': ['claimsReturned'],
  '/my/record': ['recordChangesReturned'],
  '/announcements': ['announcements'],
  '/ethics/notices': ['ethicsNotices'],
  '/ethics/cases': ['ethicsCases'],
  '/ethics/reports': ['ethicsReports', 'ethicsOverdue'],
  '/key-teachers': ['keyTeacherNominations', 'keyTeacherReviews'],
  '/studios': ['studioReviews'],
  '/research': ['researchReviews'],
  '/upgrade': ['upgradeCompletions'],
  '/plans/mine': ['planFiling'],
  '/plans/review': ['planReviews'],
  '/my/appraisal': ['appraisalSelfReport'],
  '/appraisals': ['appraisalGrading'],
  '/funds': ['allowancesMissing'],
};

export function todoCountFor(menuKey: string, list: TodoList | undefined): number {
  const kinds = MENU_TODO_KINDS[menuKey] ?? [];
  return (list?.items ?? []).filter((i) => kinds.includes(i.kind)).reduce((n, i) => n + i.count, 0);
}
