import type { Queryable } from '../../db/db.js';

// Demo 专家库 of the city, and the demo 评审专家 login `expert`. Deterministic: fixed people, and the
// projects are chosen by a fixed order over the (deterministic) demo projects.

const DEMO_EXPERTS = [
  { name: '郭文博', affiliation: '内蒙古师范大学教师教育学院', title: '教授', fields: ['班主任工作', '师德师风'], level: 'province' },
  { name: '包乌兰', affiliation: '塞北市教育科学研究所', title: '正高级教师', fields: ['心理健康教育'], level: 'city' },
  { name: '陈思远', affiliation: '塞北师范高等专科学校', title: '副教授', fields: ['信息技术', '教学设计'], level: 'city' },
  { name: '白玉兰', affiliation: '塞北市第一中学', title: '正高级教师', fields: ['学科教学'], level: 'city' },
] as const;

/**
 * Add the city's expert pool, link the first expert to a new `expert` account (same password hash as the
 * city admin's demo account) and assign the first two experts to three city-level projects (two 已结项, one
 * 实施中); the second expert has one score entered on their behalf (代录) by the city admin.
 */
export async function seedDemoExperts(q: Queryable, cityOrgId: number, cityAdminId: number): Promise<{ experts: number; assignments: number }> {
  const ids: number[] = [];
  for (const e of DEMO_EXPERTS) {
    const r = await q.query<{ id: number }>(
      `INSERT INTO experts (org_id, name, affiliation, title, fields, level, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [cityOrgId, e.name, e.affiliation, e.title, [...e.fields], e.level, cityAdminId],
    );
    ids.push(r.rows[0].id);
  }
  const user = await q.query<{ id: number }>(
    `INSERT INTO users (id, username, password_hash, display_name)
     SELECT (SELECT max(id) + 1 FROM users), 'expert', password_hash, $2 FROM users WHERE id = $1 RETURNING id`,
    [cityAdminId, DEMO_EXPERTS[0].name],
  );
  await q.query(`INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, 'expert', $2)`, [user.rows[0].id, cityOrgId]);
  await q.query('UPDATE experts SET user_id = $1 WHERE id = $2', [user.rows[0].id, ids[0]]);
  const projects = (
    await q.query<{ id: number; status: string }>(
      `(SELECT id, status FROM projects WHERE level = 'city' AND status = 'closed' ORDER BY end_date DESC NULLS LAST, id DESC LIMIT 2)
       UNION ALL
       (SELECT id, status FROM projects WHERE level = 'city' AND status = 'running' ORDER BY start_date DESC NULLS LAST, id DESC LIMIT 1)`,
    )
  ).rows;
  let assignments = 0;
  for (const p of projects) {
    for (const e of ids.slice(0, 2)) {
      await q.query('INSERT INTO project_experts (project_id, expert_id, assigned_by) VALUES ($1,$2,$3)', [p.id, e, cityAdminId]);
      assignments++;
    }
  }
  if (projects[0]) {
    await q.query(`INSERT INTO expert_scores (project_id, expert_id, criteria, total, comment, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)`, [
      projects[0].id,
      ids[1],
      JSON.stringify({ design: 88, faculty: 90, delivery: 84, effect: 86 }),
      87,
      '课程设置贴近一线，建议增加跟踪指导。',
      cityAdminId,
    ]);
  }
  return { experts: ids.length, assignments };
}
