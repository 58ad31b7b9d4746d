import { useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import { queryClient } from '../../api/query';

/** Unread counts, as GET /api/notifications/badges returns them. */
export interface Badges {
  total: number;
  byKind: Record<string, number>;
}

/**
 * The tag of each notification kind (server: NOTIFICATION_KINDS): 待审批 only for a decision the recipient has to take;
 * a decision reaching the one who asked is a 审批结果, reminders 提醒, news 通知.
 */
export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  approval: '待审批',
  result: '审批结果',
  enrolment: '报名结果',
  checkin: '签到提醒',
  claim: '学时申报',
  deadline: '达标提醒',
  evaluation: '培训评价',
  general: '通知',
  record: '教师档案',
  announcement: '通知公告',
};
export const NOTIFICATION_KIND_COLORS: Record<string, string> = {
  approval: 'orange',
  result: 'green',
  enrolment: 'cyan',
  checkin: 'gold',
  claim: 'blue',
  deadline: 'red',
  evaluation: 'purple',
  general: 'default',
  record: 'geekblue',
  announcement: 'magenta',
};

export const BADGE_POLL_MS = 60_000;

// One poller for the whole app, shared by the header bell and the menu badges.
let state: Badges = { total: 0, byKind: {} };
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function emit(): void {
  for (const l of listeners) l();
}

/** Fetch the counts now (after marking read, after an action): the unread messages and the to-do counts. */
export function refreshBadges(): void {
  void queryClient.invalidateQueries({ queryKey: ['todo'] });
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

/**
 * The menu badges show pending work — the to-do counts (pages/todo/todo.ts MENU_TODO_KINDS), e.g. 申报审核 = the
 * claims waiting for me — except 消息中心, which counts unread messages like the bell.
 */
export function unreadBadgeFor(menuKey: string, b: Badges): number {
  return menuKey === '/notifications' ? b.total : 0;
}
