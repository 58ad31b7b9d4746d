/**
 * 表彰荣誉 (issue 14 item 4): an org's award types (最美班主任, 优秀教师 …), nominations from its subtree checked
 * against the 师德 veto (purpose `honour`), awards that land in the teacher's record (teacher_honours, through
 * integrity's insertHonour, which checks the veto again on the award date), revocation (voided with the reason,
 * never deleted), 尊师月 activities (000 §二(一)) and 荣退 records with years of service from the teacher's facts.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';
import { getTeacher } from '../teachers/teachers.service.js';
import { insertHonour } from '../integrity/integrity.service.js';
import { vetoFor, vetoMessage } from '../integrity/veto.service.js';
import { fullYears } from '../rotations/rotation-figures.js';
import type { ActivityInput, DecideInput, NominateInput, RetirementInput, TypeInput } from './honours.schema.js';

const own = (user: CurrentUser) => requirePermission(user, 'honours.manage');
const notAfterToday = (d: string, field: string, label: string) => {
  if (d > todayInChina()) throw badRequest(`${label}不能晚于今天`, [{ field, message: '不能晚于今天' }]);
};

// ---------------------------------------------------------------- award types

/** Types the caller may nominate for (its own org's and its ancestors') and those of its subtree. */
export async function listTypes(ctx: AppContext, user: CurrentUser) {
  own(user);
  const rows = await ctx.db.query(
    `SELECT h.id, h.name, h.level, h.description, h.org_id AS "orgId", o.name AS "orgName", ($1 LIKE o.path || '%') AS "canNominate", (o.id = $3) AS "isOwn"
       FROM honour_types h JOIN orgs o ON o.id = h.org_id
      WHERE h.retired_at IS NULL AND ($1 LIKE o.path || '%' OR o.path LIKE $2 || '%') ORDER BY length(o.path), h.id`,
    [user.orgPath, user.scopePath, user.orgId],
  );
  return { types: rows.rows };
}

export async function createType(ctx: AppContext, user: CurrentUser, b: TypeInput, ip?: string) {
  own(user);
  const dup = await ctx.db.query('SELECT 1 FROM honour_types WHERE org_id = $1 AND name = $2 AND retired_at IS NULL', [user.orgId, b.name]);
  if (dup.rows.length) throw conflict(`本单位已有表彰项目“${b.name}”`);
  const id = (
    await ctx.db.query<{ id: number }>('INSERT INTO honour_types (org_id, name, level, description, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
      user.orgId,
      b.name,
      b.level,
      b.description || null,
      user.id,
    ])
  ).rows[0].id;
  await audit(ctx.db, user, 'honours.type', 'honour_type', id, { name: b.name, level: b.level }, ip);
  return { id };
}

interface TypeRow {
  id: number;
  name: string;
  level: string;
  org_id: number;
  org_name: string;
  org_path: string;
}
async function findType(q: Queryable, id: number): Promise<TypeRow | undefined> {
  return (
    await q.query<TypeRow>(
      `SELECT h.id, h.name, h.level, h.org_id, o.name AS org_name, o.path AS org_path FROM honour_types h JOIN orgs o ON o.id = h.org_id WHERE h.id = $1 AND h.retired_at IS NULL`,
      [id],
    )
  ).rows[0];
}

// ---------------------------------------------------------------- nominations and awards

/** Nominations of teachers in the caller's subtree, and those for the caller's own types (to decide). */
export async function listNominations(ctx: AppContext, user: CurrentUser, year: number) {
  own(user);
  const rows = await ctx.db.query(
    `SELECT n.id, n.year, n.status, n.deeds, n.decision_note AS "decisionNote", n.honour_id AS "honourId", n.nominated_at::text AS "nominatedAt",
            n.teacher_id AS "teacherId", t.name AS "teacherName", s.name AS "schoolName", h.id AS "typeId", h.name AS "typeName", h.level,
            ho.name AS "typeOrgName", no.name AS "nominatedByOrgName", (ho.path LIKE $2 || '%') AS "canDecide",
            th.voided_at::text AS "revokedAt", th.voided_reason AS "revokedReason", th.awarded_on::text AS "awardedOn"
       FROM honour_nominations n JOIN honour_types h ON h.id = n.type_id JOIN orgs ho ON ho.id = h.org_id
       JOIN teachers t ON t.id = n.teacher_id JOIN orgs s ON s.id = t.org_id JOIN orgs no ON no.id = n.nominated_by_org_id
       LEFT JOIN teacher_honours th ON th.id = n.honour_id
      WHERE n.year = $1 AND (s.path LIKE $2 || '%' OR ho.path LIKE $2 || '%')
      ORDER BY h.id, n.id`,
    [year, user.scopePath],
  );
  return { year, nominations: rows.rows };
}

/** Nominate teachers of the subtree for a type of the caller's org or an ancestor's; a vetoed teacher refuses the whole batch. */
export async function nominate(ctx: AppContext, user: CurrentUser, b: NominateInput, ip?: string) {
  own(user);
  const type = await findType(ctx.db, b.typeId);
  if (!type || !user.orgPath.startsWith(type.org_path)) throw notFound('表彰项目');
  const teachers: Awaited<ReturnType<typeof getTeacher>>[] = [];
  for (const id of new Set(b.teacherIds)) teachers.push(await getTeacher(ctx, user, id));
  const today = todayInChina();
  return ctx.db.tx(async (q) => {
    const ids: number[] = [];
    for (const [i, t] of teachers.entries()) {
      const v = await vetoFor(q, t.id, 'honour', today);
      if (v.vetoed)
        throw new AppError('CONFLICT', `${t.name} 不能被推荐：${vetoMessage(v, 'honour')}`, [{ field: `teacherIds.${i}`, message: vetoMessage(v, 'honour') }]);
      const dup = await q.query(`SELECT 1 FROM honour_nominations WHERE type_id = $1 AND year = $2 AND teacher_id = $3 AND status IN ('nominated','awarded')`, [
        type.id,
        b.year,
        t.id,
      ]);
      if (dup.rows.length) throw conflict(`${t.name} 已被推荐参加 ${b.year} 年“${type.name}”`);
      ids.push(
        (
          await q.query<{ id: number }>(
            `INSERT INTO honour_nominations (type_id, year, teacher_id, nominated_by_org_id, nominated_by, deeds) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
            [type.id, b.year, t.id, user.orgId, user.id, b.deeds || null],
          )
        ).rows[0].id,
      );
    }
    await audit(q, user, 'honours.nominate', 'honour_type', type.id, { year: b.year, teacherIds: teachers.map((t) => t.id) }, ip);
    return { ids };
  });
}

/** The type's org (or a bureau above it) awards, rejects; the nominating org may withdraw. An award becomes a teacher honour. */
export async function decide(ctx: AppContext, user: CurrentUser, id: number, b: DecideInput, ip?: string) {
  own(user);
  return ctx.db.tx(async (q) => {
    const n = (
      await q.query<{ id: number; status: string; teacher_id: number; type_id: number; nominated_by_org_id: number; year: number }>(
        'SELECT id, status, teacher_id, type_id, nominated_by_org_id, year FROM honour_nominations WHERE id = $1 FOR UPDATE',
        [id],
      )
    ).rows[0];
    const type = n && (await findType(q, n.type_id));
    const nominator = n && (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [n.nominated_by_org_id])).rows[0];
    const decider = type?.org_path.startsWith(user.scopePath);
    const withdrawer = nominator?.path.startsWith(user.scopePath);
    if (!n || !type || !(decider || withdrawer)) throw notFound('推荐');
    if (n.status !== 'nominated') throw conflict('该推荐已处理');
    if (b.decision === 'withdraw') {
      if (!withdrawer) throw notFound('推荐');
      await q.query(`UPDATE honour_nominations SET status = 'withdrawn', decided_by = $2, decided_at = now(), decision_note = $3 WHERE id = $1`, [
        id,
        user.id,
        b.note || null,
      ]);
    } else {
      if (!decider) throw notFound('推荐');
      if (b.decision === 'reject') {
        await q.query(`UPDATE honour_nominations SET status = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3 WHERE id = $1`, [
          id,
          user.id,
          b.note,
        ]);
      } else {
        notAfterToday(b.awardedOn, 'awardedOn', '授予日期');
        const honourId = await insertHonour(q, user, n.teacher_id, {
          title: `${n.year} 年度${type.name}`,
          level: type.level as 'school',
          awardedOn: b.awardedOn,
          awardingOrg: type.org_name,
        });
        await q.query(
          `UPDATE honour_nominations SET status = 'awarded', decided_by = $2, decided_at = now(), decision_note = $3, honour_id = $4 WHERE id = $1`,
          [id, user.id, b.note || null, honourId],
        );
      }
    }
    await audit(q, user, 'honours.decide', 'honour_nomination', id, { decision: b.decision }, ip);
    return { id };
  });
}

/** Revoke an honour (e.g. after a 师德 sanction): the row is voided with the reason, never deleted. */
export async function revokeHonour(ctx: AppContext, user: CurrentUser, honourId: number, reason: string, ip?: string) {
  own(user);
  const h = (
    await ctx.db.query<{ teacher_id: number; voided_at: string | null; org_path: string }>(
      'SELECT h.teacher_id, h.voided_at, o.path AS org_path FROM teacher_honours h JOIN orgs o ON o.id = h.recorded_by_org_id WHERE h.id = $1',
      [honourId],
    )
  ).rows[0];
  if (!h) throw notFound('荣誉');
  await getTeacher(ctx, user, h.teacher_id);
  if (!h.org_path.startsWith(user.scopePath) && !user.orgPath.startsWith(h.org_path)) throw notFound('荣誉');
  if (h.voided_at) throw conflict('该荣誉已撤销');
  await ctx.db.tx(async (q) => {
    await q.query('UPDATE teacher_honours SET voided_at = now(), voided_reason = $2 WHERE id = $1', [honourId, reason]);
    await audit(q, user, 'honours.revoke', 'teacher', h.teacher_id, { honourId, reason }, ip);
  });
  return { id: honourId };
}

/** A teacher's honours (revoked ones marked) and 荣退 record: the teacher detail page and the teacher's own page. */
export async function teacherHonours(ctx: AppContext, user: CurrentUser, teacherId: number) {
  if (user.role !== 'teacher') requirePermission(user, 'teachers.read');
  const t = await getTeacher(ctx, user, teacherId);
  const honours = (
    await ctx.db.query(
      `SELECT id, title, level, awarded_on::text AS "awardedOn", awarding_org AS "awardingOrg", voided_at::text AS "revokedAt", voided_reason AS "revokedReason"
         FROM teacher_honours WHERE teacher_id = $1 ORDER BY awarded_on DESC, id DESC`,
      [t.id],
    )
  ).rows;
  const retirement =
    (
      await ctx.db.query(
        `SELECT r.id, r.retired_on::text AS "retiredOn", r.ceremony_on::text AS "ceremonyOn", r.service_years AS "serviceYears", o.name AS "orgName"
           FROM retirement_honours r JOIN orgs o ON o.id = r.org_id WHERE r.teacher_id = $1 AND r.voided_at IS NULL`,
        [t.id],
      )
    ).rows[0] ?? null;
  return { honours, retirement };
}

// ---------------------------------------------------------------- 尊师月 and other activities

export async function listActivities(ctx: AppContext, user: CurrentUser, year: number) {
  own(user);
  const rows = await ctx.db.query(
    `SELECT a.id, a.held_on::text AS "heldOn", a.title, a.kind, a.participants, a.note, o.name AS "orgName"
       FROM honour_activities a JOIN orgs o ON o.id = a.org_id
      WHERE a.voided_at IS NULL AND o.path LIKE $1 || '%' AND a.held_on BETWEEN $2::date AND $3::date ORDER BY a.held_on DESC, a.id DESC`,
    [user.scopePath, `${year}-01-01`, `${year}-12-31`],
  );
  return { year, activities: rows.rows };
}

export async function addActivity(ctx: AppContext, user: CurrentUser, b: ActivityInput, ip?: string) {
  own(user);
  notAfterToday(b.heldOn, 'heldOn', '活动日期');
  if (b.kind === 'teacherMonth' && b.heldOn.slice(5, 7) !== '09')
    throw badRequest('尊师月活动应在 9 月举行', [{ field: 'heldOn', message: '尊师月为每年 9 月' }]);
  const id = (
    await ctx.db.query<{ id: number }>(
      'INSERT INTO honour_activities (org_id, held_on, title, kind, participants, note, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id',
      [user.orgId, b.heldOn, b.title, b.kind, b.participants ?? null, b.note || null, user.id],
    )
  ).rows[0].id;
  await audit(ctx.db, user, 'honours.activity', 'org', user.orgId, { id, kind: b.kind, heldOn: b.heldOn }, ip);
  return { id };
}

// ---------------------------------------------------------------- 荣退

/** The teacher's retirement date (the 退休 status in force) and hire date, from the teacher's facts. */
async function retirementFacts(q: Queryable, teacherId: number) {
  return (
    await q.query<{ retiredOn: string | null; hiredOn: string | null }>(
      `SELECT (SELECT s.valid_from::text FROM teacher_statuses s WHERE s.teacher_id = t.id AND s.status = 'retired' AND s.superseded_at IS NULL AND s.valid_until IS NULL
                ORDER BY s.id DESC LIMIT 1) AS "retiredOn",
              COALESCE(t.hire_date, (SELECT min(a.valid_from) FROM teacher_assignments a WHERE a.teacher_id = t.id AND a.superseded_at IS NULL))::text AS "hiredOn"
         FROM teachers t WHERE t.id = $1`,
      [teacherId],
    )
  ).rows[0];
}

/** 荣退 records of the subtree, and teachers retired in the last two years not yet honoured. */
export async function listRetirements(ctx: AppContext, user: CurrentUser) {
  own(user);
  const records = (
    await ctx.db.query(
      `SELECT r.id, r.teacher_id AS "teacherId", t.name AS "teacherName", r.retired_on::text AS "retiredOn", r.ceremony_on::text AS "ceremonyOn",
              r.service_years AS "serviceYears", r.note, o.name AS "orgName"
         FROM retirement_honours r JOIN orgs o ON o.id = r.org_id JOIN teachers t ON t.id = r.teacher_id
        WHERE r.voided_at IS NULL AND o.path LIKE $1 || '%' ORDER BY r.ceremony_on DESC, r.id DESC LIMIT 500`,
      [user.scopePath],
    )
  ).rows;
  const since = `${yearInChina() - 2}-01-01`;
  const candidates = (
    await ctx.db.query(
      `SELECT t.id AS "teacherId", t.name, o.name AS "orgName", s.valid_from::text AS "retiredOn"
         FROM teachers t JOIN orgs o ON o.id = t.org_id
         JOIN teacher_statuses s ON s.teacher_id = t.id AND s.status = 'retired' AND s.superseded_at IS NULL AND s.valid_until IS NULL
        WHERE o.path LIKE $1 || '%' AND s.valid_from >= $2::date
          AND NOT EXISTS (SELECT 1 FROM retirement_honours r WHERE r.teacher_id = t.id AND r.voided_at IS NULL)
        ORDER BY s.valid_from DESC, t.id LIMIT 200`,
      [user.scopePath, since],
    )
  ).rows;
  return { records, candidates };
}

export async function addRetirement(ctx: AppContext, user: CurrentUser, b: RetirementInput, ip?: string) {
  own(user);
  const t = await getTeacher(ctx, user, b.teacherId);
  return ctx.db.tx(async (q) => {
    const f = await retirementFacts(q, t.id);
    if (!f?.retiredOn) throw conflict(`${t.name} 尚未办理退休，不能登记荣退`);
    if (!f.hiredOn) throw conflict(`${t.name} 的档案中没有参加工作日期，无法计算教龄，请先补全教师档案`);
    if (b.ceremonyOn < `${f.retiredOn.slice(0, 4)}-01-01`)
      throw badRequest('荣退仪式日期不能早于退休当年', [{ field: 'ceremonyOn', message: '不能早于退休当年' }]);
    const dup = await q.query('SELECT 1 FROM retirement_honours WHERE teacher_id = $1 AND voided_at IS NULL', [t.id]);
    if (dup.rows.length) throw conflict(`${t.name} 已有荣退记录`);
    const serviceYears = fullYears(f.hiredOn, f.retiredOn);
    const id = (
      await q.query<{ id: number }>(
        `INSERT INTO retirement_honours (teacher_id, org_id, retired_on, ceremony_on, service_years, note, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [t.id, user.orgId, f.retiredOn, b.ceremonyOn, serviceYears, b.note || null, user.id],
      )
    ).rows[0].id;
    await audit(q, user, 'honours.retirement', 'teacher', t.id, { id, retiredOn: f.retiredOn, serviceYears }, ip);
    return { id, retiredOn: f.retiredOn, serviceYears };
  });
}
