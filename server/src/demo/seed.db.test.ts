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
import { todayInChina } from '../platform/china-time.js';

const SIZE = 300;
/** The seed's "today": today, taken once, so a run across midnight still compares like with like. */
const AS_OF = todayInChina();
const REF_YEAR = Number(AS_OF.slice(0, 4));

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
    await seedDemo(a.ctx, { teachers: SIZE, seed: 7, asOf: AS_OF });
    fa = await fingerprint(a);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('is seeded only once it completed, and a second run changes nothing', async () => {
    expect(await isSeeded(a.db)).toBe(true);
    expect(await seedDemo(a.ctx, { teachers: SIZE, seed: 7, asOf: AS_OF })).toBeNull();
    expect(await fingerprint(a)).toEqual(fa);
  });

  it('does not seed over a database that already holds other data', async () => {
    await insertOrg(b.db, { code: 'REAL-1', name: '某市教育局', level: 'city', kind: 'bureau', parentId: null });
    expect(await seedDemo(b.ctx, { teachers: SIZE, asOf: AS_OF })).toBeNull();
    expect(await isSeeded(b.db)).toBe(false);
    expect((await b.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0].n).toBe(1);
    await b.db.query('TRUNCATE orgs RESTART IDENTITY CASCADE'); // org_history is append-only: rows go only with the whole table
  });

  it('is deterministic: the same seed gives the same data; another seed different data', async () => {
    await seedDemo(b.ctx, { teachers: SIZE, seed: 8, asOf: AS_OF });
    const other = await fingerprint(b);
    expect(other.teachers).toBe(SIZE);
    expect(other.people).not.toBe(fa.people);
    expect(other.ledger).not.toBe(fa.ledger);

    // Pretend the run was interrupted: the next run clears the half-written data and starts again.
    await b.db.query(`UPDATE demo_meta SET value = jsonb_set(value, '{status}', '"started"') WHERE key = 'seed'`);
    expect(await isSeeded(b.db)).toBe(false);
    await seedDemo(b.ctx, { teachers: SIZE, seed: 7, asOf: AS_OF });
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
        `SELECT count(*)::int AS n FROM projects p WHERE status = 'open' AND EXISTS (SELECT 1 FROM project_sessions s WHERE s.project_id = p.id AND s.date > '${AS_OF}')`,
      ),
    ).toBeGreaterThan(2);
  });

  it('lives in its asOf date: hours in that year and the four before, nothing after it but what is planned', async () => {
    const n = async (sql: string, params: unknown[] = []) => (await a.db.query<{ n: number }>(sql, params)).rows[0].n;
    const years = (
      await a.db.query<{ y: number; h: number }>(
        `SELECT extract(year FROM occurred_on)::int AS y, sum(hours)::float AS h FROM ledger_entries GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    expect(years.map((r) => r.y)).toEqual([REF_YEAR - 4, REF_YEAR - 3, REF_YEAR - 2, REF_YEAR - 1, REF_YEAR].filter((y) => years.some((r) => r.y === y)));
    for (const y of [REF_YEAR - 4, REF_YEAR - 3, REF_YEAR - 2, REF_YEAR - 1]) expect(years.find((r) => r.y === y)?.h ?? 0).toBeGreaterThan(SIZE * 30);
    // History ends at asOf (China time): no fact, check-in or decision after it.
    const end = `(DATE '${AS_OF}' + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`;
    expect(await n(`SELECT count(*)::int AS n FROM ledger_entries WHERE occurred_on > '${AS_OF}' OR recognised_at >= ${end}`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM attendance WHERE at >= ${end}`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM enrolments WHERE enrolled_at >= ${end}`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM projects WHERE created_at >= ${end} OR closed_at >= ${end}`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM teachers WHERE hire_date > '${AS_OF}' OR title_date > '${AS_OF}'`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM teacher_roles WHERE since > '${AS_OF}'`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM hour_claims WHERE occurred_on > '${AS_OF}' OR created_at >= ${end} OR submitted_at >= ${end}`)).toBe(0);
    // No project still running whose sessions all ended long ago, none closed before its last session.
    expect(await n(`SELECT count(*)::int AS n FROM projects WHERE status = 'closed' AND end_date >= '${AS_OF}'`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM projects WHERE status = 'running' AND end_date < DATE '${AS_OF}' - 60`)).toBe(0);
  });

  it('has work for today: a session today with check-in open, enrolment open, proposals, claims and a survey waiting', async () => {
    const n = async (sql: string, params: unknown[] = []) => (await a.db.query<{ n: number }>(sql, params)).rows[0].n;
    const teacher = (
      await a.db.query<{ teacher_id: number; org_id: number }>(
        `SELECT u.teacher_id, t.org_id FROM users u JOIN teachers t ON t.id = u.teacher_id WHERE username = 'teacher'`,
      )
    ).rows[0];
    // The demo teacher is enrolled in a running project with a session today whose check-in is open.
    expect(
      await n(
        `SELECT count(*)::int AS n FROM project_sessions s JOIN projects p ON p.id = s.project_id JOIN enrolments e ON e.project_id = p.id
          WHERE s.date = '${AS_OF}' AND s.checkin_open AND p.status = 'running' AND e.teacher_id = $1`,
        [teacher.teacher_id],
      ),
    ).toBeGreaterThanOrEqual(1);
    // Sessions this week beside today's, and finished projects awaiting 学时认定 (attendance, no hours yet).
    expect(
      await n(`SELECT count(*)::int AS n FROM project_sessions WHERE date BETWEEN DATE '${AS_OF}' - 7 AND DATE '${AS_OF}' + 7 AND date <> '${AS_OF}'`),
    ).toBeGreaterThan(1);
    // Open for enrolment, starting within the coming weeks, teachers may sign up themselves.
    expect(
      await n(
        `SELECT count(*)::int AS n FROM projects WHERE status = 'open' AND self_enrol AND start_date > '${AS_OF}' AND start_date <= DATE '${AS_OF}' + 60`,
      ),
    ).toBeGreaterThanOrEqual(2);
    // Proposals waiting for 立项审批: one at the demo county (the school's), one at the city.
    const pending = await a.db.query<{ level: string; kind: string }>(
      `SELECT o.level, o.kind FROM projects p JOIN orgs o ON o.id = p.pending_org_id WHERE p.status = 'submitted' ORDER BY o.level`,
    );
    expect(pending.rows.map((r) => r.level).sort()).toEqual(['city', 'county']);
    // Claims waiting at the demo school and (school-approved) at its county.
    const claims = await a.db.query<{ status: string; org_id: number }>(`SELECT c.status, t.org_id FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id`);
    expect(claims.rows.filter((c) => c.status === 'submitted' && c.org_id === teacher.org_id).length).toBeGreaterThanOrEqual(2);
    expect(claims.rows.filter((c) => c.status === 'schoolApproved').length).toBeGreaterThanOrEqual(1);
    expect(
      await n(
        `SELECT count(*)::int AS n FROM hour_claim_events e JOIN hour_claims c ON c.id = e.claim_id WHERE c.status = 'schoolApproved' AND e.action = 'schoolApprove'`,
      ),
    ).toBeGreaterThanOrEqual(1);
    // An anonymous survey open on the project running today.
    expect(
      await n(
        `SELECT count(*)::int AS n FROM surveys v JOIN project_sessions s ON s.project_id = v.project_id WHERE v.status = 'open' AND s.date = '${AS_OF}'`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('lets some new teachers complete the 10 岗前 days and leaves others short', async () => {
    // The 2023–2025 plan moved so that it ends with the year before asOf: its rule evaluated on the demo's own years.
    const shift = REF_YEAR - 1 - 2025;
    const text = readFileSync(`${POLICY_DIR}/000-bayannur-2023-2025.yaml`, 'utf8').replace(
      /^(\s*(?:from|to|deadline):\s*)(\d{4})-(\d\d-\d\d)/gm,
      (_, head: string, y: string, md: string) => `${head}${Number(y) + shift}-${md}`,
    );
    const loaded = loadPolicy(text);
    if (!loaded.ok) throw new Error('000 does not load');
    const orgs = await loadOrgs(a.db, '/');
    const root = orgs.find((o) => o.parentId === null)!;
    const status = new Map<string, number>();
    await evaluatePolicy(
      a.db,
      {
        policy: loaded.policy,
        asOf: `${REF_YEAR - 1}-12-31`,
        root,
        region: root,
        orgs: orgs.filter((o) => o.path.startsWith(root.path)),
        teacherRulesOnly: true,
      },
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
