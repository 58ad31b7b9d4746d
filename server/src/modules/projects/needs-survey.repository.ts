import type { Queryable } from '../../db/db.js';
import type { Audience, SurveyStatus } from './lifecycle.js';
import type { Answer, Question } from './needs-survey.schema.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';

export interface SurveyRow {
  id: number;
  project_id: number;
  title: string;
  questions: Question[];
  status: SurveyStatus;
  created_at: Date;
  published_at: Date | null;
  closed_at: Date | null;
}

const SELECT = 'SELECT id, project_id, title, questions, status, created_at, published_at, closed_at FROM needs_surveys';

export async function findByProject(q: Queryable, projectId: number, lock = false): Promise<SurveyRow | null> {
  return (await q.query<SurveyRow>(`${SELECT} WHERE project_id = $1${lock ? ' FOR UPDATE' : ''}`, [projectId])).rows[0] ?? null;
}

export async function findById(q: Queryable, id: number): Promise<SurveyRow | null> {
  return (await q.query<SurveyRow>(`${SELECT} WHERE id = $1`, [id])).rows[0] ?? null;
}

/** Create the project's survey or overwrite its draft. */
export async function saveDraft(q: Queryable, projectId: number, title: string, questions: Question[], userId: number): Promise<void> {
  await q.query(
    `INSERT INTO needs_surveys (project_id, title, questions, created_by) VALUES ($1,$2,$3,$4)
     ON CONFLICT (project_id) DO UPDATE SET title = EXCLUDED.title, questions = EXCLUDED.questions`,
    [projectId, title, JSON.stringify(questions), userId],
  );
}

export async function setStatus(q: Queryable, id: number, status: SurveyStatus): Promise<void> {
  await q.query(
    `UPDATE needs_surveys SET status = $2,
            published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END,
            closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
      WHERE id = $1`,
    [id, status],
  );
}

/** Close the project's survey if it is still collecting answers (the plan became final). */
export async function closeForProject(q: Queryable, projectId: number): Promise<boolean> {
  const r = await q.query(`UPDATE needs_surveys SET status = 'closed', closed_at = now() WHERE project_id = $1 AND status = 'published'`, [projectId]);
  return r.rowCount > 0;
}

/** Record a teacher's answers; false when they had already answered (the primary key decides). */
export async function insertAnswers(q: Queryable, surveyId: number, teacherId: number, answers: Answer[]): Promise<boolean> {
  const r = await q.query('INSERT INTO needs_survey_answers (survey_id, teacher_id, answers) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [
    surveyId,
    teacherId,
    JSON.stringify(answers),
  ]);
  return r.rowCount > 0;
}

export async function hasAnswered(q: Queryable, surveyIds: number[], teacherId: number): Promise<Set<number>> {
  if (!surveyIds.length) return new Set();
  const r = await q.query<{ survey_id: number }>('SELECT survey_id FROM needs_survey_answers WHERE survey_id = ANY($1::int[]) AND teacher_id = $2', [
    surveyIds,
    teacherId,
  ]);
  return new Set(r.rows.map((x) => x.survey_id));
}

export interface AnswerRow {
  teacher_name: string;
  org_name: string;
  answers: Answer[];
  answered_at: Date;
}

export async function listAnswers(q: Queryable, surveyId: number): Promise<AnswerRow[]> {
  return (
    await q.query<AnswerRow>(
      `SELECT t.name AS teacher_name, o.name AS org_name, a.answers, a.answered_at
         FROM needs_survey_answers a JOIN teachers t ON t.id = a.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE a.survey_id = $1 ORDER BY a.answered_at, t.id LIMIT 20000`,
      [surveyId],
    )
  ).rows;
}

const AUDIENCE_WHERE = `o.path LIKE $1 || '%' AND t.status = 'active'
  AND (cardinality($2::text[]) = 0 OR t.stage = ANY($2::text[]))
  AND (cardinality($3::text[]) = 0 OR t.subjects && $3::text[])
  AND (cardinality($4::text[]) = 0 OR EXISTS (SELECT 1 FROM teacher_roles r WHERE r.teacher_id = t.id AND r.role = ANY($4::text[]) AND (r.until IS NULL OR r.until >= ${SQL_TODAY_IN_CHINA})))
  AND (cardinality($5::text[]) = 0 OR t.title = ANY($5::text[]))`;

const audienceParams = (regionPath: string, a: Audience) => [regionPath, a.stages ?? [], a.subjects ?? [], a.roles ?? [], a.titles ?? []];

/** How many active teachers of the region match the audience (the survey's target population). */
export async function countTargets(q: Queryable, regionPath: string, a: Audience): Promise<number> {
  return (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE ${AUDIENCE_WHERE}`,
      audienceParams(regionPath, a),
    )
  ).rows[0].n;
}

/** The user accounts of the target teachers (for the publish notification). */
export async function targetUserIds(q: Queryable, regionPath: string, a: Audience): Promise<number[]> {
  return (
    await q.query<{ id: number }>(
      `SELECT u.id FROM users u JOIN teachers t ON t.id = u.teacher_id JOIN orgs o ON o.id = t.org_id WHERE u.active AND ${AUDIENCE_WHERE}`,
      audienceParams(regionPath, a),
    )
  ).rows.map((r) => r.id);
}

/** Surveys (published by default) of projects whose region contains orgPath. */
export async function publishedServing(
  q: Queryable,
  orgPath: string,
  statuses: SurveyStatus[] = ['published'],
): Promise<(SurveyRow & { project_name: string; audience: Audience })[]> {
  return (
    await q.query<SurveyRow & { project_name: string; audience: Audience }>(
      `SELECT s.id, s.project_id, s.title, s.questions, s.status, s.created_at, s.published_at, s.closed_at, p.name AS project_name, p.audience
         FROM needs_surveys s JOIN projects p ON p.id = s.project_id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs par ON par.id = o.parent_id
        WHERE s.status = ANY($2::text[])
          AND $1 LIKE (CASE WHEN o.kind IN ('institution','devCenter','researchOffice') THEN COALESCE(par.path, o.path) ELSE o.path END) || '%'
        ORDER BY s.published_at DESC LIMIT 100`,
      [orgPath, statuses],
    )
  ).rows;
}
