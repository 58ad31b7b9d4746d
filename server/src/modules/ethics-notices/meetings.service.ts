import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, notFound } from '../../platform/errors.js';
import * as repo from './meetings.repository.js';
import { orgInSubtree } from './notices.repository.js';
import type { MeetingInput } from './notices.schema.js';

/**
 * 警示教育 meetings (issue 12 item 7). The meeting is recorded by the 师德专干 (date, place, org, topic, the 通报 it
 * studied); attendance is not a second register: the meeting names a 师德 session of a training project, where
 * teachers check in by QR or are marked present like at any session (and earn its hours the usual way). Counts per
 * school come from that session's check-ins.
 */

const present = (m: repo.MeetingRow) => ({
  id: m.id,
  orgId: m.org_id,
  orgName: m.org_name,
  heldOn: m.held_on,
  place: m.place,
  topic: m.topic,
  sessionId: m.session_id,
  sessionTitle: m.session_title,
  projectName: m.project_name,
  attended: m.attended,
  recordedByName: m.recorded_by_name,
  recordedAt: m.recorded_at,
});

export async function record(ctx: AppContext, user: CurrentUser, input: MeetingInput, ip?: string): Promise<{ id: number }> {
  requirePermission(user, 'ethics.handle');
  return ctx.db.tx(async (q) => {
    if (!(await orgInSubtree(q, input.orgId, user.orgPath))) throw badRequest('请选择本辖区内的单位', [{ field: 'orgId', message: '单位不存在或不在本辖区' }]);
    if (input.sessionId && !(await repo.sessionInSubtree(q, input.sessionId, user.orgPath)))
      throw badRequest('签到场次不存在或不在本辖区', [{ field: 'sessionId', message: '签到场次不存在或不在本辖区' }]);
    const noticeIds = [...new Set(input.noticeIds)];
    const found = await repo.managedNotices(q, noticeIds, user.orgPath);
    if (found.length !== noticeIds.length)
      throw badRequest('所学习的通报不存在或不在本辖区', [{ field: 'noticeIds', message: '所学习的通报不存在或不在本辖区' }]);
    const id = await repo.insert(q, { ...input, sessionId: input.sessionId ?? null, userId: user.id, noticeIds });
    await audit(q, user, 'ethics.meeting.record', 'ethicsMeeting', id, { orgId: input.orgId, sessionId: input.sessionId ?? null }, ip);
    return { id };
  });
}

export async function list(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'ethics.handle');
  return { items: (await repo.list(ctx.db, user.orgPath)).map(present) };
}

export async function open(ctx: AppContext, user: CurrentUser, id: number) {
  requirePermission(user, 'ethics.handle');
  const m = await repo.find(ctx.db, user.orgPath, id);
  if (!m) throw notFound('警示教育会议');
  const bySchool = m.session_id ? await repo.attendanceBySchool(ctx.db, m.session_id) : [];
  return {
    ...present(m),
    notices: await repo.notices(ctx.db, id),
    bySchool: bySchool.map((r) => ({ orgId: r.org_id, orgName: r.org_name, attended: r.attended })),
  };
}

export async function sessions(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'ethics.handle');
  return { items: await repo.ethicsSessions(ctx.db, user.orgPath) };
}
