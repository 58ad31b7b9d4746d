import type { Queryable } from '../../db/db.js';

// All SQL of the evaluations module: the anonymous survey, inspections, per-project score inputs, the
// institution scorecard and qualification status. Project-owned rows are scoped by the owner org's path.

export interface EvalProjectRow {
  id: number;
  code: string;
  name: string;
  status: string;
  org_id: number;
  org_name: string;
  org_kind: string;
  start_date: string | null;
  end_date: string | null;
}

/** A project whose owner org lies under scopePath, else null. */
export async function findProject(q: Queryable, scopePath: string, id: number): Promise<EvalProjectRow | null> {
  const r = await q.query<EvalProjectRow>(
    `SELECT p.id, p.code, p.name, p.status, p.org_id, o.name AS org_name, o.kind AS org_kind, p.start_date, p.end_date
       FROM projects p JOIN orgs o ON o.id = p.org_id
      WHERE p.id = $1 AND o.path LIKE $2 || '%'`,
    [id, scopePath],
  );
  return r.rows[0] ?? null;
}

// ---------------------------------------------------------------- survey

export interface SurveyQuestion {
  key: string;
  label: string;
}

export interface SurveyRow {
  id: number;
  project_id: number;
  title: string;
  questions: SurveyQuestion[];
  comment_label: string;
  status: 'open' | 'closed';
  created_at: Date;
  answer_count: number;
  /** Answers in released batches: the only ones any result or score is computed from. */
  released_count: number;
}

const SURVEY_SELECT = `SELECT s.id, s.project_id, s.title, s.questions, s.comment_label, s.status, s.created_at,
    (SELECT count(*)::int FROM survey_answers a WHERE a.survey_id = s.id) AS answer_count,
    (SELECT count(*)::int FROM survey_answers a WHERE a.survey_id = s.id AND a.released) AS released_count
  FROM surveys s`;

export async function findSurveyByProject(q: Queryable, projectId: number): Promise<SurveyRow | null> {
  return (await q.query<SurveyRow>(`${SURVEY_SELECT} WHERE s.project_id = $1`, [projectId])).rows[0] ?? null;
}

/**
 * Lock the survey row for the rest of the transaction: answers of one survey are written one at a time,
 * because each submission rewrites the whole answer set (see insertAnswerShuffled).
 */
export async function lockSurvey(q: Queryable, id: number): Promise<SurveyRow | null> {
  const r = await q.query<{ id: number }>('SELECT id FROM surveys WHERE id = $1 FOR UPDATE', [id]);
  if (!r.rows[0]) return null;
  return (await q.query<SurveyRow>(`${SURVEY_SELECT} WHERE s.id = $1`, [id])).rows[0] ?? null;
}

export async function insertSurvey(
  q: Queryable,
  s: { projectId: number; title: string; questions: SurveyQuestion[]; commentLabel: string; createdBy: number },
): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO surveys (project_id, title, questions, comment_label, created_by) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (project_id) DO NOTHING RETURNING id`,
    [s.projectId, s.title, JSON.stringify(s.questions), s.commentLabel, s.createdBy],
  );
  return r.rows[0]?.id ?? null;
}

export async function updateSurvey(q: Queryable, id: number, s: { title: string; questions: SurveyQuestion[]; commentLabel: string }): Promise<void> {
  await q.query('UPDATE surveys SET title = $2, questions = $3, comment_label = $4 WHERE id = $1', [id, s.title, JSON.stringify(s.questions), s.commentLabel]);
}

export async function setSurveyStatus(q: Queryable, id: number, status: 'open' | 'closed'): Promise<void> {
  await q.query('UPDATE surveys SET status = $2 WHERE id = $1', [id, status]);
}

/** Teachers who attended at least one session of the project: the people who may answer. */
export async function countAttendees(q: Queryable, projectId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(
      `SELECT count(DISTINCT a.teacher_id)::int AS n FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = $1`,
      [projectId],
    )
  ).rows[0].n;
}

/** Login accounts of the project's attendees (to tell them the survey is open). */
export async function attendeeUserIds(q: Queryable, projectId: number): Promise<number[]> {
  return (
    await q.query<{ id: number }>(
      `SELECT DISTINCT u.id FROM users u
        WHERE u.active AND u.teacher_id IN (SELECT a.teacher_id FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = $1)`,
      [projectId],
    )
  ).rows.map((r) => r.id);
}

export async function hasAttended(q: Queryable, projectId: number, teacherId: number): Promise<boolean> {
  const r = await q.query(`SELECT 1 FROM attendance a JOIN project_sessions s ON s.id = a.session_id WHERE s.project_id = $1 AND a.teacher_id = $2 LIMIT 1`, [
    projectId,
    teacherId,
  ]);
  return r.rows.length > 0;
}

export interface MySurveyRow {
  survey_id: number;
  project_id: number;
  project_name: string;
  org_name: string;
  title: string;
  status: 'open' | 'closed';
  answered: boolean;
}

/** Surveys of the projects the teacher attended, with whether they have answered (their own fact). */
export async function surveysForTeacher(q: Queryable, teacherId: number, surveyId?: number): Promise<MySurveyRow[]> {
  return (
    await q.query<MySurveyRow>(
      `SELECT s.id AS survey_id, p.id AS project_id, p.name AS project_name, o.name AS org_name, s.title, s.status,
              EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = s.id AND r.teacher_id = $1) AS answered
         FROM surveys s JOIN projects p ON p.id = s.project_id JOIN orgs o ON o.id = p.org_id
        WHERE EXISTS (SELECT 1 FROM attendance a JOIN project_sessions ps ON ps.id = a.session_id
                       WHERE ps.project_id = p.id AND a.teacher_id = $1)
          AND ($2::int IS NULL OR s.id = $2)
        ORDER BY s.status, s.created_at DESC, s.id DESC
        LIMIT 200`,
      [teacherId, surveyId ?? null],
    )
  ).rows;
}

export async function findSurvey(q: Queryable, id: number): Promise<SurveyRow | null> {
  return (await q.query<SurveyRow>(`${SURVEY_SELECT} WHERE s.id = $1`, [id])).rows[0] ?? null;
}

/** Record that the teacher has answered; false if they already had (the primary key decides). */
export async function insertResponse(q: Queryable, surveyId: number, teacherId: number): Promise<boolean> {
  const r = await q.query('INSERT INTO survey_responses (survey_id, teacher_id) VALUES ($1,$2) ON CONFLICT DO NOTHING', [surveyId, teacherId]);
  return r.rowCount > 0;
}

/**
 * Add one anonymous answer and rewrite the survey's whole answer set in random order with fresh random
 * ids, in one statement. Afterwards every answer row of the survey was written by this transaction (same
 * xmin), sits at a random physical position, and has an id never seen before: nothing ties a row to the
 * moment, and so to the respondent, that produced it. Only the Monday of the week is stored.
 * The caller holds the survey lock (lockSurvey).
 */
export async function insertAnswerShuffled(q: Queryable, surveyId: number, ratings: Record<string, number>, comment: string | null): Promise<void> {
  await q.query(
    `WITH old AS (
       DELETE FROM survey_answers WHERE survey_id = $1 RETURNING submitted_week, ratings, comment, released
     ), pool AS (
       SELECT submitted_week, ratings, comment, released FROM old
       UNION ALL
       SELECT date_trunc('week', now())::date, $2::jsonb, $3::text, false
     )
     INSERT INTO survey_answers (id, survey_id, submitted_week, ratings, comment, released)
     SELECT gen_random_uuid(), $1, submitted_week, ratings, comment, released FROM pool ORDER BY random()`,
    [surveyId, JSON.stringify(ratings), comment],
  );
}

/**
 * Release the survey's unreleased answers as one batch once there are at least `batch` of them (issue 9
 * item 12): results only ever change by a whole batch, so differencing two readings never isolates one
 * answer. Returns how many were released (0 while the batch is not full). The caller holds the survey lock.
 */
export async function releaseFullBatch(q: Queryable, surveyId: number, batch: number): Promise<number> {
  const r = await q.query(
    `UPDATE survey_answers SET released = true
      WHERE survey_id = $1 AND NOT released
        AND (SELECT count(*) FROM survey_answers u WHERE u.survey_id = $1 AND NOT u.released) >= $2`,
    [surveyId, batch],
  );
  return r.rowCount;
}

/** How many released answers carry each value of each question: [{key:'q1', value:4, n:3}, …]. */
export async function ratingCounts(q: Queryable, surveyId: number): Promise<{ key: string; value: number; n: number }[]> {
  return (
    await q.query<{ key: string; value: number; n: number }>(
      `SELECT r.key, r.value::int AS value, count(*)::int AS n
         FROM survey_answers a CROSS JOIN LATERAL jsonb_each_text(a.ratings) r
        WHERE a.survey_id = $1 AND a.released GROUP BY r.key, r.value::int`,
      [surveyId],
    )
  ).rows;
}

/** The released free-text answers, shuffled (never in any stored order). */
export async function comments(q: Queryable, surveyId: number): Promise<string[]> {
  return (
    await q.query<{ comment: string }>(
      `SELECT comment FROM survey_answers WHERE survey_id = $1 AND released AND comment IS NOT NULL AND comment <> '' ORDER BY random()`,
      [surveyId],
    )
  ).rows.map((r) => r.comment);
}

// ---------------------------------------------------------------- inspections

export interface InspectionRow {
  id: number;
  project_id: number;
  inspected_on: string;
  inspectors: string;
  findings: string;
  score: number;
  issues: string[];
  recorded_by_name: string | null;
  recorded_at: Date;
  files: { id: number; name: string; size: number; mime: string }[];
}

const INSPECTION_SELECT = `SELECT i.id, i.project_id, i.inspected_on, i.inspectors, i.findings, i.score, i.issues, u.display_name AS recorded_by_name, i.recorded_at,
    COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name, 'size', f.size, 'mime', f.mime) ORDER BY f.id)
                FROM inspection_files x JOIN files f ON f.id = x.file_id WHERE x.inspection_id = i.id), '[]'::json) AS files
  FROM inspections i LEFT JOIN users u ON u.id = i.recorded_by`;

export async function listInspections(q: Queryable, projectId: number): Promise<InspectionRow[]> {
  return (await q.query<InspectionRow>(`${INSPECTION_SELECT} WHERE i.project_id = $1 ORDER BY i.inspected_on DESC, i.id DESC`, [projectId])).rows;
}

/** An inspection whose project's owner org lies under scopePath. */
export async function findInspection(q: Queryable, scopePath: string, id: number): Promise<InspectionRow | null> {
  return (
    (
      await q.query<InspectionRow>(
        `${INSPECTION_SELECT} JOIN projects p ON p.id = i.project_id JOIN orgs o ON o.id = p.org_id WHERE i.id = $1 AND o.path LIKE $2 || '%'`,
        [id, scopePath],
      )
    ).rows[0] ?? null
  );
}

export async function insertInspection(
  q: Queryable,
  i: { projectId: number; inspectedOn: string; inspectors: string; findings: string; score: number; issues: string[]; recordedBy: number },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO inspections (project_id, inspected_on, inspectors, findings, score, issues, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [i.projectId, i.inspectedOn, i.inspectors, i.findings, i.score, JSON.stringify(i.issues), i.recordedBy],
  );
  return r.rows[0].id;
}

export async function attachInspectionFile(q: Queryable, inspectionId: number, fileId: number): Promise<void> {
  await q.query('INSERT INTO inspection_files (inspection_id, file_id) VALUES ($1,$2)', [inspectionId, fileId]);
}

export async function countInspectionFiles(q: Queryable, inspectionId: number): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM inspection_files WHERE inspection_id = $1', [inspectionId])).rows[0].n;
}

/** The inspection a file is attached to, if the file is an inspection attachment. */
export async function inspectionOfFile(q: Queryable, fileId: number): Promise<number | null> {
  return (await q.query<{ inspection_id: number }>('SELECT inspection_id FROM inspection_files WHERE file_id = $1', [fileId])).rows[0]?.inspection_id ?? null;
}

// ---------------------------------------------------------------- score inputs

export interface ProjectScoreInputRow {
  project_id: number;
  institution_id: number;
  year: number;
  answers: number;
  rating_avg: number | null;
  expert_avg: number | null;
  expert_count: number;
  inspection_avg: number | null;
  inspection_count: number;
  enrolled: number;
  sessions: number;
  attended: number;
}

// Per project: survey answer count and mean rating (over every rated question), mean expert total,
// mean inspection score, and attendance counts. institution_id is the project's owner org itself when
// no institution filter applies.
const SCORE_INPUTS = `
  (SELECT count(*)::int FROM surveys s JOIN survey_answers a ON a.survey_id = s.id AND a.released WHERE s.project_id = p.id) AS answers,
  (SELECT avg(r.value::numeric)::float8 FROM surveys s JOIN survey_answers a ON a.survey_id = s.id AND a.released
     CROSS JOIN LATERAL jsonb_each_text(a.ratings) r WHERE s.project_id = p.id) AS rating_avg,
  (SELECT avg(es.total)::float8 FROM expert_scores es WHERE es.project_id = p.id) AS expert_avg,
  (SELECT count(*)::int FROM expert_scores es WHERE es.project_id = p.id) AS expert_count,
  (SELECT avg(i.score)::float8 FROM inspections i WHERE i.project_id = p.id) AS inspection_avg,
  (SELECT count(*)::int FROM inspections i WHERE i.project_id = p.id) AS inspection_count,
  (SELECT count(*)::int FROM enrolments e WHERE e.project_id = p.id AND e.status = 'approved') AS enrolled,
  (SELECT count(*)::int FROM project_sessions ps WHERE ps.project_id = p.id) AS sessions,
  (SELECT count(*)::int FROM attendance a JOIN project_sessions ps ON ps.id = a.session_id WHERE ps.project_id = p.id) AS attended`;

export async function projectScoreInputs(q: Queryable, projectId: number): Promise<ProjectScoreInputRow> {
  const r = await q.query<ProjectScoreInputRow>(
    `SELECT p.id AS project_id, p.org_id AS institution_id, EXTRACT(YEAR FROM COALESCE(p.start_date, p.created_at::date))::int AS year, ${SCORE_INPUTS}
       FROM projects p WHERE p.id = $1`,
    [projectId],
  );
  return r.rows[0];
}

/** Statuses in which a project has actually run (counted on the scorecard). */
export const RUN_STATUSES = ['open', 'running', 'recognitionPending', 'closed', 'evaluated'];

/** Score inputs of every project run by an institution (org kind institution) under scopePath. */
export async function institutionProjectInputs(
  q: Queryable,
  scopePath: string,
  orgId?: number,
): Promise<(ProjectScoreInputRow & { project_name: string; project_code: string; status: string })[]> {
  return (
    await q.query<ProjectScoreInputRow & { project_name: string; project_code: string; status: string }>(
      `SELECT p.id AS project_id, p.name AS project_name, p.code AS project_code, p.status, i.id AS institution_id,
              EXTRACT(YEAR FROM COALESCE(p.start_date, p.created_at::date))::int AS year, ${SCORE_INPUTS}
         FROM orgs i
         JOIN orgs po ON po.path LIKE i.path || '%'
         JOIN projects p ON p.org_id = po.id
        WHERE i.kind = 'institution' AND i.path LIKE $1 || '%' AND p.status = ANY($2::text[])
          AND ($3::int IS NULL OR i.id = $3)
        ORDER BY p.start_date DESC NULLS LAST, p.id DESC`,
      [scopePath, RUN_STATUSES, orgId ?? null],
    )
  ).rows;
}

// ---------------------------------------------------------------- institutions

export interface InstitutionRow {
  id: number;
  name: string;
  code: string;
  level: string;
  path: string;
  status: 'admitted' | 'warning' | 'suspended';
  reason: string | null;
  changed_at: Date | null;
}

/** Institutions (org kind institution) under scopePath, with their current qualification status. */
export async function listInstitutions(q: Queryable, scopePath: string, orgId?: number): Promise<InstitutionRow[]> {
  return (
    await q.query<InstitutionRow>(
      `SELECT o.id, o.name, o.code, o.level, o.path, COALESCE(s.status, 'admitted') AS status, s.reason, s.changed_at
         FROM orgs o LEFT JOIN institution_status s ON s.org_id = o.id
        WHERE o.kind = 'institution' AND o.path LIKE $1 || '%' AND ($2::int IS NULL OR o.id = $2)
        ORDER BY o.path`,
      [scopePath, orgId ?? null],
    )
  ).rows;
}

/** Lock (or create, as admitted) the status row of an institution so concurrent changes queue up. */
export async function lockInstitutionStatus(q: Queryable, orgId: number): Promise<'admitted' | 'warning' | 'suspended'> {
  await q.query(`INSERT INTO institution_status (org_id, status, reason) VALUES ($1, 'admitted', '初始准入') ON CONFLICT (org_id) DO NOTHING`, [orgId]);
  return (await q.query<{ status: 'admitted' | 'warning' | 'suspended' }>('SELECT status FROM institution_status WHERE org_id = $1 FOR UPDATE', [orgId]))
    .rows[0].status;
}

export async function setInstitutionStatus(q: Queryable, orgId: number, from: string, to: string, reason: string, userId: number): Promise<void> {
  await q.query('UPDATE institution_status SET status = $2, reason = $3, changed_by = $4, changed_at = now() WHERE org_id = $1', [orgId, to, reason, userId]);
  await q.query('INSERT INTO institution_status_history (org_id, from_status, to_status, reason, changed_by) VALUES ($1,$2,$3,$4,$5)', [
    orgId,
    from,
    to,
    reason,
    userId,
  ]);
}

export interface StatusHistoryRow {
  id: number;
  from_status: string;
  to_status: string;
  reason: string;
  changed_by_name: string | null;
  changed_at: Date;
}

export async function statusHistory(q: Queryable, orgId: number): Promise<StatusHistoryRow[]> {
  return (
    await q.query<StatusHistoryRow>(
      `SELECT h.id, h.from_status, h.to_status, h.reason, u.display_name AS changed_by_name, h.changed_at
         FROM institution_status_history h LEFT JOIN users u ON u.id = h.changed_by
        WHERE h.org_id = $1 ORDER BY h.changed_at DESC, h.id DESC`,
      [orgId],
    )
  ).rows;
}

/** A suspended qualification on the org itself or on any org above it ('/1/4/17/' holds the ids). */
export async function suspendedAbove(q: Queryable, orgId: number): Promise<{ org_name: string; reason: string } | null> {
  const r = await q.query<{ org_name: string; reason: string }>(
    `SELECT so.name AS org_name, s.reason
       FROM orgs o JOIN institution_status s ON o.path LIKE '%/' || s.org_id || '/%' JOIN orgs so ON so.id = s.org_id
      WHERE o.id = $1 AND s.status = 'suspended'
      LIMIT 1`,
    [orgId],
  );
  return r.rows[0] ?? null;
}
