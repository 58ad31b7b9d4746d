import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../test/harness.js';
import { DEMO_ACCOUNTS } from '../modules/auth/demo-accounts.js';
import { insertOrg } from '../modules/orgs/orgs.repository.js';
import { maskNationalId, parseNationalId } from '../platform/national-id.js';
import { isSeeded, seedDemo } from './seed.js';
import { readFileSync } from 'node:fs';
import { evaluatePolicy } from '../modules/compliance/compliance.engine.js';
import { loadOrgs } from '../modules/compliance/compliance.repository.js';
import { loadPolicy } from '../modules/policies/policy.loader.js';
import { POLICY_DIR } from '../modules/policies/policies.service.js';

const SIZE = 300;

/** Everything that must be identical for the same seed: people (incl. decrypted 身份证号), orgs, projects, hours. */
async function fingerprint(t: TestApp) {
  const q = t.db;
  const teachers = await q.query<{ name: string; national_id_enc: string; org_id: number; subjects: string[]; hire_date: string; title: string | null }>(
    'SELECT name, national_id_enc, org_id, subjects, hire_date, title FROM teachers ORDER BY id',
  );
  const people = createHash('sha256');
  for (const r of teachers.rows)
    people.update(`${r.name}|${t.ctx.pii.decrypt(r.national_id_enc)}|${r.org_id}|${r.subjects.join(',')}|${r.hire_date}|${r.title}\n`);
  const one = async (sql: string) => (await q.query<{ v: string }>(sql)).rows[0].v;
  return {
    teachers: teachers.rows.length,
    people: people.digest('hex'),
    orgs: await one(`SELECT md5(string_agg(code || name || coalesce(public_fund_budget::text, ''), '|' ORDER BY id)) AS v FROM orgs`),
    roles: await one(`SELECT md5(string_agg(teacher_id || role || coalesce(since::text, ''), '|' ORDER BY teacher_id, role)) AS v FROM teacher_roles`),
    projects: await one(`SELECT md5(string_agg(code || name || status, '|' ORDER BY id)) AS v FROM projects`),
    attendance: await one(`SELECT count(*)::text AS v FROM attendance`),
    ledger: await one(`SELECT count(*) || ':' || sum(hours) || ':' || md5(string_agg(dedupe_key || hours, '|' ORDER BY id)) AS v FROM ledger_entries`),
  };
}

describe('demo seed', () => {
  let a: TestApp;
  let b: TestApp;
  let fa: Awaited<ReturnType<typeof fingerprint>>;
  let triggersBefore: unknown[];
  const triggerStates = async (t: TestApp) =>
    (await t.db.query(`SELECT c.relname, g.tgname, g.tgenabled FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE NOT g.tgisinternal ORDER BY 1, 2`))
      .rows;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    expect(await isSeeded(a.db)).toBe(false);
    triggersBefore = await triggerStates(a);
    await seedDemo(a.ctx, { teachers: SIZE, seed: 7 });
    fa = await fingerprint(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('is seeded only once it completed, and a second run changes nothing', async () => {
    expect(await isSeeded(a.db)).toBe(true);
    expect(await seedDemo(a.ctx, { teachers: SIZE, seed: 7 })).toBeNull();
    expect(await fingerprint(a)).toEqual(fa);
  });

  it('does not seed over a database that already holds other data', async () => {
    await insertOrg(b.db, { code: 'REAL-1', name: '某市教育局', level: 'city', kind: 'bureau', parentId: null });
    expect(await seedDemo(b.ctx, { teachers: SIZE })).toBeNull();
    expect(await isSeeded(b.db)).toBe(false);
    expect((await b.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0].n).toBe(1);
    await b.db.query('TRUNCATE orgs RESTART IDENTITY CASCADE'); // org_history is append-only: rows go only with the whole table
  });

  it('is deterministic: the same seed gives the same data; another seed different data', async () => {
    await seedDemo(b.ctx, { teachers: SIZE, seed: 8 });
    const other = await fingerprint(b);
    expect(other.teachers).toBe(SIZE);
    expect(other.people).not.toBe(fa.people);
    expect(other.ledger).not.toBe(fa.ledger);

    // Pretend the run was interrupted: the next run clears the half-written data and starts again.
    await b.db.query(`UPDATE demo_meta SET value = jsonb_set(value, '{status}', '"started"') WHERE key = 'seed'`);
    expect(await isSeeded(b.db)).toBe(false);
    await seedDemo(b.ctx, { teachers: SIZE, seed: 7 });
    expect(await isSeeded(b.db)).toBe(true);
    expect(await fingerprint(b)).toEqual(fa);
  });

  it('stores valid, encrypted 身份证号 whose gender, birth date and mask agree with the record', async () => {
    const r = await a.db.query<{ national_id_enc: string; national_id_mask: string; gender: string; birth_date: string; phone_enc: string | null }>(
      'SELECT national_id_enc, national_id_mask, gender, birth_date, phone_enc FROM teachers',
    );
    expect(r.rows).toHaveLength(SIZE);
    for (const t of r.rows) {
      expect(t.national_id_enc.startsWith('v1:')).toBe(true);
      const id = parseNationalId(a.ctx.pii.decrypt(t.national_id_enc));
      if (!id.ok) throw new Error(`invalid id: ${id.problem}`);
      expect(id.info.gender).toBe(t.gender);
      expect(id.info.birthDate).toBe(t.birth_date);
      expect(t.national_id_mask).toBe(maskNationalId(id.info.value));
      if (t.phone_enc) expect(a.ctx.pii.decrypt(t.phone_enc)).toMatch(/^1[3-9]\d{9}$/);
    }
  });

  it('lets every demo account log in, wired to the right orgs', async () => {
    const me: Record<string, { role: string; orgId: number; teacherId: number | null }> = {};
    for (const acc of DEMO_ACCOUNTS) {
      const cookie = await login(a.app, acc.username, acc.password);
      const r = await a.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(r.statusCode).toBe(200);
      me[acc.username] = r.json();
    }
    expect(me['city.admin'].role).toBe('bureauAdmin');
    expect(me['institution'].role).toBe('institution');
    const orgs = await a.db.query<{ id: number; parent_id: number | null; level: string; kind: string; stage: string | null; code: string }>(
      'SELECT id, parent_id, level, kind, stage, code FROM orgs',
    );
    const org = (id: number) => orgs.rows.find((o) => o.id === id)!;
    expect(org(me['city.admin'].orgId)).toMatchObject({ level: 'city', kind: 'bureau', code: '159900' });
    expect(org(me['county.admin'].orgId)).toMatchObject({ level: 'county', kind: 'bureau' });
    const school = org(me['school.admin'].orgId);
    expect(school).toMatchObject({ kind: 'school', stage: 'primary', parent_id: me['county.admin'].orgId });
    expect(org(me['institution'].orgId)).toMatchObject({ kind: 'institution', parent_id: me['city.admin'].orgId });
    // The teacher account is a 班主任 of the school admin's school.
    expect(me['teacher'].orgId).toBe(school.id);
    const roles = await a.db.query<{ role: string }>('SELECT role FROM teacher_roles WHERE teacher_id = $1', [me['teacher'].teacherId]);
    expect(roles.rows.map((x) => x.role)).toContain('homeroom');
  });

  it('gives about one teacher in five the 班主任 role', async () => {
    const r = await a.db.query<{ share: number }>(
      `SELECT (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM teacher_roles r WHERE r.teacher_id = t.id AND r.role = 'homeroom')))::float / count(*) AS share
         FROM teachers t WHERE t.status = 'active'`,
    );
    expect(r.rows[0].share).toBeGreaterThan(0.13);
    expect(r.rows[0].share).toBeLessThan(0.28);
  });

  it('keeps the ledger consistent: school teachers, hours from attendance of closed projects, exact reversals', async () => {
    const n = async (sql: string) => (await a.db.query<{ n: number }>(sql)).rows[0].n;
    expect(await n('SELECT count(*)::int AS n FROM ledger_entries')).toBeGreaterThan(SIZE * 30);
    expect(
      await n(`SELECT count(*)::int AS n FROM ledger_entries e LEFT JOIN teachers t ON t.id = e.teacher_id
                     LEFT JOIN orgs o ON o.id = t.org_id AND o.kind = 'school' WHERE o.id IS NULL`),
    ).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ledger_entries e JOIN projects p ON p.id = e.project_id
                     WHERE e.source_type = 'project' AND (p.status <> 'closed'
                        OR NOT EXISTS (SELECT 1 FROM attendance x WHERE x.session_id = e.session_id AND x.teacher_id = e.teacher_id)
                        OR e.dedupe_key <> 'project:' || e.project_id || ':session:' || e.session_id || ':teacher:' || e.teacher_id)`),
    ).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ledger_entries e JOIN ledger_entries o ON o.id = e.reverses_id
                     WHERE e.hours = -o.hours AND e.teacher_id = o.teacher_id AND e.reason IS NOT NULL`),
    ).toBeGreaterThanOrEqual(2);
    expect(await n(`SELECT count(*)::int AS n FROM ledger_entries WHERE hours < 0 AND reverses_id IS NULL`)).toBe(0);
    // Projects still running: attendance taken, hours not yet recognised.
    expect(
      await n(`SELECT count(*)::int AS n FROM projects p WHERE status = 'running'
                     AND EXISTS (SELECT 1 FROM attendance x JOIN project_sessions s ON s.id = x.session_id WHERE s.project_id = p.id)
                     AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.project_id = p.id)`),
    ).toBeGreaterThanOrEqual(1);
    // Open projects exist, some with sessions after the reference date for check-in.
    expect(
      await n(
        `SELECT count(*)::int AS n FROM projects p WHERE status = 'open' AND EXISTS (SELECT 1 FROM project_sessions s WHERE s.project_id = p.id AND s.date > '2026-11-01')`,
      ),
    ).toBeGreaterThan(2);
  });

  it('lets some new teachers complete the 10 岗前 days and leaves others short', async () => {
    const loaded = loadPolicy(readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8'));
    if (!loaded.ok) throw new Error('000 does not load');
    const orgs = await loadOrgs(a.db, '/');
    const root = orgs.find((o) => o.parentId === null)!;
    const status = new Map<string, number>();
    await evaluatePolicy(
      a.db,
      { policy: loaded.policy, asOf: '2025-12-31', root, region: root, orgs: orgs.filter((o) => o.path.startsWith(root.path)), teacherRulesOnly: true },
      (o) => {
        if (o.rule.id === 'induction-10-days' && o.result.status !== 'notApplicable') status.set(o.result.status, (status.get(o.result.status) ?? 0) + 1);
      },
    );
    expect(status.get('compliant') ?? 0).toBeGreaterThan(0);
    expect((status.get('overdue') ?? 0) + (status.get('dueSoon') ?? 0) + (status.get('inProgress') ?? 0)).toBeGreaterThan(0);
  });

  it("keeps other modules' insert triggers working during the fast load, and restores their state", async () => {
    expect(await triggerStates(a)).toEqual(triggersBefore);
    const hasRollups = (await a.db.query<{ t: string | null }>(`SELECT to_regclass('ledger_year_rollups')::text AS t`)).rows[0].t;
    if (!hasRollups) return;
    const diff = await a.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT teacher_id, extract(year FROM occurred_on)::int AS year, category, sum(hours) AS hours, count(*)::int AS entries FROM ledger_entries GROUP BY 1, 2, 3
       ) x FULL JOIN ledger_year_rollups r USING (teacher_id, year, category)
       WHERE x.hours IS DISTINCT FROM r.hours OR x.entries IS DISTINCT FROM r.entries`,
    );
    expect(diff.rows[0].n).toBe(0);
  });

  it('moves the id sequences past the seeded rows, so the app can add records', async () => {
    const max = await a.db.query<{ n: number }>('SELECT max(id)::int AS n FROM orgs');
    const o = await insertOrg(a.db, { code: 'NEW-1', name: '新建学校', level: 'school', kind: 'school', stage: 'primary', parentId: 2 });
    expect(o.id).toBe(max.rows[0].n + 1);
  });
});
