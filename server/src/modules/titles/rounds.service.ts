/**
 * 职称评审年度 (issue 14 item 3): a bureau opens a round (评审年度, 基准日, target titles, deadline); schools put
 * forward applicants, each checked on the base date — an applicant who is not eligible needs an override reason,
 * recorded with the reasons found; the bureau exports the list (.xlsx, masked, audit-logged).
 */
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { writeXlsx } from '../../platform/excel.js';
import { piiViewOf, viewNationalIdMask } from '../../platform/pii-view.js';
import { titleLabel } from '../policies/policy.titles.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { titleEligibility, type TitleReason } from './eligibility.js';
import { reviewable } from './titles.service.js';
import type { CreateRoundBody, PutForwardBody } from './titles.schema.js';

interface RoundRow {
  id: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  year: number;
  name: string;
  baseDate: string;
  deadline: string;
  targets: string[];
  status: 'open' | 'closed';
  createdAt: string;
}
const ROUND_SQL = `SELECT r.id, r.org_id AS "orgId", o.name AS "orgName", o.path AS "orgPath", r.year, r.name, r.base_date::text AS "baseDate",
  r.deadline::text AS "deadline", r.targets, r.status, r.created_at AS "createdAt" FROM title_rounds r JOIN orgs o ON o.id = r.org_id`;

const withLabels = (r: RoundRow) => ({ ...r, targetLabels: r.targets.map(titleLabel), open: r.status === 'open' && todayInChina() <= r.deadline });

/** A round the caller reaches: opened in its subtree, or above its org (a school puts forward into its bureau's round). */
async function roundFor(ctx: AppContext, user: CurrentUser, id: number): Promise<RoundRow> {
  requirePermission(user, 'titles.review');
  const r = (
    await ctx.db.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 AND (o.path LIKE $2 || '%' OR $3 LIKE o.path || '%')`, [id, user.scopePath, user.orgPath])
  ).rows[0];
  if (!r) throw notFound('评审年度');
  return r;
}

export async function createRound(ctx: AppContext, user: CurrentUser, b: CreateRoundBody) {
  requirePermission(user, 'titles.manage');
  if (b.deadline < todayInChina()) throw badRequest('推荐截止日期不能早于今天', [{ field: 'deadline', message: '推荐截止日期不能早于今天' }]);
  const id = await ctx.db.tx(async (q) => {
    const r = await q.query<{ id: number }>(
      'INSERT INTO title_rounds (org_id, year, name, base_date, deadline, targets, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id',
      [user.orgId, b.year, b.name, b.baseDate, b.deadline, b.targets, user.id],
    );
    const rid = r.rows[0].id;
    await audit(q, user, 'titles.round.create', 'title_round', rid, { year: b.year, targets: b.targets });
    // The schools below are asked to put their applicants forward (a to-do for each school admin).
    const orgIds = (await q.query<{ id: number }>(`SELECT id FROM orgs WHERE path LIKE $1 || '%' AND kind = 'school'`, [user.orgPath])).rows.map((o) => o.id);
    const users = await usersAt(q, orgIds, ['schoolAdmin']);
    await notify(q, users, {
      kind: 'general',
      title: `职称评审：${b.name}`,
      body: `请于 ${b.deadline} 前推荐本单位申报人（基准日 ${b.baseDate}）`,
      link: '/titles',
    });
    return rid;
  });
  return { id };
}

export async function listRounds(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'titles.review');
  const rows = (
    await ctx.db.query<RoundRow>(`${ROUND_SQL} WHERE o.path LIKE $1 || '%' OR $2 LIKE o.path || '%' ORDER BY r.year DESC, r.id DESC LIMIT 200`, [
      user.scopePath,
      user.orgPath,
    ])
  ).rows;
  return rows.map(withLabels);
}

interface ApplicantRow {
  id: number;
  teacherId: number;
  name: string;
  nationalIdMask: string;
  schoolName: string;
  orgName: string;
  target: string;
  eligible: boolean;
  reasons: TitleReason[];
  overrideReason: string | null;
  createdAt: string;
  title: string | null;
  titleDate: string | null;
}

/** The round and its applicants (the round's org and above: all; a school: those of its subtree). */
export async function getRound(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await roundFor(ctx, user, id);
  const view = piiViewOf(user);
  const applicants = (
    await ctx.db.query<ApplicantRow>(
      `SELECT a.id, a.teacher_id AS "teacherId", t.name, t.national_id_mask AS "nationalIdMask", so.name AS "schoolName", po.name AS "orgName",
              a.target, a.eligible, a.reasons, a.override_reason AS "overrideReason", a.created_at AS "createdAt", t.title, t.title_date::text AS "titleDate"
         FROM title_applicants a JOIN teachers t ON t.id = a.teacher_id JOIN orgs so ON so.id = t.org_id JOIN orgs po ON po.id = a.org_id
        WHERE a.round_id = $1 AND a.withdrawn_at IS NULL AND po.path LIKE $2 || '%' ORDER BY po.path, t.name`,
      [id, user.scopePath],
    )
  ).rows.map((a) => ({ ...a, nationalIdMask: viewNationalIdMask(a.nationalIdMask, view), targetLabel: titleLabel(a.target), titleLabel: titleLabel(a.title) }));
  return { ...withLabels(r), manage: r.orgPath.startsWith(user.scopePath) && can(user, 'titles.manage'), applicants };
}

/**
 * Put teachers forward for one target title: each checked on the base date; a teacher not eligible only with an
 * override reason (recorded with the reasons). All or none (one transaction).
 */
export async function putForward(ctx: AppContext, user: CurrentUser, roundId: number, b: PutForwardBody) {
  const r = await roundFor(ctx, user, roundId);
  if (r.status !== 'open' || todayInChina() > r.deadline) throw conflict(`该评审年度已于 ${r.deadline} 截止推荐`);
  if (!r.targets.includes(b.target)) throw badRequest(`本次评审不含「${titleLabel(b.target)}」`, [{ field: 'target', message: '请选择本次评审的申报职称' }]);
  const checked: Awaited<ReturnType<typeof titleEligibility>>[] = [];
  for (const teacherId of b.teacherIds) {
    await reviewable(ctx, user, teacherId);
    const e = await titleEligibility(ctx, user, teacherId, r.baseDate, b.target);
    const path = (await ctx.db.query<{ path: string }>('SELECT o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1', [teacherId])).rows[0]
      ?.path;
    if (!path?.startsWith(r.orgPath)) throw badRequest(`${e.name}不在本次评审的范围（${r.orgName}）内`);
    if (!e.eligible && !b.overrideReason)
      throw badRequest(`${e.name}截至基准日 ${r.baseDate} 不符合申报条件：${e.reasons.map((x) => x.message).join('；')}。如确需推荐，请填写破格推荐理由`, [
        { field: 'overrideReason', message: '不符合条件的推荐须填写理由' },
      ]);
    checked.push(e);
  }
  await ctx.db.tx(async (q) => {
    for (const e of checked) {
      const dup = await q.query('SELECT 1 FROM title_applicants WHERE round_id = $1 AND teacher_id = $2 AND withdrawn_at IS NULL', [roundId, e.teacherId]);
      if (dup.rows.length) throw conflict(`${e.name}已在本次评审的申报名单中`);
      await q.query(
        'INSERT INTO title_applicants (round_id, teacher_id, org_id, target, eligible, reasons, override_reason, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
        [roundId, e.teacherId, user.orgId, b.target, e.eligible, JSON.stringify(e.reasons), e.eligible ? null : b.overrideReason, user.id],
      );
    }
    await audit(q, user, 'titles.putForward', 'title_round', roundId, {
      teacherIds: checked.map((e) => e.teacherId),
      target: b.target,
      overridden: checked.filter((e) => !e.eligible).map((e) => e.teacherId),
    });
  });
  return { count: checked.length, overridden: checked.filter((e) => !e.eligible).length };
}

/** The round's applicants as .xlsx (the round's org or above; masked ID; audit-logged). */
export async function exportRound(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  requirePermission(user, 'titles.manage');
  const round = await getRound(ctx, user, id);
  if (!round.manage) throw notFound('评审年度');
  const rows = round.applicants.map((a, i) => [
    i + 1,
    a.name,
    viewNationalIdMask(a.nationalIdMask, 'limited'),
    a.schoolName,
    a.titleLabel,
    a.titleDate ?? '',
    a.targetLabel,
    a.eligible ? '符合条件' : '破格推荐',
    a.reasons.map((x) => x.message).join('；'),
    a.overrideReason ?? '',
    a.orgName,
  ]);
  const buffer = await writeXlsx([
    {
      name: '申报名单',
      columns: [
        { header: '序号', width: 6 },
        { header: '姓名', width: 10 },
        { header: '身份证号（脱敏）', width: 22 },
        { header: '学校', width: 24 },
        { header: '现职称', width: 10 },
        { header: '任职时间', width: 12 },
        { header: '申报职称', width: 12 },
        { header: '资格核查', width: 10 },
        { header: `未满足的条件（基准日 ${round.baseDate}）`, width: 50 },
        { header: '破格推荐理由', width: 30 },
        { header: '推荐单位', width: 20 },
      ],
      rows,
    },
  ]);
  await audit(ctx.db, user, 'titles.round.export', 'title_round', id, { rows: rows.length }, ip);
  return { buffer, fileName: `${round.name}_申报名单.xlsx` };
}
