import { useSyncExternalStore } from 'react';
import { api } from '../../api/client';

/** Unread counts, as GET /api/notifications/badges returns them. */
export interface Badges {
  total: number;
  byKind: Record<string, number>;
}

/** What each notification kind is about (server: NOTIFICATION_KINDS). */
export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  approval: '待审批',
  enrolment: '报名结果',
  checkin: '签到提醒',
  claim: '学时申报',
  deadline: '达标期限',
  evaluation: '培训评价',
  general: '通知',
  record: '教师档案',
};
export const NOTIFICATION_KIND_COLORS: Record<string, string> = {
  approval: 'orange',
  enrolment: 'green',
  checkin: 'cyan',
  claim: 'blue',
  deadline: 'red',
  evaluation: 'purple',
  general: 'default',
  record: 'geekblue',
};

export const BADGE_POLL_MS = 60_000;

// One poller for the whole app, shared by the header bell and the menu badges.
let state: Badges = { total: 0, byKind: {} };
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function emit(): void {
  for (const l of listeners) l();
}

/** Fetch the counts now (after marking read, after an action that creates messages). */
export function refreshBadges(): void {
  api.get<Badges>('/notifications/badges', undefined, { noAuthRedirect: true }).then(
    (b) => {
      state = b;
      emit();
    },
    () => undefined, // a failed poll keeps the last counts; the next poll tries again
  );
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  if (!timer) {
    refreshBadges();
    timer = setInterval(refreshBadges, BADGE_POLL_MS);
  }
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The unread counts, polled every 60 s while anything shows them. */
export function useBadges(): Badges {
  return useSyncExternalStore(subscribe, () => state);
}

/** Which unread kinds a menu entry counts: its badge is their sum. */
export const MENU_BADGE_KINDS: Record<string, string[]> = {
  '/notifications': Object.keys(NOTIFICATION_KIND_LABELS),
  '/claims/review': ['claim'],
  '/claims': ['claim'],
  '/my/claims': ['claim'],
  '/my/hours': ['deadline'],
  '/my/projects': ['enrolment', 'checkin'],
  '/my/surveys': ['evaluation'],
  '/projects': ['approval'],
  // 教师档案: changes waiting for the 信息管理员; decisions for the teacher.
  '/records/review': ['record'],
  '/my/record': ['record'],
};

export function badgeFor(menuKey: string, b: Badges): number {
  return (MENU_BADGE_KINDS[menuKey] ?? []).reduce((n, k) => n + (b.byKind[k] ?? 0), 0);
}
