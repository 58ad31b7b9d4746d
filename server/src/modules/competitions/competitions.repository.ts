/** All SQL of the competitions module (基本功竞赛, issue 13 item 4). */
import type { Queryable } from '../../db/db.js';
import type { Audience, Award, CompetitionInput } from './competitions.schema.js';

export type CompetitionStatus = 'draft' | 'open' | 'judging' | 'published';

export interface CompetitionRow {
  id: number;
  series: string;
  name: string;
  kind: string;
  year: number;
  audience: Audience;
  status: CompetitionStatus;
  organiserOrgId: number;
  organiserName: string;
  organiserLevel: string;
  organiserPath: string;
  regionOrgId: number;
  regionName: string;
  regionPath: string;
  publishedOn: string | null;
}

const SELECT = `SELECT c.id, c.series, c.name, c.kind, c.year, c.audience, c.status,
    c.organiser_org_id AS "organiserOrgId", o.name AS "organiserName", o.level AS "organiserLevel", o.path AS "organiserPath",
    c.region_org_id AS "regionOrgId", r.name AS "regionName", r.path AS "regionPath", c.published_on::text AS "publishedOn"
  FROM competitions c JOIN orgs o ON o.id = c.organiser_org_id JOIN orgs r ON r.id = c.region_org_id`;

/** Visible to a caller of scope `scope`: held for a region containing it, or organised inside it. */
const VISIBLE = `($1::text LIKE r.path || '%' OR o.path LIKE $1::text || '%')`;

export async function listVisible(q: Queryable, scope: string): Promise<CompetitionRow[]> {
  return (await q.query<CompetitionRow>(`${SELECT} WHERE ${VISIBLE} ORDER BY c.year DESC, c.id DESC LIMIT 500`, [scope])).rows;
}

export async function findVisible(q: Queryable, scope: string, id: number, lock = false): Promise<CompetitionRow | undefined> {
  return (await q.query<CompetitionRow>(`${SELECT} WHERE ${VISIBLE} AND c.id = $2${lock ? ' FOR UPDATE OF c' : ''}`, [scope, id])).rows[0];
}

export async function orgIdAtPath(q: Queryable, path: string): Promise<number | undefined> {
  return (await q.query<{ id: number }>('SELECT id FROM orgs WHERE path = $1', [path])).rows[0]?.id;
}

export async function insertCompetition(q: Queryable, b: CompetitionInput, organiserOrgId: number, regionOrgId: number, by: number): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO competitions (series, name, kind, organiser_org_id, region_org_id, year, audience, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
      [b.series, b.name, b.kind, organiserOrgId, regionOrgId, b.year, JSON.stringify(b.audience ?? {}), by],
    )
  ).rows[0].id;
}

export async function editionExists(q: Queryable, organiserOrgId: number, series: string, year: number): Promise<boolean> {
  return (
    (await q.query('SELECT 1 FROM competitions WHERE organiser_org_id = $1 AND series = $2 AND year = $3', [organiserOrgId, series, year])).rows.length > 0
  );
}

export async function setStatus(q: Queryable, id: number, status: CompetitionStatus, publishedOn: string | null = null): Promise<void> {
  await q.query(
    `UPDATE competitions SET status = $2,
       opened_at = CASE WHEN $2 = 'open' THEN now() ELSE opened_at END,
       judging_at = CASE WHEN $2 = 'judging' THEN now() ELSE judging_at END,
       published_on = COALESCE($3::date, published_on)
     WHERE id = $1`,
    [id, status, publishedOn],
  );
}

// ---------------------------------------------------------------- rounds and judges

export interface RoundRow {
  id: number;
  seq: number;
  name: string;
  heldOn: string;
}

export async function rounds(q: Queryable, competitionId: number): Promise<RoundRow[]> {
  return (
    await q.query<RoundRow>('SELECT id, seq, name, held_on::text AS "heldOn" FROM competition_rounds WHERE competition_id = $1 ORDER BY seq', [competitionId])
  ).rows;
}

export async function insertRound(q: Queryable, competitionId: number, seq: number, name: string, heldOn: string): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO competition_rounds (competition_id, seq, name, held_on) VALUES ($1,$2,$3,$4) RETURNING id', [
      competitionId,
      seq,
      name,
      heldOn,
    ])
  ).rows[0].id;
}

export interface JudgeRow {
  id: number;
  userId: number | null;
  name: string;
}

export async function judges(q: Queryable, competitionId: number): Promise<JudgeRow[]> {
  return (
    await q.query<JudgeRow>(
      `SELECT j.id, j.user_id AS "userId", COALESCE(u.display_name, j.expert_name) AS name
         FROM competition_judges j LEFT JOIN users u ON u.id = j.user_id WHERE j.competition_id = $1 ORDER BY j.id`,
      [competitionId],
    )
  ).rows;
}

export async function insertJudge(q: Queryable, competitionId: number, userId: number | null, expertName: string | null, by: number): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO competition_judges (competition_id, user_id, expert_name, added_by) VALUES ($1,$2,$3,$4) RETURNING id', [
      competitionId,
      userId,
      expertName,
      by,
    ])
  ).rows[0].id;
}

/** An account the organiser may name as judge: its org inside the organiser's region, or above it. */
export async function judgeUser(q: Queryable, userId: number, regionPath: string): Promise<{ id: number; name: string } | undefined> {
  return (
    await q.query<{ id: number; name: string }>(
      `SELECT u.id, u.display_name AS name FROM users u JOIN orgs o ON o.id = u.org_id
        WHERE u.id = $1 AND (o.path LIKE $2 || '%' OR $2 LIKE o.path || '%')`,
      [userId, regionPath],
    )
  ).rows[0];
}

// ---------------------------------------------------------------- entries

export interface EntryTeacher {
  id: number;
  name: string;
  orgId: number;
  orgPath: string;
  status: string;
  stage: string;
  subjects: string[];
  hireDate: string | null;
  homeroom: boolean;
}

/** The teachers named, with what eligibility needs (班主任 on `on`), limited to the subtree `scope`. */
export async function teachersForEntry(q: Queryable, scope: string, ids: number[], on: string): Promise<EntryTeacher[]> {
  return (
    await q.query<EntryTeacher>(
      `SELECT t.id, t.name, t.org_id AS "orgId", o.path AS "orgPath", t.status, t.stage, t.subjects, t.hire_date::text AS "hireDate",
              EXISTS (SELECT 1 FROM teacher_roles tr WHERE tr.teacher_id = t.id AND tr.role = 'homeroom'
                        AND (tr.since IS NULL OR tr.since <= $3::date) AND (tr.until IS NULL OR tr.until >= $3::date)) AS homeroom
         FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE t.id = ANY($2::int[]) AND o.path LIKE $1 || '%'`,
      [scope, ids, on],
    )
  ).rows;
}

export interface EntryRow {
  id: number;
  teacherId: number;
  teacherName: string;
  schoolOrgId: number;
  schoolName: string;
  schoolPath: string;
  source: 'school' | 'reentry';
  previousEntryId: number | null;
  honourId: number | null;
}

export async function entries(q: Queryable, competitionId: number, scope = '/'): Promise<EntryRow[]> {
  return (
    await q.query<EntryRow>(
      `SELECT e.id, e.teacher_id AS "teacherId", t.name AS "teacherName", e.school_org_id AS "schoolOrgId", o.name AS "schoolName",
              o.path AS "schoolPath", e.source, e.previous_entry_id AS "previousEntryId", e.honour_id AS "honourId"
         FROM competition_entries e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = e.school_org_id
        WHERE e.competition_id = $1 AND e.withdrawn_at IS NULL AND o.path LIKE $2 || '%'
        ORDER BY o.path, t.name, e.id`,
      [competitionId, scope],
    )
  ).rows;
}

/** Enter one teacher; false when already entered (idempotent). */
export async function insertEntry(
  q: Queryable,
  competitionId: number,
  teacherId: number,
  schoolOrgId: number,
  source: 'school' | 'reentry',
  previousEntryId: number | null,
  by: number,
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO competition_entries (competition_id, teacher_id, school_org_id, source, previous_entry_id, entered_by)
     VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (competition_id, teacher_id) WHERE withdrawn_at IS NULL DO NOTHING RETURNING id`,
    [competitionId, teacherId, schoolOrgId, source, previousEntryId, by],
  );
  return r.rows.length > 0;
}

export async function previousEdition(q: Queryable, c: CompetitionRow): Promise<{ id: number; status: CompetitionStatus } | undefined> {
  return (
    await q.query<{ id: number; status: CompetitionStatus }>('SELECT id, status FROM competitions WHERE organiser_org_id = $1 AND series = $2 AND year = $3', [
      c.organiserOrgId,
      c.series,
      c.year - 1,
    ])
  ).rows[0];
}

/**
 * 以赛促训 (001 §三(四)): the entries of a published edition that won no award in any round (they did not qualify
 * or won nothing), with the teacher's school today if the teacher is still active inside `regionPath`.
 */
export async function nonQualifiers(q: Queryable, competitionId: number, regionPath: string): Promise<{ entryId: number; teacherId: number; orgId: number }[]> {
  return (
    await q.query<{ entryId: number; teacherId: number; orgId: number }>(
      `SELECT e.id AS "entryId", e.teacher_id AS "teacherId", t.org_id AS "orgId"
         FROM competition_entries e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE e.competition_id = $1 AND e.withdrawn_at IS NULL AND t.status = 'active' AND o.path LIKE $2 || '%'
          AND NOT EXISTS (SELECT 1 FROM competition_results r WHERE r.entry_id = e.id AND r.superseded_at IS NULL AND r.award IS NOT NULL)
        ORDER BY e.id`,
      [competitionId, regionPath],
    )
  ).rows;
}

// ---------------------------------------------------------------- scores and results

export async function recordScore(q: Queryable, entryId: number, roundId: number, judgeId: number, score: number, by: number): Promise<void> {
  await q.query('UPDATE competition_scores SET superseded_at = now() WHERE entry_id = $1 AND round_id = $2 AND judge_id = $3 AND superseded_at IS NULL', [
    entryId,
    roundId,
    judgeId,
  ]);
  await q.query('INSERT INTO competition_scores (entry_id, round_id, judge_id, score, recorded_by) VALUES ($1,$2,$3,$4,$5)', [
    entryId,
    roundId,
    judgeId,
    score,
    by,
  ]);
}

export interface ScoreRow {
  entryId: number;
  roundId: number;
  judgeId: number;
  score: number;
}

export async function scores(q: Queryable, competitionId: number): Promise<ScoreRow[]> {
  return (
    await q.query<ScoreRow>(
      `SELECT s.entry_id AS "entryId", s.round_id AS "roundId", s.judge_id AS "judgeId", s.score::float8 AS score
         FROM competition_scores s JOIN competition_rounds r ON r.id = s.round_id
        WHERE r.competition_id = $1 AND s.superseded_at IS NULL ORDER BY s.round_id, s.entry_id, s.judge_id`,
      [competitionId],
    )
  ).rows;
}

export async function recordResult(
  q: Queryable,
  entryId: number,
  roundId: number,
  meanScore: number | null,
  rank: number | null,
  award: Award | null,
  qualifies: boolean,
  by: number,
): Promise<void> {
  await q.query('UPDATE competition_results SET superseded_at = now() WHERE entry_id = $1 AND round_id = $2 AND superseded_at IS NULL', [entryId, roundId]);
  await q.query('INSERT INTO competition_results (entry_id, round_id, mean_score, rank, award, qualifies, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
    entryId,
    roundId,
    meanScore,
    rank,
    award,
    qualifies,
    by,
  ]);
}

export interface ResultRow {
  entryId: number;
  roundId: number;
  roundSeq: number;
  meanScore: number | null;
  rank: number | null;
  award: Award | null;
  qualifies: boolean;
}

export async function results(q: Queryable, competitionId: number): Promise<ResultRow[]> {
  return (
    await q.query<ResultRow>(
      `SELECT x.entry_id AS "entryId", x.round_id AS "roundId", r.seq AS "roundSeq", x.mean_score::float8 AS "meanScore", x.rank, x.award, x.qualifies
         FROM competition_results x JOIN competition_rounds r ON r.id = x.round_id
        WHERE r.competition_id = $1 AND x.superseded_at IS NULL ORDER BY r.seq, x.rank NULLS LAST, x.entry_id`,
      [competitionId],
    )
  ).rows;
}

export async function setHonour(q: Queryable, entryId: number, honourId: number): Promise<void> {
  await q.query('UPDATE competition_entries SET honour_id = $2 WHERE id = $1', [entryId, honourId]);
}

/** A teacher's own entries (我的竞赛). */
export async function entriesOfTeacher(q: Queryable, teacherId: number) {
  return (
    await q.query<{ entryId: number; competitionId: number; name: string; year: number; status: CompetitionStatus; source: string }>(
      `SELECT e.id AS "entryId", c.id AS "competitionId", c.name, c.year, c.status, e.source
         FROM competition_entries e JOIN competitions c ON c.id = e.competition_id
        WHERE e.teacher_id = $1 AND e.withdrawn_at IS NULL ORDER BY c.year DESC, c.id DESC`,
      [teacherId],
    )
  ).rows;
}
