import type { Queryable } from '../../db/db.js';

// SQL of the studios module (issue 13 item 1). Scoping is by org path: callers pass the caller's path.

export interface StudioRow {
  id: number;
  name: string;
  kind: string;
  level: string;
  naming_org_id: number;
  naming_org_name: string;
  naming_path: string;
  base_org_id: number;
  base_org_name: string;
  base_path: string;
  host_teacher_id: number;
  host_name: string;
  subject: string | null;
  status: string;
  named_on: string | null;
  term_from: string | null;
  term_until: string | null;
  plan_text: string | null;
  review_comment: string | null;
  applied_at: string;
}

const STUDIO_SELECT = `
  SELECT s.id, s.name, s.kind, s.level, s.naming_org_id, n.name AS naming_org_name, n.path AS naming_path,
         s.base_org_id, b.name AS base_org_name, b.path AS base_path, s.host_teacher_id, t.name AS host_name, s.subject, s.status,
         s.named_on::text AS named_on, s.term_from::text AS term_from, s.term_until::text AS term_until, s.plan_text, s.review_comment,
         s.applied_at
    FROM studios s JOIN orgs n ON n.id = s.naming_org_id JOIN orgs b ON b.id = s.base_org_id JOIN teachers t ON t.id = s.host_teacher_id`;

export async function studio(q: Queryable, id: number, lock = false): Promise<StudioRow | null> {
  if (lock) await q.query('SELECT id FROM studios WHERE id = $1 FOR UPDATE', [id]);
  return (await q.query<StudioRow>(`${STUDIO_SELECT} WHERE s.id = $1`, [id])).rows[0] ?? null;
}

/** Studios visible under a path: named by an org of it, or based in it. */
export async function studiosUnder(q: Queryable, path: string): Promise<StudioRow[]> {
  return (await q.query<StudioRow>(`${STUDIO_SELECT} WHERE n.path LIKE $1 || '%' OR b.path LIKE $1 || '%' ORDER BY s.id`, [path])).rows;
}

/** Studios a teacher is (or was) a member of. */
export async function studiosOfTeacher(q: Queryable, teacherId: number): Promise<StudioRow[]> {
  return (await q.query<StudioRow>(`${STUDIO_SELECT} WHERE s.id IN (SELECT studio_id FROM studio_members WHERE teacher_id = $1) ORDER BY s.id`, [teacherId]))
    .rows;
}

export interface OrgRow {
  id: number;
  name: string;
  level: string;
  kind: string;
  path: string;
}
export async function lineageOf(q: Queryable, orgId: number): Promise<OrgRow[]> {
  return (
    await q.query<OrgRow>(
      `SELECT a.id, a.name, a.level, a.kind, a.path FROM orgs me JOIN orgs a ON me.path LIKE a.path || '%' WHERE me.id = $1 ORDER BY length(a.path)`,
      [orgId],
    )
  ).rows;
}

export interface TeacherRow {
  id: number;
  name: string;
  org_id: number;
  path: string;
}
export async function teacher(q: Queryable, id: number): Promise<TeacherRow | null> {
  return (
    (await q.query<TeacherRow>('SELECT t.id, t.name, t.org_id, o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1', [id])).rows[0] ?? null
  );
}

export async function insertStudio(
  q: Queryable,
  s: {
    name: string;
    kind: string;
    level: string;
    namingOrgId: number;
    baseOrgId: number;
    hostTeacherId: number;
    subject: string | null;
    planText: string;
    userId: number;
  },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO studios (name, kind, level, naming_org_id, base_org_id, host_teacher_id, subject, plan_text, applied_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [s.name, s.kind, s.level, s.namingOrgId, s.baseOrgId, s.hostTeacherId, s.subject, s.planText, s.userId],
    )
  ).rows[0].id;
}

export async function setStatus(
  q: Queryable,
  id: number,
  status: string,
  f: { namedOn?: string; termFrom?: string; termUntil?: string; reviewComment?: string | null } = {},
): Promise<void> {
  await q.query(
    `UPDATE studios SET status = $2, named_on = COALESCE($3::date, named_on), term_from = COALESCE($4::date, term_from),
            term_until = COALESCE($5::date, term_until), review_comment = COALESCE($6, review_comment) WHERE id = $1`,
    [id, status, f.namedOn ?? null, f.termFrom ?? null, f.termUntil ?? null, f.reviewComment ?? null],
  );
}

export async function insertHistory(
  q: Queryable,
  h: {
    studioId: number;
    action: string;
    from: string | null;
    to: string;
    onDate: string;
    comment: string | null;
    detail?: object;
    userId: number | null;
    orgId: number | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO studio_history (studio_id, action, from_status, to_status, on_date, comment, detail, user_id, org_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [h.studioId, h.action, h.from, h.to, h.onDate, h.comment, JSON.stringify(h.detail ?? {}), h.userId, h.orgId],
  );
}

export async function history(q: Queryable, studioId: number) {
  return (
    await q.query<{
      action: string;
      from_status: string | null;
      to_status: string;
      on_date: string;
      comment: string | null;
      detail: unknown;
      at: string;
      user_name: string | null;
    }>(
      `SELECT h.action, h.from_status, h.to_status, h.on_date::text AS on_date, h.comment, h.detail, h.at, u.display_name AS user_name
         FROM studio_history h LEFT JOIN users u ON u.id = h.user_id WHERE h.studio_id = $1 ORDER BY h.id`,
      [studioId],
    )
  ).rows;
}

// ------------------------------------------------------------------ members

export interface MemberRow {
  id: number;
  teacher_id: number;
  name: string;
  org_name: string;
  role: string;
  joined_on: string;
  left_on: string | null;
}
export async function members(q: Queryable, studioId: number): Promise<MemberRow[]> {
  return (
    await q.query<MemberRow>(
      `SELECT m.id, m.teacher_id, t.name, o.name AS org_name, m.role, m.joined_on::text AS joined_on, m.left_on::text AS left_on
         FROM studio_members m JOIN teachers t ON t.id = m.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE m.studio_id = $1 ORDER BY m.left_on IS NOT NULL, CASE m.role WHEN 'host' THEN 0 WHEN 'expert' THEN 1 ELSE 2 END, m.joined_on, m.id`,
      [studioId],
    )
  ).rows;
}

/** The teacher's memberships current on `date` in other studios that count against the cap. */
export async function otherCurrentStudios(q: Queryable, teacherId: number, studioId: number, date: string, states: readonly string[]) {
  return (
    await q.query<{ id: number; name: string }>(
      `SELECT DISTINCT s.id, s.name FROM studio_members m JOIN studios s ON s.id = m.studio_id
        WHERE m.teacher_id = $1 AND s.id <> $2 AND m.joined_on <= $3::date AND (m.left_on IS NULL OR m.left_on >= $3::date)
          AND s.status = ANY($4::text[]) ORDER BY s.id`,
      [teacherId, studioId, date, states],
    )
  ).rows;
}

/** Studios the teacher hosts that count against the cap (an application not yet named counts too). */
export async function hostedPending(q: Queryable, teacherId: number, studioId: number) {
  return (
    await q.query<{ id: number; name: string }>(`SELECT id, name FROM studios WHERE host_teacher_id = $1 AND id <> $2 AND status IN ('applying','reviewing')`, [
      teacherId,
      studioId,
    ])
  ).rows;
}

export async function currentMembership(q: Queryable, studioId: number, teacherId: number) {
  return (
    await q.query<{ id: number; role: string; joined_on: string }>(
      `SELECT id, role, joined_on::text AS joined_on FROM studio_members WHERE studio_id = $1 AND teacher_id = $2 AND left_on IS NULL FOR UPDATE`,
      [studioId, teacherId],
    )
  ).rows[0];
}

export async function insertMember(q: Queryable, m: { studioId: number; teacherId: number; role: string; joinedOn: string; userId: number }): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO studio_members (studio_id, teacher_id, role, joined_on, recorded_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
      m.studioId,
      m.teacherId,
      m.role,
      m.joinedOn,
      m.userId,
    ])
  ).rows[0].id;
}

export async function endMembership(q: Queryable, id: number, leftOn: string): Promise<void> {
  await q.query('UPDATE studio_members SET left_on = $2 WHERE id = $1 AND left_on IS NULL', [id, leftOn]);
}
export async function endAllMemberships(q: Queryable, studioId: number, leftOn: string): Promise<void> {
  await q.query('UPDATE studio_members SET left_on = GREATEST($2::date, joined_on) WHERE studio_id = $1 AND left_on IS NULL', [studioId, leftOn]);
}

/** Members current on some day of the year (enrolled in the yearly project). */
export async function membersInYear(q: Queryable, studioId: number, year: number): Promise<number[]> {
  return (
    await q.query<{ teacher_id: number }>(
      `SELECT DISTINCT teacher_id FROM studio_members WHERE studio_id = $1 AND joined_on <= make_date($2, 12, 31) AND (left_on IS NULL OR left_on >= make_date($2, 1, 1))`,
      [studioId, year],
    )
  ).rows.map((r) => r.teacher_id);
}

// ------------------------------------------------------------------ years, plans

export async function yearProject(q: Queryable, studioId: number, year: number): Promise<number | null> {
  return (
    (await q.query<{ project_id: number | null }>('SELECT project_id FROM studio_years WHERE studio_id = $1 AND year = $2 FOR UPDATE', [studioId, year]))
      .rows[0]?.project_id ?? null
  );
}

export async function insertYearProject(
  q: Queryable,
  p: { studioId: number; year: number; orgId: number; name: string; level: string; category: string; userId: number; chain: number[] },
): Promise<number> {
  const id = (
    await q.query<{ id: number }>(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('projects', 'id'))::int AS id)
       INSERT INTO projects (id, code, org_id, created_by, status, name, level, form, categories, target_hours, start_date, end_date,
                             approval_chain, approval_step, aims)
       SELECT n.id, 'P' || $1 || '-' || lpad(n.id::text, 6, '0'), $2, $3, 'running', $4, $5, 'schoolBased', ARRAY[$6]::text[], 0,
              make_date($1::int, 1, 1), make_date($1::int, 12, 31), $7::int[], GREATEST(cardinality($7::int[]) - 1, 0), $8 FROM n
       RETURNING id`,
      [String(p.year), p.orgId, p.userId, p.name, p.level, p.category, p.chain, '工作室年度研修活动：线下活动签到，年末由命名单位认定学时。'],
    )
  ).rows[0].id;
  await q.query(
    `INSERT INTO project_history (project_id, user_id, org_id, action, from_status, to_status, comment, detail)
     VALUES ($1, $2, $3, 'studioYear', NULL, 'running', '工作室年度研修项目（工作室经命名单位命名，不另行立项）', $4)`,
    [id, p.userId, p.orgId, JSON.stringify({ studioId: p.studioId, year: p.year })],
  );
  await q.query(
    `INSERT INTO studio_years (studio_id, year, project_id) VALUES ($1, $2, $3)
     ON CONFLICT (studio_id, year) DO UPDATE SET project_id = EXCLUDED.project_id`,
    [p.studioId, p.year, id],
  );
  return id;
}

/** The studio's yearly projects (学时认定 runs on them) with their status. */
export async function yearProjects(q: Queryable, studioId: number) {
  return (
    await q.query<{ year: number; project_id: number; status: string }>(
      `SELECT y.year, y.project_id, p.status FROM studio_years y JOIN projects p ON p.id = y.project_id WHERE y.studio_id = $1 ORDER BY y.year DESC`,
      [studioId],
    )
  ).rows;
}

/** The logins of teachers who are members of the studio on a date (for notifications). */
export async function memberUsersOn(q: Queryable, studioId: number, date: string): Promise<number[]> {
  return (
    await q.query<{ id: number }>(
      `SELECT DISTINCT u.id FROM studio_members m JOIN users u ON u.teacher_id = m.teacher_id AND u.active
        WHERE m.studio_id = $1 AND m.joined_on <= $2::date AND (m.left_on IS NULL OR m.left_on >= $2::date)`,
      [studioId, date],
    )
  ).rows.map((r) => r.id);
}

/** The logins of a teacher (the host, for notifications). */
export async function usersOfTeacher(q: Queryable, teacherId: number): Promise<number[]> {
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1 AND active', [teacherId])).rows.map((r) => r.id);
}

export async function enrol(q: Queryable, projectId: number, teacherIds: number[], userId: number): Promise<void> {
  if (!teacherIds.length) return;
  await q.query(
    `INSERT INTO enrolments (project_id, teacher_id, status, source, enrolled_by, decided_by, decided_at)
     SELECT $1, unnest($2::int[]), 'approved', 'organiser', $3, $3, now()
     ON CONFLICT (project_id, teacher_id) DO UPDATE SET status = 'approved', decided_by = EXCLUDED.decided_by, decided_at = now()`,
    [projectId, teacherIds, userId],
  );
}

export async function projectStatus(q: Queryable, projectId: number): Promise<string | null> {
  return (await q.query<{ status: string }>('SELECT status FROM projects WHERE id = $1', [projectId])).rows[0]?.status ?? null;
}

export async function supersedePlan(q: Queryable, studioId: number, year: number): Promise<void> {
  await q.query('UPDATE studio_plans SET superseded_at = now() WHERE studio_id = $1 AND year = $2 AND superseded_at IS NULL', [studioId, year]);
}
export async function insertPlan(q: Queryable, p: { studioId: number; year: number; body: string; planned: unknown[]; userId: number }): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO studio_plans (studio_id, year, body, planned, recorded_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
      p.studioId,
      p.year,
      p.body,
      JSON.stringify(p.planned),
      p.userId,
    ])
  ).rows[0].id;
}
export async function plans(q: Queryable, studioId: number) {
  return (
    await q.query<{ id: number; year: number; body: string; planned: unknown; recorded_at: string; superseded_at: string | null }>(
      'SELECT id, year, body, planned, recorded_at, superseded_at FROM studio_plans WHERE studio_id = $1 ORDER BY year DESC, id DESC',
      [studioId],
    )
  ).rows;
}

// ------------------------------------------------------------------ activities, outputs

export async function insertActivity(
  q: Queryable,
  a: {
    studioId: number;
    kind: string;
    title: string;
    mode: string;
    heldOn: string;
    place: string | null;
    ledBy: number | null;
    sessionId: number | null;
    userId: number;
  },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO studio_activities (studio_id, kind, title, mode, held_on, place, led_by_teacher_id, session_id, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [a.studioId, a.kind, a.title, a.mode, a.heldOn, a.place, a.ledBy, a.sessionId, a.userId],
    )
  ).rows[0].id;
}

export interface ActivityRow {
  id: number;
  kind: string;
  title: string;
  mode: string;
  held_on: string;
  place: string | null;
  led_by_teacher_id: number | null;
  led_by_name: string | null;
  session_id: number | null;
  checkin_open: boolean | null;
  attended: number;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
}
export async function activities(q: Queryable, studioId: number, year?: number): Promise<ActivityRow[]> {
  return (
    await q.query<ActivityRow>(
      `SELECT a.id, a.kind, a.title, a.mode, a.held_on::text AS held_on, a.place, a.led_by_teacher_id, t.name AS led_by_name, a.session_id,
              ps.checkin_open, (SELECT count(*)::int FROM attendance x WHERE x.session_id = a.session_id) AS attended,
              a.withdrawn_at, a.withdrawn_reason
         FROM studio_activities a LEFT JOIN teachers t ON t.id = a.led_by_teacher_id LEFT JOIN project_sessions ps ON ps.id = a.session_id
        WHERE a.studio_id = $1 AND ($2::int IS NULL OR extract(year FROM a.held_on)::int = $2)
        ORDER BY a.held_on DESC, a.id DESC`,
      [studioId, year ?? null],
    )
  ).rows;
}

export async function withdrawActivity(q: Queryable, studioId: number, id: number, reason: string): Promise<{ session_id: number | null } | null> {
  return (
    (
      await q.query<{ session_id: number | null }>(
        `UPDATE studio_activities SET withdrawn_at = now(), withdrawn_reason = $3 WHERE id = $2 AND studio_id = $1 AND withdrawn_at IS NULL RETURNING session_id`,
        [studioId, id, reason],
      )
    ).rows[0] ?? null
  );
}

export async function insertOutput(
  q: Queryable,
  o: { studioId: number; kind: string; title: string; producedOn: string; teacherId: number | null; userId: number },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      'INSERT INTO studio_outputs (studio_id, kind, title, produced_on, teacher_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [o.studioId, o.kind, o.title, o.producedOn, o.teacherId, o.userId],
    )
  ).rows[0].id;
}
export async function outputs(q: Queryable, studioId: number, year?: number) {
  return (
    await q.query<{
      id: number;
      kind: string;
      title: string;
      produced_on: string;
      teacher_id: number | null;
      teacher_name: string | null;
      withdrawn_at: string | null;
    }>(
      `SELECT o.id, o.kind, o.title, o.produced_on::text AS produced_on, o.teacher_id, t.name AS teacher_name, o.withdrawn_at
         FROM studio_outputs o LEFT JOIN teachers t ON t.id = o.teacher_id
        WHERE o.studio_id = $1 AND ($2::int IS NULL OR extract(year FROM o.produced_on)::int = $2) ORDER BY o.produced_on DESC, o.id DESC`,
      [studioId, year ?? null],
    )
  ).rows;
}
export interface YearFigures {
  studio_id: number;
  activities: number;
  dual: number;
  outputs: Record<string, number>;
  experts: { teacherId: number; name: string; demos: number }[];
}
/**
 * A year's figures of several studios in one query (the board; computeYear for one): activities held, distinct
 * 双师型 teachers cultivated, outputs by kind (withdrawn ones left out), and each expert member of the year with the
 * activities they led.
 */
export async function yearFigures(q: Queryable, studioIds: number[], year: number): Promise<Map<number, YearFigures>> {
  const rows = (
    await q.query<YearFigures>(
      `WITH acts AS (SELECT a.studio_id, a.led_by_teacher_id FROM studio_activities a
                      WHERE a.studio_id = ANY($1::int[]) AND a.withdrawn_at IS NULL AND extract(year FROM a.held_on)::int = $2),
            outs AS (SELECT o.studio_id, o.kind, o.teacher_id FROM studio_outputs o
                      WHERE o.studio_id = ANY($1::int[]) AND o.withdrawn_at IS NULL AND extract(year FROM o.produced_on)::int = $2)
       SELECT s.id AS studio_id,
              (SELECT count(*)::int FROM acts WHERE acts.studio_id = s.id) AS activities,
              (SELECT count(DISTINCT teacher_id)::int FROM outs WHERE outs.studio_id = s.id AND outs.kind = 'dualQualified') AS dual,
              (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                 FROM (SELECT kind, count(*)::int AS n FROM outs WHERE outs.studio_id = s.id GROUP BY kind) k) AS outputs,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('teacherId', m.teacher_id, 'name', t.name,
                        'demos', (SELECT count(*)::int FROM acts WHERE acts.studio_id = s.id AND acts.led_by_teacher_id = m.teacher_id))
                        ORDER BY m.left_on IS NOT NULL, m.joined_on, m.id), '[]'::jsonb)
                 FROM studio_members m JOIN teachers t ON t.id = m.teacher_id
                WHERE m.studio_id = s.id AND m.role = 'expert' AND m.joined_on <= make_date($2, 12, 31)
                  AND (m.left_on IS NULL OR m.left_on >= make_date($2, 1, 1))) AS experts
         FROM studios s WHERE s.id = ANY($1::int[])`,
      [studioIds, year],
    )
  ).rows;
  return new Map(rows.map((r) => [r.studio_id, r]));
}

export async function withdrawOutput(q: Queryable, studioId: number, id: number, reason: string): Promise<boolean> {
  return (
    ((
      await q.query('UPDATE studio_outputs SET withdrawn_at = now(), withdrawn_reason = $3 WHERE id = $2 AND studio_id = $1 AND withdrawn_at IS NULL', [
        studioId,
        id,
        reason,
      ])
    ).rowCount ?? 0) > 0
  );
}

// ------------------------------------------------------------------ assessments

export async function assessments(q: Queryable, studioId: number) {
  return (
    await q.query<{
      id: number;
      year: number;
      computed: unknown;
      duties_met: boolean;
      grade: string;
      comment: string | null;
      outcome: string;
      decided_on: string;
    }>(
      `SELECT id, year, computed, duties_met, grade, comment, outcome, decided_on::text AS decided_on FROM studio_assessments WHERE studio_id = $1 ORDER BY year`,
      [studioId],
    )
  ).rows;
}
export async function insertAssessment(
  q: Queryable,
  a: {
    studioId: number;
    year: number;
    computed: object;
    dutiesMet: boolean;
    grade: string;
    comment: string | null;
    outcome: string;
    decidedOn: string;
    userId: number;
  },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO studio_assessments (studio_id, year, computed, duties_met, grade, comment, outcome, decided_on, decided_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [a.studioId, a.year, JSON.stringify(a.computed), a.dutiesMet, a.grade, a.comment, a.outcome, a.decidedOn, a.userId],
    )
  ).rows[0].id;
}

/** Active teachers under a path whose name contains `q` (name and school only: what picking a member needs). */
export async function candidates(q: Queryable, path: string, text: string) {
  return (
    await q.query<{ id: number; name: string; org_name: string }>(
      `SELECT t.id, t.name, o.name AS org_name FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $1 || '%' AND t.status = 'active' AND ($2 = '' OR strpos(t.name, $2) > 0)
        ORDER BY t.name, t.id LIMIT 20`,
      [path, text],
    )
  ).rows;
}
