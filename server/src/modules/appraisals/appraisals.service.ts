/**
 * 年度考核 rounds (issue 14 item 1): a school (for itself) or a bureau (for its subtree) opens a round for a year →
 * each teacher writes a self-report → the school grades each teacher (优秀 within floor(n × share) of the school's
 * teachers in the round, vetoed grades refused) → 公示 (objections recorded and decided) → 确认结果 writes one
 * appraisal_results row per teacher (superseding any earlier row of the year). A result is corrected by a new row
 * with a reason. Every step in one transaction, audited.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { usersOfTeachers } from '../projects/workflow.repository.js';
import { gradeLabel, type AppraisalGrade } from '../policies/policy.appraisal.js';
import { appraisalRulesAt, excellentAllowed, type gatherInputs, gatherMany } from './inputs.js';
import type { CreateRoundBody } from './appraisals.schema.js';

export const ROUND_STATUS_LABELS = { open: '进行中', publicizing: '公示中', confirmed: '已确认', cancelled: '已撤销' } as const;
type RoundStatus = keyof typeof ROUND_STATUS_LABELS;

export interface RoundRow {
  id: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  year: number;
  title: string;
  excellentShare: number;
  selfReportUntil: string;
  gradeUntil: string;
  status: RoundStatus;
  publicityFrom: string | null;
  publicityUntil: string | null;
}

const ROUND_SQL = `SELECT r.id, r.org_id AS "orgId", o.name AS "orgName", o.path AS "orgPath", r.year, r.title, r.excellent_share::float AS "excellentShare",
         r.self_report_until::text AS "selfReportUntil", r.grade_until::text AS "gradeUntil", r.status,
         r.publicity_from::text AS "publicityFrom", r.publicity_until::text AS "publicityUntil"
    FROM appraisal_rounds r JOIN orgs o ON o.id = r.org_id`;

const manage = (u: CurrentUser) => requirePermission(u, 'appraisals.manage');

/** A round opened in the caller's subtree (the opener or a bureau above it). */
async function managedRound(q: Queryable, user: CurrentUser, id: number, lock = false): Promise<RoundRow> {
  manage(user);
  const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 AND o.path LIKE $2 || '%'${lock ? ' FOR UPDATE OF r' : ''}`, [id, user.scopePath])).rows[0];
  if (!r) throw notFound('考核');
  return r;
}

/** A round the caller sees: opened in its subtree, or opened above it for a subtree holding the caller's org. */
export async function visibleRound(q: Queryable, user: CurrentUser, id: number): Promise<RoundRow> {
  manage(user);
  const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 AND (o.path LIKE $2 || '%' OR $3 LIKE o.path || '%')`, [id, user.scopePath, user.orgPath]))
    .rows[0];
  if (!r) throw notFound('考核');
  return r;
}

const refuse = (r: RoundRow, want: RoundStatus[], what: string) => {
  if (!want.includes(r.status)) throw conflict(`考核${ROUND_STATUS_LABELS[r.status]}，不能${what}`);
};

export async function rulesFor(ctx: AppContext, user: CurrentUser, year: number) {
  manage(user);
  return appraisalRulesAt(ctx.db, user.orgPath, year);
}

export async function createRound(ctx: AppContext, user: CurrentUser, b: CreateRoundBody) {
  manage(user);
  const org = (await ctx.db.query<{ kind: string; path: string; name: string }>('SELECT kind, path, name FROM orgs WHERE id = $1', [user.orgId])).rows[0];
  if (!org || (org.kind !== 'school' && org.kind !== 'bureau')) throw conflict('只有学校或教育局可以开展年度考核');
  const { rules } = await appraisalRulesAt(ctx.db, org.path, b.year);
  const fields: { field: string; message: string }[] = [];
  if (b.excellentShare !== null && org.kind !== 'bureau' && b.excellentShare !== rules.excellentShare)
    fields.push({ field: 'excellentShare', message: `优秀比例由教育局确定，本地区为 ${Math.round(rules.excellentShare * 1000) / 10}%，学校不能自定` });
  if (b.gradeUntil < b.selfReportUntil) fields.push({ field: 'gradeUntil', message: '评定截止日期不能早于述职截止日期' });
  if (b.selfReportUntil < `${b.year}-01-01`) fields.push({ field: 'selfReportUntil', message: '述职截止日期不能早于考核年度' });
  if (b.year > Number(todayInChina().slice(0, 4))) fields.push({ field: 'year', message: '不能开展未来年度的考核' });
  if (fields.length) throw badRequest(fields[0].message, fields);
  const share = b.excellentShare ?? rules.excellentShare;
  return ctx.db.tx(async (q) => {
    // One live round per teacher and year: a round above or below this org for the same year overlaps it.
    const other = (
      await q.query<{ title: string; orgName: string }>(
        `SELECT r.title, o.name AS "orgName" FROM appraisal_rounds r JOIN orgs o ON o.id = r.org_id
          WHERE r.year = $1 AND r.status <> 'cancelled' AND (o.path LIKE $2 || '%' OR $2 LIKE o.path || '%') LIMIT 1`,
        [b.year, org.path],
      )
    ).rows[0];
    if (other) throw conflict(`${b.year} 年度考核已由${other.orgName}开展（${other.title}），同一教师一年只参加一次年度考核`);
    const r = await q.query<{ id: number }>(
      `INSERT INTO appraisal_rounds (org_id, year, title, excellent_share, self_report_until, grade_until, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [user.orgId, b.year, b.title, share, b.selfReportUntil, b.gradeUntil, user.id],
    );
    const id = r.rows[0].id;
    const ins = await q.query<{ teacher_id: number; school_org_id: number }>(
      `INSERT INTO appraisal_entries (round_id, teacher_id, school_org_id)
       SELECT $1, t.id, t.org_id FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $2 || '%' AND o.kind = 'school' AND t.status = 'active' ORDER BY t.id
       RETURNING teacher_id, school_org_id`,
      [id, org.path],
    );
    if (!ins.rows.length) throw conflict('本单位（及下级学校）没有在职教师，不能开展年度考核');
    await audit(q, user, 'appraisals.round.create', 'appraisal_round', id, { year: b.year, teachers: ins.rows.length, share });
    await notify(
      q,
      await usersOfTeachers(
        q,
        ins.rows.map((x) => x.teacher_id),
      ),
      {
        kind: 'deadline',
        title: `${b.title}：请于 ${b.selfReportUntil} 前提交个人述职`,
        body: '在“我的年度考核”填写个人述职；学时、家访、学业述评、培训出勤由平台汇总。',
        link: '/my/appraisal',
      },
    );
    await notify(q, await usersAt(q, [...new Set(ins.rows.map((x) => x.school_org_id))], ['schoolAdmin']), {
      kind: 'deadline',
      title: `${b.title}：请于 ${b.gradeUntil} 前评定本校教师考核等次`,
      link: `/appraisals/${id}`,
    });
    return { id, teachers: ins.rows.length };
  });
}

export async function listRounds(ctx: AppContext, user: CurrentUser) {
  manage(user);
  const r = await ctx.db.query<RoundRow & { teachers: number; graded: number; excellent: number }>(
    `SELECT x.*, (SELECT count(*)::int FROM appraisal_entries e JOIN orgs so ON so.id = e.school_org_id WHERE e.round_id = x.id AND so.path LIKE $1 || '%') AS teachers,
            (SELECT count(*)::int FROM appraisal_entries e JOIN orgs so ON so.id = e.school_org_id WHERE e.round_id = x.id AND so.path LIKE $1 || '%' AND e.grade IS NOT NULL) AS graded,
            (SELECT count(*)::int FROM appraisal_entries e JOIN orgs so ON so.id = e.school_org_id WHERE e.round_id = x.id AND so.path LIKE $1 || '%' AND e.grade = 'excellent') AS excellent
       FROM (${ROUND_SQL} WHERE (o.path LIKE $1 || '%' OR $2 LIKE o.path || '%')) x ORDER BY x.year DESC, x.id DESC LIMIT 200`,
    [user.scopePath, user.orgPath],
  );
  return r.rows.map((x) => ({ ...x, statusLabel: ROUND_STATUS_LABELS[x.status] }));
}

interface EntryRow {
  id: number;
  teacherId: number;
  teacherName: string;
  schoolOrgId: number;
  schoolName: string;
  selfReport: string | null;
  selfReportedAt: string | null;
  grade: AppraisalGrade | null;
  gradeComment: string | null;
  resultId: number | null;
}
const ENTRY_SQL = `SELECT e.id, e.teacher_id AS "teacherId", t.name AS "teacherName", e.school_org_id AS "schoolOrgId", so.name AS "schoolName",
         e.self_report AS "selfReport", e.self_reported_at::text AS "selfReportedAt", e.grade, e.grade_comment AS "gradeComment", e.result_id AS "resultId"
    FROM appraisal_entries e JOIN teachers t ON t.id = e.teacher_id JOIN orgs so ON so.id = e.school_org_id`;

/** Quota per school of the round (in the caller's scope): teachers, 优秀 allowed (floor(n × share)), 优秀 given. */
async function quotas(q: Queryable, r: RoundRow, scope: string) {
  const rows = await q.query<{ schoolOrgId: number; schoolName: string; teachers: number; excellent: number }>(
    `SELECT e.school_org_id AS "schoolOrgId", so.name AS "schoolName", count(*)::int AS teachers, count(*) FILTER (WHERE e.grade = 'excellent')::int AS excellent
       FROM appraisal_entries e JOIN orgs so ON so.id = e.school_org_id WHERE e.round_id = $1 AND so.path LIKE $2 || '%'
      GROUP BY e.school_org_id, so.name, so.path ORDER BY so.path`,
    [r.id, scope],
  );
  return rows.rows.map((x) => ({ ...x, allowed: excellentAllowed(x.teachers, r.excellentShare) }));
}

export async function getRound(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await visibleRound(ctx.db, user, id);
  const { rules, source } = await appraisalRulesAt(ctx.db, r.orgPath, r.year);
  const entries = (
    await ctx.db.query<EntryRow>(`${ENTRY_SQL} WHERE e.round_id = $1 AND so.path LIKE $2 || '%' ORDER BY so.path, t.name, e.id LIMIT 500`, [id, user.scopePath])
  ).rows;
  const live = r.status === 'open' || r.status === 'publicizing';
  const inputs = live
    ? await gatherMany(
        ctx,
        user,
        entries.map((e) => e.teacherId),
        r.year,
        rules,
        { hours: false },
      )
    : new Map();
  const objections = await ctx.db.query<{ entryId: number }>(
    `SELECT entry_id AS "entryId", id, received_on::text AS "receivedOn", content, upheld, decision, new_grade AS "newGrade"
       FROM appraisal_objections WHERE entry_id = ANY($1::int[]) ORDER BY id`,
    [entries.map((e) => e.id)],
  );
  const withInputs = entries.map((e) => ({
    ...e,
    gradeLabel: e.grade ? gradeLabel(e.grade) : null,
    inputs: inputs.get(e.teacherId) ?? null,
    objections: objections.rows.filter((o) => o.entryId === e.id),
  }));
  return {
    ...r,
    statusLabel: ROUND_STATUS_LABELS[r.status],
    manager: r.orgPath.startsWith(user.scopePath),
    rules,
    rulesSource: source,
    quotas: await quotas(ctx.db, r, user.scopePath),
    entries: withInputs,
  };
}

async function entryOf(q: Queryable, user: CurrentUser, id: number) {
  manage(user);
  const e = (
    await q.query<EntryRow & { roundId: number }>(
      `${ENTRY_SQL.replace('SELECT e.id,', 'SELECT e.id, e.round_id AS "roundId",')} WHERE e.id = $1 AND so.path LIKE $2 || '%' FOR UPDATE OF e`,
      [id, user.scopePath],
    )
  ).rows[0];
  if (!e) throw notFound('考核对象');
  return e;
}

/**
 * Refuse a grade the veto or the rules forbid (409, in Chinese). Runs outside the transaction: the compliance engine
 * reads through ctx.db (PGlite has one connection; a read inside a transaction would wait on it).
 */
async function checkInputs(ctx: AppContext, user: CurrentUser, r: RoundRow, e: EntryRow, grade: AppraisalGrade) {
  if (grade === 'unqualified') return;
  const { rules } = await appraisalRulesAt(ctx.db, r.orgPath, r.year);
  const inputs = (await gatherMany(ctx, user, [e.teacherId], r.year, rules, { hours: grade === 'excellent' })).get(e.teacherId) as Awaited<
    ReturnType<typeof gatherInputs>
  >;
  if (inputs.blocksPass.length) throw conflict(`${e.teacherName}只能评为不合格：${inputs.blocksPass.join('；')}`);
  if (grade === 'excellent' && inputs.blocksExcellent.length) throw conflict(`${e.teacherName}不能评为优秀：${inputs.blocksExcellent.join('；')}`);
}

/** Refuse 优秀 above the school's quota: floor(n × share) of the school's teachers in the round (inside the transaction, round locked). */
async function checkQuota(q: Queryable, r: RoundRow, e: EntryRow, grade: AppraisalGrade) {
  if (grade !== 'excellent') return;
  const c = (
    await q.query<{ teachers: number; excellent: number }>(
      `SELECT count(*)::int AS teachers, count(*) FILTER (WHERE grade = 'excellent' AND id <> $3)::int AS excellent
         FROM appraisal_entries WHERE round_id = $1 AND school_org_id = $2`,
      [r.id, e.schoolOrgId, e.id],
    )
  ).rows[0];
  const allowed = excellentAllowed(c.teachers, r.excellentShare);
  if (c.excellent + 1 > allowed)
    throw conflict(
      `超出优秀名额：${e.schoolName}参加考核 ${c.teachers} 人，优秀比例 ${Math.round(r.excellentShare * 1000) / 10}%，最多 ${allowed} 人（向下取整），已评优秀 ${c.excellent} 人`,
    );
}

/** The entry and its round, read before the transaction (scope checked), for the input checks. */
async function entryAndRound(ctx: AppContext, user: CurrentUser, entryId: number) {
  manage(user);
  const e = (
    await ctx.db.query<EntryRow & { roundId: number }>(
      `${ENTRY_SQL.replace('SELECT e.id,', 'SELECT e.id, e.round_id AS "roundId",')} WHERE e.id = $1 AND so.path LIKE $2 || '%'`,
      [entryId, user.scopePath],
    )
  ).rows[0];
  if (!e) throw notFound('考核对象');
  const r = (await ctx.db.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1`, [e.roundId])).rows[0];
  return { e, r };
}

export async function grade(ctx: AppContext, user: CurrentUser, entryId: number, b: { grade: AppraisalGrade; comment: string | null }) {
  const pre = await entryAndRound(ctx, user, entryId);
  refuse(pre.r, ['open'], '评定等次');
  await checkInputs(ctx, user, pre.r, pre.e, b.grade);
  return ctx.db.tx(async (q) => {
    const e = await entryOf(q, user, entryId);
    // Lock the round: two graders of one school cannot both take the last 优秀.
    const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 FOR UPDATE OF r`, [e.roundId])).rows[0];
    refuse(r, ['open'], '评定等次');
    await checkQuota(q, r, e, b.grade);
    await q.query('UPDATE appraisal_entries SET grade = $2, grade_comment = $3, graded_by = $4, graded_at = now() WHERE id = $1', [
      entryId,
      b.grade,
      b.comment,
      user.id,
    ]);
    await q.query('INSERT INTO appraisal_grade_log (entry_id, grade, comment, by_user) VALUES ($1, $2, $3, $4)', [entryId, b.grade, b.comment, user.id]);
    await audit(q, user, 'appraisals.grade', 'appraisal_entry', entryId, { grade: b.grade });
    return { ok: true };
  });
}

export async function publicize(ctx: AppContext, user: CurrentUser, id: number, b: { from: string; until: string }) {
  if (b.until < b.from) throw badRequest('公示结束日期不能早于开始日期', [{ field: 'until', message: '公示结束日期不能早于开始日期' }]);
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['open'], '公示');
    const pending = await q.query<{ name: string }>(
      `SELECT t.name FROM appraisal_entries e JOIN teachers t ON t.id = e.teacher_id WHERE e.round_id = $1 AND e.grade IS NULL ORDER BY t.name LIMIT 6`,
      [id],
    );
    if (pending.rows.length)
      throw conflict(
        `还有教师未评定等次，不能公示：${pending.rows
          .slice(0, 5)
          .map((x) => x.name)
          .join('、')}${pending.rows.length > 5 ? ' 等' : ''}`,
      );
    await q.query(`UPDATE appraisal_rounds SET status = 'publicizing', publicity_from = $2, publicity_until = $3 WHERE id = $1`, [id, b.from, b.until]);
    await audit(q, user, 'appraisals.round.publicize', 'appraisal_round', id, b);
    const who = await q.query<{ teacher_id: number; school_org_id: number }>('SELECT teacher_id, school_org_id FROM appraisal_entries WHERE round_id = $1', [
      id,
    ]);
    const msg = {
      kind: 'general' as const,
      title: `${r.title}：考核结果公示（${b.from} 至 ${b.until}）`,
      body: '对公示结果有异议的，请在公示期内向学校提出。',
    };
    await notify(
      q,
      await usersOfTeachers(
        q,
        who.rows.map((x) => x.teacher_id),
      ),
      { ...msg, link: '/my/appraisal' },
    );
    await notify(q, await usersAt(q, [...new Set(who.rows.map((x) => x.school_org_id))], ['schoolAdmin']), { ...msg, link: `/appraisals/${id}` });
  });
}

export async function recordObjection(
  ctx: AppContext,
  user: CurrentUser,
  entryId: number,
  b: { receivedOn: string; content: string; upheld: boolean; decision: string; newGrade: AppraisalGrade | null },
) {
  const pre = await entryAndRound(ctx, user, entryId);
  refuse(pre.r, ['publicizing'], '登记公示异议');
  if (b.newGrade) await checkInputs(ctx, user, pre.r, pre.e, b.newGrade);
  return ctx.db.tx(async (q) => {
    const e = await entryOf(q, user, entryId);
    const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 FOR UPDATE OF r`, [e.roundId])).rows[0];
    refuse(r, ['publicizing'], '登记公示异议');
    if (r.publicityFrom && b.receivedOn < r.publicityFrom)
      throw badRequest('异议收到日期早于公示开始', [{ field: 'receivedOn', message: '异议收到日期早于公示开始' }]);
    if (b.receivedOn > todayInChina()) throw badRequest('异议收到日期不能晚于今天', [{ field: 'receivedOn', message: '异议收到日期不能晚于今天' }]);
    if (b.upheld && !b.newGrade) throw badRequest('异议成立时请选择改定的等次', [{ field: 'newGrade', message: '异议成立时请选择改定的等次' }]);
    if (!b.upheld && b.newGrade) throw badRequest('异议不成立时不改等次', [{ field: 'newGrade', message: '异议不成立时不改等次' }]);
    if (b.newGrade) {
      await checkQuota(q, r, e, b.newGrade);
      await q.query('UPDATE appraisal_entries SET grade = $2, graded_by = $3, graded_at = now() WHERE id = $1', [entryId, b.newGrade, user.id]);
      await q.query('INSERT INTO appraisal_grade_log (entry_id, grade, comment, by_user) VALUES ($1, $2, $3, $4)', [
        entryId,
        b.newGrade,
        `公示异议成立：${b.decision}`,
        user.id,
      ]);
    }
    const x = await q.query<{ id: number }>(
      `INSERT INTO appraisal_objections (entry_id, received_on, content, upheld, decision, new_grade, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [entryId, b.receivedOn, b.content, b.upheld, b.decision, b.newGrade, user.id],
    );
    await audit(q, user, 'appraisals.objection', 'appraisal_entry', entryId, { upheld: b.upheld, newGrade: b.newGrade });
    return { id: x.rows[0].id };
  });
}

/** After the 公示 ends: one appraisal_results row per teacher, superseding an earlier row of the same year. */
export async function confirmRound(ctx: AppContext, user: CurrentUser, id: number) {
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['publicizing'], '确认结果');
    if (r.publicityUntil && todayInChina() <= r.publicityUntil) throw conflict(`公示期至 ${r.publicityUntil}，公示结束后才能确认结果`);
    const entries = await q.query<{ id: number; teacher_id: number; school_org_id: number; grade: string; grade_comment: string | null }>(
      'SELECT id, teacher_id, school_org_id, grade, grade_comment FROM appraisal_entries WHERE round_id = $1 ORDER BY id',
      [id],
    );
    for (const e of entries.rows) {
      const old = await q.query<{ id: number }>('SELECT id FROM appraisal_results WHERE teacher_id = $1 AND year = $2 AND superseded_at IS NULL FOR UPDATE', [
        e.teacher_id,
        r.year,
      ]);
      if (old.rows.length) await q.query('UPDATE appraisal_results SET superseded_at = now() WHERE id = $1', [old.rows[0].id]);
      const n = await q.query<{ id: number }>(
        `INSERT INTO appraisal_results (teacher_id, org_id, year, grade, round_id, source, note, recorded_by) VALUES ($1, $2, $3, $4, $5, 'round', $6, $7) RETURNING id`,
        [e.teacher_id, e.school_org_id, r.year, e.grade, id, e.grade_comment, user.id],
      );
      if (old.rows.length) await q.query('UPDATE appraisal_results SET superseded_by = $2 WHERE id = $1', [old.rows[0].id, n.rows[0].id]);
      await q.query('UPDATE appraisal_entries SET result_id = $2 WHERE id = $1', [e.id, n.rows[0].id]);
    }
    await q.query(`UPDATE appraisal_rounds SET status = 'confirmed', confirmed_by = $2, confirmed_at = now() WHERE id = $1`, [id, user.id]);
    await audit(q, user, 'appraisals.round.confirm', 'appraisal_round', id, { results: entries.rows.length });
    await notify(
      q,
      await usersOfTeachers(
        q,
        entries.rows.map((x) => x.teacher_id),
      ),
      {
        kind: 'result',
        title: `${r.title}：考核结果已确认`,
        link: '/my/appraisal',
      },
    );
    return { results: entries.rows.length };
  });
}

export async function cancelRound(ctx: AppContext, user: CurrentUser, id: number) {
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['open', 'publicizing'], '撤销');
    await q.query(`UPDATE appraisal_rounds SET status = 'cancelled' WHERE id = $1`, [id]);
    await audit(q, user, 'appraisals.round.cancel', 'appraisal_round', id);
  });
}

/** Correct a result in force: a new row (source correction, with the reason) supersedes it; the veto and the round's quota still hold. */
export async function correctResult(ctx: AppContext, user: CurrentUser, resultId: number, b: { grade: AppraisalGrade; reason: string }) {
  manage(user);
  const sel = `SELECT a.id, a.teacher_id AS "teacherId", t.name AS "teacherName", a.org_id AS "orgId", a.year, a.grade, a.round_id AS "roundId", a.superseded_at::text AS "supersededAt"
           FROM appraisal_results a JOIN teachers t ON t.id = a.teacher_id JOIN orgs o ON o.id = a.org_id WHERE a.id = $1 AND o.path LIKE $2 || '%'`;
  type Old = {
    id: number;
    teacherId: number;
    teacherName: string;
    orgId: number;
    year: number;
    grade: string;
    roundId: number | null;
    supersededAt: string | null;
  };
  const pre = (await ctx.db.query<Old>(sel, [resultId, user.scopePath])).rows[0];
  if (!pre) throw notFound('考核结果');
  if (pre.supersededAt) throw conflict('该结果已被更正取代，请更正现行的结果');
  if (pre.grade === b.grade) throw badRequest('更正后的等次与现行等次相同', [{ field: 'grade', message: '更正后的等次与现行等次相同' }]);
  if (b.grade !== 'unqualified') {
    const { rules } = await appraisalRulesAt(ctx.db, user.orgPath, pre.year);
    const inputs = (await gatherMany(ctx, user, [pre.teacherId], pre.year, rules, { hours: false })).get(pre.teacherId) as Awaited<
      ReturnType<typeof gatherInputs>
    >;
    if (inputs.blocksPass.length) throw conflict(`${pre.teacherName}只能评为不合格：${inputs.blocksPass.join('；')}`);
    if (b.grade === 'excellent' && inputs.veto.excellent) throw conflict(`${pre.teacherName}不能评为优秀：${inputs.veto.excellent}`);
  }
  return ctx.db.tx(async (q) => {
    const old = (await q.query<Old>(`${sel} FOR UPDATE OF a`, [resultId, user.scopePath])).rows[0];
    if (!old || old.supersededAt) throw conflict('该结果已被更正取代，请更正现行的结果');
    if (b.grade === 'excellent' && old.roundId) {
      const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 FOR UPDATE OF r`, [old.roundId])).rows[0];
      const c = (
        await q.query<{ teachers: number; excellent: number }>(
          `SELECT (SELECT count(*)::int FROM appraisal_entries WHERE round_id = $1 AND school_org_id = $2) AS teachers,
                  (SELECT count(*)::int FROM appraisal_results WHERE round_id = $1 AND org_id = $2 AND grade = 'excellent' AND superseded_at IS NULL) AS excellent`,
          [old.roundId, old.orgId],
        )
      ).rows[0];
      const allowed = excellentAllowed(c.teachers, r.excellentShare);
      if (c.excellent + 1 > allowed) throw conflict(`超出优秀名额：该校参加考核 ${c.teachers} 人，最多 ${allowed} 人优秀，现行结果已有 ${c.excellent} 人`);
    }
    // One row in force per teacher and year: end the old row before the new one is written.
    await q.query('UPDATE appraisal_results SET superseded_at = now() WHERE id = $1', [old.id]);
    const n = await q.query<{ id: number }>(
      `INSERT INTO appraisal_results (teacher_id, org_id, year, grade, round_id, source, correction_reason, recorded_by) VALUES ($1, $2, $3, $4, $5, 'correction', $6, $7) RETURNING id`,
      [old.teacherId, old.orgId, old.year, b.grade, old.roundId, b.reason, user.id],
    );
    await q.query('UPDATE appraisal_results SET superseded_by = $2 WHERE id = $1', [old.id, n.rows[0].id]);
    await audit(q, user, 'appraisals.result.correct', 'appraisal_result', n.rows[0].id, { from: old.grade, to: b.grade, reason: b.reason });
    await notify(q, await usersOfTeachers(q, [old.teacherId]), {
      kind: 'result',
      title: `${old.year} 年度考核结果更正为${gradeLabel(b.grade)}`,
      body: `原因：${b.reason}`,
      link: '/my/appraisal',
    });
    return { id: n.rows[0].id };
  });
}

/** A teacher's results (all rows, superseded ones marked) — the 年度考核 section of the teacher's record. */
export async function resultsOf(q: Queryable, teacherId: number) {
  const r = await q.query<{
    id: number;
    year: number;
    grade: string;
    source: string;
    orgName: string;
    note: string | null;
    correctionReason: string | null;
    recordedAt: string;
    supersededAt: string | null;
    roundTitle: string | null;
  }>(
    `SELECT a.id, a.year, a.grade, a.source, o.name AS "orgName", a.note, a.correction_reason AS "correctionReason", a.recorded_at::text AS "recordedAt",
            a.superseded_at::text AS "supersededAt", r.title AS "roundTitle"
       FROM appraisal_results a JOIN orgs o ON o.id = a.org_id LEFT JOIN appraisal_rounds r ON r.id = a.round_id
      WHERE a.teacher_id = $1 ORDER BY a.year DESC, a.id DESC`,
    [teacherId],
  );
  return r.rows.map((x) => ({ ...x, gradeLabel: gradeLabel(x.grade), inForce: x.supersededAt === null }));
}

export const canManage = (u: CurrentUser) => can(u, 'appraisals.manage');
