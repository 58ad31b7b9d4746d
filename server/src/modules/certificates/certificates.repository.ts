import type { Queryable } from '../../db/db.js';

/**
 * The period a certificate states (issue 11 item 5): from the first to the last session that was held
 * (has attendance), never after the day the project closed (nor today): a project closed early does not
 * certify its planned end. A project without held sessions falls back to its planned dates, clipped the same way.
 */
const HELD_FIRST = `(SELECT min(s.date) FROM project_sessions s WHERE s.project_id = p.id AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id))`;
const HELD_LAST = `(SELECT max(s.date) FROM project_sessions s WHERE s.project_id = p.id AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id))`;
const CLOSED_ON = `((COALESCE(p.closed_at, now()) AT TIME ZONE 'Asia/Shanghai')::date)`;
const PERIOD = `LEAST(COALESCE(${HELD_FIRST}, p.start_date), ${CLOSED_ON}) AS start_date, LEAST(COALESCE(${HELD_LAST}, p.end_date), ${CLOSED_ON}) AS end_date`;

export interface CompletionRow {
  project_id: number;
  project_code: string;
  project_name: string;
  level: string;
  form: string;
  start_date: string | null;
  end_date: string | null;
  status: string;
  org_id: number;
  org_name: string;
  total_hours: number;
  attended_hours: number;
  recognised_hours: number;
  cert_id: number | null;
  cert_no: string | null;
}

/**
 * A teacher's finished projects (closed or evaluated) that they were enrolled in or got hours from,
 * with the hours of all sessions, the hours of sessions they attended, the hours the ledger holds for
 * them from the project (net of reversals) and the certificate if one was issued.
 */
export async function completions(q: Queryable, teacherId: number, projectId?: number): Promise<CompletionRow[]> {
  const params: unknown[] = [teacherId];
  let only = '';
  if (projectId !== undefined) {
    params.push(projectId);
    only = 'AND p.id = $2';
  }
  return (
    await q.query<CompletionRow>(
      `SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, p.level, p.form, ${PERIOD}, p.status,
              p.org_id, o.name AS org_name,
              COALESCE((SELECT sum(s.hours) FROM project_sessions s WHERE s.project_id = p.id), 0) AS total_hours,
              COALESCE((SELECT sum(s.hours) FROM project_sessions s JOIN attendance a ON a.session_id = s.id AND a.teacher_id = $1
                         WHERE s.project_id = p.id), 0) AS attended_hours,
              COALESCE((SELECT sum(l.hours) FROM ledger_entries l WHERE l.project_id = p.id AND l.teacher_id = $1), 0) AS recognised_hours,
              c.id AS cert_id, c.cert_no
         FROM projects p JOIN orgs o ON o.id = p.org_id
         LEFT JOIN certificates c ON c.project_id = p.id AND c.teacher_id = $1 AND c.revoked_at IS NULL
        WHERE p.status IN ('closed', 'evaluated') ${only}
          AND (EXISTS (SELECT 1 FROM enrolments e WHERE e.project_id = p.id AND e.teacher_id = $1 AND e.status = 'approved')
               OR EXISTS (SELECT 1 FROM ledger_entries l WHERE l.project_id = p.id AND l.teacher_id = $1))
        ORDER BY p.end_date DESC NULLS LAST, p.id DESC`,
      params,
    )
  ).rows;
}

/**
 * The certificate of (project, teacher), issued now if there is none: the number is ZS{year}{id, 6
 * digits}, taken from the id sequence in the same statement so it is unique and never reused.
 */
export async function issue(q: Queryable, c: { projectId: number; teacherId: number; hours: number; issuerOrgId: number }): Promise<void> {
  await q.query(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('certificates', 'id')) AS id)
     INSERT INTO certificates (id, cert_no, project_id, teacher_id, hours, issuer_org_id)
     SELECT n.id, 'ZS' || to_char(now(), 'YYYY') || lpad(n.id::text, 6, '0'), $1, $2, $3, $4 FROM n
     ON CONFLICT (project_id, teacher_id) WHERE revoked_at IS NULL DO NOTHING`,
    [c.projectId, c.teacherId, c.hours, c.issuerOrgId],
  );
}

export interface CertificateRow {
  id: number;
  cert_no: string;
  project_id: number;
  project_name: string;
  level: string;
  form: string;
  start_date: string | null;
  end_date: string | null;
  teacher_id: number;
  teacher_name: string;
  hours: number;
  issuer: string;
  issued_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const CERT_SELECT = `SELECT c.id, c.cert_no, c.project_id, p.name AS project_name, p.level, p.form, ${PERIOD},
    c.teacher_id, t.name AS teacher_name, c.hours, o.name AS issuer, c.issued_at, c.revoked_at, c.revoked_reason
  FROM certificates c JOIN projects p ON p.id = c.project_id JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = c.issuer_org_id`;

/** The certificate in force for (project, teacher): a revoked one is history. */
export async function findCertificate(q: Queryable, projectId: number, teacherId: number): Promise<CertificateRow | null> {
  return (
    (await q.query<CertificateRow>(`${CERT_SELECT} WHERE c.project_id = $1 AND c.teacher_id = $2 AND c.revoked_at IS NULL`, [projectId, teacherId])).rows[0] ??
    null
  );
}

/** The most recently revoked certificate of (project, teacher), if any. */
export async function lastRevoked(q: Queryable, projectId: number, teacherId: number): Promise<CertificateRow | null> {
  return (
    (
      await q.query<CertificateRow>(
        `${CERT_SELECT} WHERE c.project_id = $1 AND c.teacher_id = $2 AND c.revoked_at IS NOT NULL ORDER BY c.revoked_at DESC, c.id DESC LIMIT 1`,
        [projectId, teacherId],
      )
    ).rows[0] ?? null
  );
}

/** By id, for the public verification page (the id comes from a signed code). */
export async function findCertificateById(q: Queryable, id: number): Promise<CertificateRow | null> {
  return (await q.query<CertificateRow>(`${CERT_SELECT} WHERE c.id = $1`, [id])).rows[0] ?? null;
}

/** By its printed number (public lookup, with the holder's name checked by the service). */
export async function findCertificateByNo(q: Queryable, certNo: string): Promise<CertificateRow | null> {
  return (await q.query<CertificateRow>(`${CERT_SELECT} WHERE c.cert_no = $1`, [certNo])).rows[0] ?? null;
}

/** The teacher if in the subtree under scopePath. */
export async function teacherInScope(q: Queryable, scopePath: string, teacherId: number): Promise<{ id: number; name: string } | null> {
  return (
    (
      await q.query<{ id: number; name: string }>(
        `SELECT t.id, t.name FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
        [teacherId, scopePath],
      )
    ).rows[0] ?? null
  );
}

/**
 * The project's certificate lock for the rest of the transaction (the ledger trigger of migration 0032 takes
 * the same one): issuing waits for a concurrent correction of the project's hours, and the other way round.
 */
export async function lockProjectCertificates(q: Queryable, projectId: number): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(7301, $1)', [projectId]);
}
