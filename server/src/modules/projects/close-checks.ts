import type { Queryable } from '../../db/db.js';
import { AppError } from '../../platform/errors.js';
import { sessionsWithAttendance, type CloseSessionRow } from './attendance.repository.js';
import type { ProjectRow } from './projects.repository.js';
import { participationThresholdFor } from './projects.policy.js';
import { localInstant, todayInChina } from '../../platform/china-time.js';

/**
 * Issue 11 item 5: the checks before an organiser closes a project (提交学时认定). Each one is a warning,
 * not a refusal: the organiser may close anyway, but only by confirming them explicitly.
 */
export type CloseWarningKind = 'noSessions' | 'hours' | 'attendance' | 'futureSessions' | 'endDate';

export interface CloseWarning {
  kind: CloseWarningKind;
  message: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The planned hours: the project's target, else the sum of its plan modules. */
function plannedHours(p: Pick<ProjectRow, 'target_hours' | 'plan'>): number {
  const target = Number(p.target_hours ?? 0);
  return round1(target > 0 ? target : p.plan.reduce((n, m) => n + Number(m.hours ?? 0), 0));
}

/**
 * The warnings, worked out from the sessions (held = started by `now`), their attendance, the enrolment
 * and the participation threshold of the policy in force. Pure, so every case can be tested.
 */
export function closeWarningsOf(
  p: Pick<ProjectRow, 'target_hours' | 'plan' | 'end_date' | 'enrolled_count'>,
  sessions: readonly CloseSessionRow[],
  threshold: number,
  now: Date,
): CloseWarning[] {
  const held = sessions.filter((s) => localInstant(s.date, s.start_time) <= now);
  const future = sessions.filter((s) => localInstant(s.date, s.start_time) > now);
  const out: CloseWarning[] = [];
  const planned = plannedHours(p);
  if (held.length === 0) out.push({ kind: 'noSessions', message: '项目还没有举行过任何场次，结项后没有可认定的学时' });
  else {
    const delivered = round1(held.reduce((n, s) => n + Number(s.hours), 0));
    if (planned > 0 && delivered < planned)
      out.push({ kind: 'hours', message: `已举行的 ${held.length} 个场次共 ${delivered} 学时，少于计划的 ${planned} 学时` });
    const expected = p.enrolled_count * held.length;
    const present = held.reduce((n, s) => n + s.present, 0);
    if (expected > 0 && present / expected < threshold)
      out.push({
        kind: 'attendance',
        message: `已举行场次的出勤率为 ${pct(present / expected)}（${present} / ${expected} 人次），低于要求的 ${pct(threshold)}`,
      });
  }
  if (future.length > 0) {
    const next = future[0];
    out.push({ kind: 'futureSessions', message: `还有 ${future.length} 个场次尚未举行（最近一场：${next.date} ${next.start_time}「${next.title}」）` });
  }
  const today = todayInChina(now);
  if (p.end_date && p.end_date > today) out.push({ kind: 'endDate', message: `项目计划结束日期为 ${p.end_date}，尚未到期` });
  return out;
}

/** The warnings for closing the project now. */
export async function closeWarnings(q: Queryable, p: ProjectRow, now: Date): Promise<CloseWarning[]> {
  const sessions = await sessionsWithAttendance(q, p.id);
  const { threshold } = await participationThresholdFor(q, p.org_path, { form: p.form, level: p.level });
  return closeWarningsOf(p, sessions, threshold, now);
}

/**
 * 409 with every warning (each also as a field `warnings.<kind>`, so the dialog can list them) unless the
 * organiser confirmed them (`confirmWarnings: true`).
 */
export function assertWarningsConfirmed(warnings: readonly CloseWarning[], confirmed: boolean): void {
  if (warnings.length === 0 || confirmed) return;
  throw new AppError(
    'CONFLICT',
    `结项前请确认：${warnings.map((w) => w.message).join('；')}。确认无误后请勾选“已知晓”再提交。`,
    warnings.map((w) => ({ field: `warnings.${w.kind}`, message: w.message })),
  );
}
