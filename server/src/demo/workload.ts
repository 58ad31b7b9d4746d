import type { Queryable } from '../db/db.js';
import { DEFAULT_COMMENT_LABEL, DEFAULT_SURVEY_QUESTIONS } from '../modules/evaluations/evaluations.schema.js';
import { isoOf, stamp, workday, yearOf } from './calendar.js';
import type { OrgPlan } from './org-plan.js';
import { Rng } from './prng.js';
import type { DemoUsers } from './training-gen.js';

/**
 * The work waiting on the reference date, so every role's pages have something to do today: 个人申报 (claims)
 * waiting at the demo school and at the demo county, proposals waiting for 立项审批 at the county and at the city,
 * and the anonymous survey of the project running today, open. Written as the modules' own workflows leave
 * them (status, history events); dates relative to the reference date; deterministic for a seed and date.
 * Runs after the id sequences are synced (rows take ordinary ids).
 */
export async function seedDemoWorkload(q: Queryable, o: { plan: OrgPlan; users: DemoUsers; refDay: number; seed: number }): Promise<Record<string, number>> {
  const { plan, users, refDay } = o;
  const rng = Rng.of(o.seed, 'workload');
  const county = plan.counties[plan.demoCounty];
  const school = plan.demoSchool;
  const other = county.schools.find((s) => s !== school && s.teachers >= 3) ?? school;

  // ---------------------------------------------------------------- 个人申报
  type ClaimPlan = { teacher: number; title: string; category: string; hours: number; ago: number; status: 'submitted' | 'schoolApproved' | 'draft' };
  const firstOf = (s: typeof school, k: number) => s.firstTeacher + 1 + (k % s.teachers);
  const claims: ClaimPlan[] = [
    // The demo teacher's own: one waiting at the school, one still a draft.
    { teacher: firstOf(school, 0), title: '自治区中小学班主任网络研修', category: 'homeroom', hours: 12, ago: 20, status: 'submitted' },
    { teacher: firstOf(school, 0), title: '“教育家精神”专题读书分享', category: 'ethics', hours: 2, ago: 6, status: 'draft' },
    { teacher: firstOf(school, 2), title: '市级优质课评选观摩研修', category: 'subject', hours: 6, ago: 15, status: 'submitted' },
    { teacher: firstOf(school, 3), title: '人工智能通识课程线上学习', category: 'it', hours: 8, ago: 11, status: 'submitted' },
    { teacher: firstOf(school, 4), title: '中小学心理健康教育骨干教师培训', category: 'psych', hours: 16, ago: 34, status: 'schoolApproved' },
    { teacher: firstOf(school, 5), title: '学科大单元教学设计工作坊', category: 'subject', hours: 10, ago: 27, status: 'schoolApproved' },
    { teacher: firstOf(other, 0), title: '自治区级骨干教师线上研修', category: 'subject', hours: 10, ago: 18, status: 'submitted' },
    { teacher: firstOf(other, 1), title: '全国教师信息素养提升实践活动', category: 'it', hours: 6, ago: 9, status: 'submitted' },
  ];
  const userOf = async (teacherId: number): Promise<number | null> =>
    (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1 ORDER BY id LIMIT 1', [teacherId])).rows[0]?.id ?? null;
  let nClaims = 0;
  for (const c of claims) {
    const uid = await userOf(c.teacher);
    const active = await q.query('SELECT 1 FROM teachers WHERE id = $1 AND status = $2', [c.teacher, 'active']);
    if (!uid || !active.rows.length) continue;
    const occurred = workday(refDay - c.ago - 10);
    if (occurred >= refDay) continue;
    const created = stamp(Math.min(refDay - 1, occurred + 2), '20:15');
    const submitted = stamp(Math.min(refDay - 1, occurred + 3), '08:40');
    const r = await q.query<{ id: number }>(
      `INSERT INTO hour_claims (teacher_id, title, category, hours, occurred_on, description, status, created_by, created_at, updated_at, submitted_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10) RETURNING id`,
      [
        c.teacher,
        c.title,
        c.category,
        c.hours,
        isoOf(occurred),
        `参加${c.title}，共 ${c.hours} 学时，附结业证明。`,
        c.status,
        uid,
        created,
        c.status === 'draft' ? null : submitted,
      ],
    );
    const id = r.rows[0].id;
    if (c.status !== 'draft') {
      await q.query(`INSERT INTO hour_claim_events (claim_id, at, user_id, action, from_status, to_status) VALUES ($1,$2,$3,'submit','draft','submitted')`, [
        id,
        submitted,
        uid,
      ]);
    }
    if (c.status === 'schoolApproved') {
      await q.query(
        `INSERT INTO hour_claim_events (claim_id, at, user_id, action, from_status, to_status, comment)
         VALUES ($1,$2,$3,'schoolApprove','submitted','schoolApproved','证明材料齐全，同意上报')`,
        [id, stamp(Math.min(refDay - 1, occurred + 6), '15:30'), users.schoolAdmin],
      );
    }
    nClaims++;
  }

  // ---------------------------------------------------------------- 立项申报 waiting for approval
  const proposals = [
    {
      orgId: school.org.id,
      createdBy: users.schoolAdmin,
      level: 'school',
      form: 'schoolBased',
      name: `${school.org.name}${yearOf(refDay + 40)}年“大单元教学”校本研修`,
      chain: [county.bureau.id],
      from: refDay + 40,
      plan: [
        { title: '思想政治与师德师风教育', hours: 2, category: 'ethics' },
        { title: '校本研修', hours: 10, category: 'schoolBased' },
      ],
    },
    {
      orgId: plan.institutions[0].id,
      createdBy: users.institution,
      level: 'city',
      form: 'inPerson',
      name: `${yearOf(refDay + 75)}年全市中小学青年教师教学基本功提升培训`,
      chain: [plan.city.id],
      from: refDay + 75,
      plan: [
        { title: '思想政治与师德师风教育', hours: 3, category: 'ethics' },
        { title: '学科教学能力提升', hours: 21, category: 'subject' },
      ],
    },
  ];
  for (const p of proposals) {
    const start = workday(p.from);
    const end = workday(start + 14);
    const hours = p.plan.reduce((a, m) => a + m.hours, 0);
    const submitted = stamp(refDay - 2 - rng.int(0, 3), '10:20');
    const r = await q.query<{ id: number }>(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('projects', 'id'))::int AS id)
       INSERT INTO projects (id, code, org_id, name, level, form, categories, target_hours, start_date, end_date, status, created_by, created_at,
                             plan, audience, approval_chain, approval_step, pending_org_id)
       SELECT n.id, 'P' || $1 || '-' || lpad(n.id::text, 6, '0'), $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10, $11, $12, $13, $14, 0, $15 FROM n
       RETURNING id`,
      [
        String(yearOf(start)),
        p.orgId,
        p.name,
        p.level,
        p.form,
        [...new Set(p.plan.map((m) => m.category))],
        hours,
        isoOf(start),
        isoOf(end),
        p.createdBy,
        stamp(refDay - 9, '16:00'),
        JSON.stringify(p.plan),
        JSON.stringify({ stages: [], subjects: [], roles: [], titles: [] }),
        p.chain,
        p.chain[0],
      ],
    );
    const id = r.rows[0].id;
    await q.query(
      `INSERT INTO project_history (project_id, at, user_id, org_id, action, from_status, to_status, detail) VALUES ($1,$2,$3,$4,'create',NULL,'draft','{}')`,
      [id, stamp(refDay - 9, '16:00'), p.createdBy, p.orgId],
    );
    const names = (await q.query<{ name: string }>('SELECT name FROM orgs WHERE id = ANY($1::int[]) ORDER BY array_position($1::int[], id)', [p.chain])).rows;
    await q.query(
      `INSERT INTO project_history (project_id, at, user_id, org_id, action, from_status, to_status, detail) VALUES ($1,$2,$3,$4,'submit','draft','submitted',$5)`,
      [id, submitted, p.createdBy, p.orgId, JSON.stringify({ chain: names.map((x) => x.name) })],
    );
  }

  // ---------------------------------------------------------------- 匿名评价 open
  // The project running today (the demo county's, with a session today) asks its participants for feedback.
  const running = await q.query<{ id: number; name: string; created_by: number }>(
    `SELECT p.id, p.name, p.created_by FROM projects p WHERE p.status = 'running' AND p.org_id = $1
        AND EXISTS (SELECT 1 FROM project_sessions s WHERE s.project_id = p.id AND s.date = $2::date) ORDER BY p.id LIMIT 1`,
    [county.bureau.id, isoOf(refDay)],
  );
  let surveys = 0;
  for (const p of running.rows) {
    await q.query(`INSERT INTO surveys (project_id, title, questions, comment_label, status, created_by, created_at) VALUES ($1,$2,$3,$4,'open',$5,$6)`, [
      p.id,
      `「${p.name}」培训效果匿名评价`,
      JSON.stringify(DEFAULT_SURVEY_QUESTIONS.map((label, i) => ({ key: `q${i + 1}`, label }))),
      DEFAULT_COMMENT_LABEL,
      p.created_by,
      stamp(refDay - 3, '17:00'),
    ]);
    surveys++;
  }
  return { hour_claims: nClaims, proposals: proposals.length, surveys };
}
