/**
 * The platform's own records of what a region did in a year (the report's 已采取的措施): deadline reminders the
 * platform sent for the policy's rules, and training projects its teachers took part in, by category. Counts
 * only — no names (the report goes upward; personal data stays aggregate).
 */
import type { Queryable } from '../../db/db.js';
import { localInstant, addDays } from '../../platform/china-time.js';

export interface ReminderCount {
  ruleId: string;
  reminders: number;
  recipients: number;
}

/**
 * Deadline reminders (notifications of kind 'deadline', keyed `deadline:<policy>:<rule>:…`) sent from..to (China
 * days, inclusive) to accounts of the subtree: a teacher of a school in it, or an admin role held at an org in it.
 */
export async function remindersSent(q: Queryable, policyId: number, path: string, from: string, to: string): Promise<ReminderCount[]> {
  const r = await q.query<{ rule_id: string; reminders: number; recipients: number }>(
    `SELECT split_part(n.dedupe_key, ':', 3) AS rule_id, count(*)::int AS reminders, count(DISTINCT n.user_id)::int AS recipients
       FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.kind = 'deadline' AND n.dedupe_key LIKE $1
        AND n.created_at >= $2 AND n.created_at < $3
        AND (EXISTS (SELECT 1 FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = u.teacher_id AND o.path LIKE $4 || '%')
             OR EXISTS (SELECT 1 FROM user_roles ur JOIN orgs o ON o.id = ur.org_id WHERE ur.user_id = u.id AND o.path LIKE $4 || '%'))
      GROUP BY 1 ORDER BY 1`,
    [`deadline:${policyId}:%`, localInstant(from, '00:00'), localInstant(addDays(to, 1), '00:00'), path],
  );
  return r.rows.map((x) => ({ ruleId: x.rule_id, reminders: x.reminders, recipients: x.recipients }));
}

export interface ProjectCount {
  category: string;
  projects: number;
  teachers: number;
}

/**
 * Training projects (not drafts, rejected or deleted) starting from..to with at least one enrolled teacher of the
 * subtree, per category they carry: how many projects and how many distinct teachers of the subtree enrolled.
 */
export async function projectsRun(q: Queryable, path: string, from: string, to: string): Promise<ProjectCount[]> {
  const r = await q.query<{ category: string; projects: number; teachers: number }>(
    `SELECT c.category, count(DISTINCT p.id)::int AS projects, count(DISTINCT e.teacher_id)::int AS teachers
       FROM projects p
       CROSS JOIN LATERAL unnest(CASE WHEN cardinality(p.categories) = 0 THEN ARRAY['']::text[] ELSE p.categories END) AS c(category)
       JOIN enrolments e ON e.project_id = p.id
       JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE o.path LIKE $1 || '%'
        AND p.status NOT IN ('draft','submitted','rejected','deleted')
        AND p.start_date BETWEEN $2 AND $3
      GROUP BY c.category ORDER BY projects DESC, c.category`,
    [path, from, to],
  );
  return r.rows;
}

/** The org above (the report's 主送), when there is one. */
export async function parentName(q: Queryable, parentId: number | null): Promise<string | null> {
  if (parentId === null) return null;
  const r = await q.query<{ name: string }>('SELECT name FROM orgs WHERE id = $1', [parentId]);
  return r.rows[0]?.name ?? null;
}
