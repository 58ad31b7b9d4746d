import type { AppContext } from '../../platform/context.js';
import { receive } from './ethics-intake.service.js';
import * as repo from './ethics-reports.repository.js';

/**
 * A believable handful of reports for the demo county's 师德专干 (ethics.officer), dated relative to the demo's
 * asOf day: two waiting for a first response (one from the public page, one 举报电话 call), one past its 受理
 * deadline, one answered 不予受理 with its reason. Returns how many were written (0 without the demo officer).
 */
export async function seedDemoReports(ctx: AppContext, asOf: string): Promise<number> {
  const officer = (
    await ctx.db.query<{ id: number; org_id: number }>(
      `SELECT u.id, r.org_id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'ethicsOfficer' WHERE u.username = 'ethics.officer' LIMIT 1`,
      [],
    )
  ).rows[0];
  if (!officer) return 0;
  const school = (
    await ctx.db.query<{ id: number }>(
      `SELECT s.id FROM orgs b JOIN orgs s ON s.path LIKE b.path || '_%' WHERE b.id = $1 AND s.kind = 'school' ORDER BY s.id LIMIT 1`,
      [officer.org_id],
    )
  ).rows[0];
  const daysAgo = (n: number) => new Date(Date.parse(`${asOf}T10:00:00+08:00`) - n * 86_400_000);
  const base = { handlingOrgId: officer.org_id, schoolOrgId: school?.id ?? null, occurredOn: null };
  await receive(
    ctx,
    { ...base, subjectName: '刘老师', category: 'care', content: '孩子回家说数学课上答错题被刘老师当着全班的面骂“笨”，还被罚站到下课，孩子现在不敢去上学。' },
    { channel: 'web', anonymous: true, reporter: null, receivedBy: null, receivedAt: daysAgo(1), files: [] },
  );
  await receive(
    ctx,
    {
      ...base,
      subjectName: '陈老师',
      category: 'tutoring',
      content: '来电反映：陈老师周末在自家组织本班学生有偿补课，每人每月收费 800 元，并暗示不参加的学生座位会被调到后排。',
    },
    {
      channel: 'phone',
      anonymous: false,
      reporter: { name: '王建华', phone: '13947801234', relation: '学生家长' },
      receivedBy: { id: officer.id, orgId: officer.org_id },
      receivedAt: daysAgo(3),
      files: [],
    },
  );
  await receive(
    ctx,
    { ...base, subjectName: '', category: 'integrity', content: '教师节前后，班主任在家长群里暗示家长送购物卡，有家长私下转账，请核查。' },
    {
      channel: 'web',
      anonymous: false,
      reporter: { name: '李女士', phone: '13804781111', relation: '学生家长' },
      receivedBy: null,
      receivedAt: daysAgo(12),
      files: [],
    },
  );
  const rejected = await receive(
    ctx,
    { ...base, subjectName: '赵老师', category: 'other', content: '赵老师布置的寒假作业太多，孩子每天写到很晚，希望减少作业量。' },
    { channel: 'letter', anonymous: true, reporter: null, receivedBy: { id: officer.id, orgId: officer.org_id }, receivedAt: daysAgo(20), files: [] },
  );
  await ctx.db.tx(async (q) => {
    const reason = '经核实，所反映的作业量问题属于教学管理事项，不属于师德失范行为，已转学校按“双减”要求整改。感谢您的监督。';
    await repo.reject(q, rejected.id, reason);
    await repo.insertEvent(q, { reportId: rejected.id, action: 'rejected', byUser: officer.id, commentEnc: ctx.pii.encrypt(reason) });
  });
  return 4;
}
