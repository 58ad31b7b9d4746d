import type { Queryable } from '../../db/db.js';

/** The SQL of 开通账号 (teacher accounts in bulk) and of the 账号单 that carries their initial passwords. */

export interface IssueCandidate {
  id: number;
  name: string;
  status: string;
  org_name: string;
  username: string | null;
}

/** These teachers, if in the subtree, with their school and the username of their account if they have one. */
export async function teachersByIds(q: Queryable, scope: string, ids: number[]): Promise<IssueCandidate[]> {
  return (
    await q.query<IssueCandidate>(
      `SELECT t.id, t.name, t.status, o.name AS org_name, u.username
         FROM teachers t JOIN orgs o ON o.id = t.org_id LEFT JOIN users u ON u.teacher_id = t.id
        WHERE t.id = ANY($2::int[]) AND o.path LIKE $1 || '%'`,
      [scope, ids],
    )
  ).rows;
}

const WITHOUT_ACCOUNT = `FROM teachers t JOIN orgs o ON o.id = t.org_id
  WHERE o.path LIKE $1 || '%' AND t.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.teacher_id = t.id)`;

/** The next `limit` active teachers of the org path's subtree that have no account, school by school. */
export async function teachersWithoutAccount(q: Queryable, orgPath: string, limit: number): Promise<IssueCandidate[]> {
  return (
    await q.query<IssueCandidate>(`SELECT t.id, t.name, t.status, o.name AS org_name, NULL AS username ${WITHOUT_ACCOUNT} ORDER BY o.path, t.id LIMIT $2`, [
      orgPath,
      limit,
    ])
  ).rows;
}

export async function countWithoutAccount(q: Queryable, orgPath: string): Promise<number> {
  return (await q.query<{ n: number }>(`SELECT count(*)::int AS n ${WITHOUT_ACCOUNT}`, [orgPath])).rows[0].n;
}

/**
 * Insert teacher accounts (username t<id>, initial password, must change it) with their 教师 role. A
 * teacher who got an account meanwhile (another administrator, a second click) is skipped by the unique
 * index, not failed: the answer lists only the accounts this call created.
 */
export async function insertTeacherAccounts(
  q: Queryable,
  rows: { teacherId: number; name: string; passwordHash: string }[],
  createdBy: number,
): Promise<{ id: number; teacher_id: number }[]> {
  if (!rows.length) return [];
  const created = await q.query<{ id: number; teacher_id: number }>(
    `INSERT INTO users (username, password_hash, display_name, teacher_id, must_change_password, created_by)
     SELECT 't' || x.teacher_id, x.hash, x.name, x.teacher_id, true, $4
       FROM unnest($1::int[], $2::text[], $3::text[]) AS x(teacher_id, hash, name)
     ON CONFLICT DO NOTHING
     RETURNING id, teacher_id`,
    [rows.map((r) => r.teacherId), rows.map((r) => r.passwordHash), rows.map((r) => r.name), createdBy],
  );
  if (created.rows.length) {
    await q.query(`INSERT INTO user_roles (user_id, role, granted_by) SELECT unnest($1::int[]), 'teacher', $2`, [created.rows.map((r) => r.id), createdBy]);
  }
  return created.rows;
}

// ------------------------------------------------------------------ 账号单

export type SlipKind = 'issue' | 'reset' | 'create';

export interface SlipRow {
  id: number;
  kind: SlipKind;
  created_at: Date;
  expires_at: Date;
  entry_count: number;
  downloaded_at: Date | null;
}

const SLIP_COLUMNS = 'id, kind, created_at, expires_at, entry_count, downloaded_at';

export async function createSlip(q: Queryable, issuedBy: number, kind: SlipKind, hours: number): Promise<SlipRow> {
  return (
    await q.query<SlipRow>(
      `INSERT INTO account_slips (issued_by, kind, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3::int)) RETURNING ${SLIP_COLUMNS}`,
      [issuedBy, kind, hours],
    )
  ).rows[0];
}

/** The issuer's slip, unexpired, row-locked (appending and downloading take turns); null for anyone else. */
export async function lockSlip(q: Queryable, id: number, issuedBy: number): Promise<SlipRow | null> {
  return (
    (await q.query<SlipRow>(`SELECT ${SLIP_COLUMNS} FROM account_slips WHERE id = $1 AND issued_by = $2 AND expires_at > now() FOR UPDATE`, [id, issuedBy]))
      .rows[0] ?? null
  );
}

export async function appendSlipEntries(q: Queryable, slip: SlipRow, encrypted: string[]): Promise<void> {
  if (!encrypted.length) return;
  await q.query(
    `INSERT INTO account_slip_entries (slip_id, seq, entry_enc) SELECT $1, $2::int + n::int, e FROM unnest($3::text[]) WITH ORDINALITY AS x(e, n)`,
    [slip.id, slip.entry_count, encrypted],
  );
  await q.query('UPDATE account_slips SET entry_count = entry_count + $2 WHERE id = $1', [slip.id, encrypted.length]);
}

/** The issuer's slips that have not expired, newest first. */
export async function listSlips(q: Queryable, issuedBy: number): Promise<SlipRow[]> {
  return (await q.query<SlipRow>(`SELECT ${SLIP_COLUMNS} FROM account_slips WHERE issued_by = $1 AND expires_at > now() ORDER BY id DESC`, [issuedBy])).rows;
}

/** Read the slip's entries and destroy them (a slip is downloaded once). */
export async function takeSlipEntries(q: Queryable, slipId: number): Promise<string[]> {
  const r = await q.query<{ entry_enc: string }>('DELETE FROM account_slip_entries WHERE slip_id = $1 RETURNING seq, entry_enc', [slipId]);
  await q.query('UPDATE account_slips SET downloaded_at = now() WHERE id = $1', [slipId]);
  return (r.rows as { seq: number; entry_enc: string }[]).sort((a, b) => a.seq - b.seq).map((e) => e.entry_enc);
}

/** Delete expired slips with whatever passwords they still hold; how many. */
export async function purgeExpiredSlips(q: Queryable): Promise<number> {
  return (await q.query('DELETE FROM account_slips WHERE expires_at <= now()')).rowCount;
}
