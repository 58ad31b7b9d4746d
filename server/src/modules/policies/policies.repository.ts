import type { Queryable } from '../../db/db.js';

export interface PolicyRow {
  id: number;
  key: string;
  title: string;
  origin: 'seed' | 'upload';
  seed_file: string | null;
  created_at: string;
}

export interface VersionRow {
  id: number;
  policy_id: number;
  version: number;
  text: string;
  parsed: unknown;
  sha256: string;
  note: string | null;
  published_at: string;
  published_by: number | null;
  published_by_name: string | null;
}

export interface AttachmentRow {
  policy_id: number;
  org_id: number;
  org_code: string;
  org_name: string;
  org_level: string;
  org_path: string;
}

export async function findPolicyByKey(q: Queryable, key: string): Promise<PolicyRow | null> {
  return (await q.query<PolicyRow>('SELECT * FROM policies WHERE key = $1', [key])).rows[0] ?? null;
}

export async function findPolicy(q: Queryable, id: number): Promise<PolicyRow | null> {
  return (await q.query<PolicyRow>('SELECT * FROM policies WHERE id = $1', [id])).rows[0] ?? null;
}

export async function listAllPolicies(q: Queryable): Promise<PolicyRow[]> {
  return (await q.query<PolicyRow>('SELECT * FROM policies ORDER BY key')).rows;
}

export async function insertPolicy(
  q: Queryable,
  p: { key: string; title: string; origin: 'seed' | 'upload'; seedFile: string | null; createdBy: number | null },
): Promise<number> {
  const r = await q.query<{ id: number }>('INSERT INTO policies (key, title, origin, seed_file, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id', [
    p.key,
    p.title,
    p.origin,
    p.seedFile,
    p.createdBy,
  ]);
  return r.rows[0].id;
}

export async function updatePolicyTitle(q: Queryable, id: number, title: string): Promise<void> {
  await q.query('UPDATE policies SET title = $2 WHERE id = $1', [id, title]);
}

/** Lock the policy row so two concurrent publishes cannot take the same version number. */
export async function lockPolicy(q: Queryable, id: number): Promise<void> {
  await q.query('SELECT id FROM policies WHERE id = $1 FOR UPDATE', [id]);
}

export async function insertVersion(
  q: Queryable,
  v: { policyId: number; version: number; text: string; parsed: unknown; sha256: string; note: string | null; publishedBy: number | null },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO policy_versions (policy_id, version, text, parsed, sha256, note, published_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [v.policyId, v.version, v.text, JSON.stringify(v.parsed), v.sha256, v.note, v.publishedBy],
  );
  return r.rows[0].id;
}

const VERSION_SELECT = `SELECT v.*, u.display_name AS published_by_name FROM policy_versions v LEFT JOIN users u ON u.id = v.published_by`;

export async function latestVersion(q: Queryable, policyId: number): Promise<VersionRow | null> {
  return (await q.query<VersionRow>(`${VERSION_SELECT} WHERE v.policy_id = $1 ORDER BY v.version DESC LIMIT 1`, [policyId])).rows[0] ?? null;
}

export async function getVersion(q: Queryable, policyId: number, version: number): Promise<VersionRow | null> {
  return (await q.query<VersionRow>(`${VERSION_SELECT} WHERE v.policy_id = $1 AND v.version = $2`, [policyId, version])).rows[0] ?? null;
}

export async function getVersionById(q: Queryable, id: number): Promise<VersionRow | null> {
  return (await q.query<VersionRow>(`${VERSION_SELECT} WHERE v.id = $1`, [id])).rows[0] ?? null;
}

export async function listVersions(q: Queryable, policyId: number): Promise<Omit<VersionRow, 'text' | 'parsed'>[]> {
  return (
    await q.query<Omit<VersionRow, 'text' | 'parsed'>>(
      `SELECT v.id, v.policy_id, v.version, v.sha256, v.note, v.published_at, v.published_by, u.display_name AS published_by_name
         FROM policy_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.policy_id = $1 ORDER BY v.version DESC`,
      [policyId],
    )
  ).rows;
}

const ATTACH_SELECT = `SELECT a.policy_id, a.org_id, o.code AS org_code, o.name AS org_name, o.level AS org_level, o.path AS org_path
  FROM policy_attachments a JOIN orgs o ON o.id = a.org_id`;

export async function listAttachments(q: Queryable, policyId: number): Promise<AttachmentRow[]> {
  return (await q.query<AttachmentRow>(`${ATTACH_SELECT} WHERE a.policy_id = $1 ORDER BY o.path`, [policyId])).rows;
}

export async function allAttachments(q: Queryable): Promise<AttachmentRow[]> {
  return (await q.query<AttachmentRow>(`${ATTACH_SELECT} ORDER BY a.policy_id, o.path`)).rows;
}

/**
 * Attachments relevant to an org path: on the org or an ancestor (the policy applies here), or
 * inside the caller's scope below it (a city sees its counties' own policies).
 */
export async function attachmentsAround(q: Queryable, orgPath: string, scopePath: string): Promise<AttachmentRow[]> {
  return (
    await q.query<AttachmentRow>(
      `${ATTACH_SELECT} WHERE $1 LIKE o.path || '%' OR (o.path LIKE $1 || '%' AND o.path LIKE $2 || '%') ORDER BY a.policy_id, o.path`,
      [orgPath, scopePath],
    )
  ).rows;
}

export async function attach(q: Queryable, policyId: number, orgId: number, userId: number | null): Promise<boolean> {
  const r = await q.query('INSERT INTO policy_attachments (policy_id, org_id, attached_by) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [
    policyId,
    orgId,
    userId,
  ]);
  return r.rowCount === 1;
}

export async function detach(q: Queryable, policyId: number, orgId: number): Promise<boolean> {
  const r = await q.query('DELETE FROM policy_attachments WHERE policy_id = $1 AND org_id = $2', [policyId, orgId]);
  return r.rowCount === 1;
}

export async function findOrgByCode(q: Queryable, code: string): Promise<{ id: number; path: string; name: string; level: string } | null> {
  return (
    (await q.query<{ id: number; path: string; name: string; level: string }>('SELECT id, path, name, level FROM orgs WHERE code = $1', [code])).rows[0] ?? null
  );
}

/** Bureau orgs by level in tree order (the demo attach step picks its region from these). */
export async function bureausByLevel(q: Queryable, level: string): Promise<{ id: number; path: string; code: string }[]> {
  return (
    await q.query<{ id: number; path: string; code: string }>(`SELECT id, path, code FROM orgs WHERE level = $1 AND kind = 'bureau' ORDER BY path`, [level])
  ).rows;
}

export async function countAttachments(q: Queryable, policyId: number): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM policy_attachments WHERE policy_id = $1', [policyId])).rows[0].n;
}

/** Policies attached on orgPath or an ancestor, each with its latest version, in one query. */
export async function inForceWithLatest(q: Queryable, orgPath: string): Promise<(AttachmentRow & { key: string; version_row: VersionRow })[]> {
  const r = await q.query<
    AttachmentRow & {
      key: string;
      v_id: number;
      v_version: number;
      v_text: string;
      v_parsed: unknown;
      v_sha256: string;
      v_note: string | null;
      v_published_at: string;
      v_published_by: number | null;
    }
  >(
    `SELECT a.policy_id, a.org_id, o.code AS org_code, o.name AS org_name, o.level AS org_level, o.path AS org_path, p.key,
            v.id AS v_id, v.version AS v_version, v.text AS v_text, v.parsed AS v_parsed, v.sha256 AS v_sha256, v.note AS v_note,
            v.published_at AS v_published_at, v.published_by AS v_published_by
       FROM policy_attachments a JOIN orgs o ON o.id = a.org_id JOIN policies p ON p.id = a.policy_id
       JOIN LATERAL (SELECT * FROM policy_versions x WHERE x.policy_id = p.id ORDER BY x.version DESC LIMIT 1) v ON true
      WHERE $1 LIKE o.path || '%'
      ORDER BY a.policy_id, o.path`,
    [orgPath],
  );
  return r.rows.map((x) => ({
    policy_id: x.policy_id,
    org_id: x.org_id,
    org_code: x.org_code,
    org_name: x.org_name,
    org_level: x.org_level,
    org_path: x.org_path,
    key: x.key,
    version_row: {
      id: x.v_id,
      policy_id: x.policy_id,
      version: x.v_version,
      text: x.v_text,
      parsed: x.v_parsed,
      sha256: x.v_sha256,
      note: x.v_note,
      published_at: x.v_published_at,
      published_by: x.v_published_by,
      published_by_name: null,
    },
  }));
}
