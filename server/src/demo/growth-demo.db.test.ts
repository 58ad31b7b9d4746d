import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../test/harness.js';
import { PASSWORD } from '../../../test/factories.js';
import { todayInChina } from '../platform/china-time.js';
import { seedDemo } from './seed.js';
import { attachDemoPolicies } from '../modules/policies/policies.service.js';

// Issue 13 demo data: every new page has something to show for the demo account that opens it, and a tiny demo
// (as the browser tests seed) still seeds.

let t: TestApp;
const logs: string[] = [];
const today = todayInChina();
const year = Number(today.slice(0, 4));
const cookies: Record<string, string> = {};
const get = async (who: string, url: string) => {
  cookies[who] ??= await login(t.app, who, PASSWORD);
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
  expect(r.statusCode, `${who} ${url}: ${r.body}`).toBe(200);
  return r.json();
};
const todoCount = async (who: string, kind: string) =>
  ((await get(who, '/api/todo')).items as { kind: string; count: number }[]).find((i) => i.kind === kind)?.count ?? 0;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.ctx, { teachers: 300, seed: 7, asOf: today, log: (m) => logs.push(m) });
  console.log(logs.filter((m) => /示例数据|演示数据生成完成/.test(m)).join('\n'));
}, 300_000);
afterAll(async () => t?.close());

describe('demo 工作室', () => {
  it('the county sees named studios and an application waiting in its 待办; the city sees its studios on the board', async () => {
    const list = (await get('county.admin', '/api/studios')) as { status: string; level: string; kind: string }[];
    expect(list.filter((s) => s.status === 'named').length, logs.join('\n')).toBeGreaterThanOrEqual(3);
    expect(list.some((s) => s.status === 'applying')).toBe(true);
    expect(await todoCount('county.admin', 'studioReviews')).toBeGreaterThanOrEqual(1);
    const city = (await get('city.admin', '/api/studios')) as { level: string; kind: string }[];
    expect(new Set(city.map((s) => `${s.level}.${s.kind}`))).toEqual(
      new Set(['city.masterTeacher', 'city.principal', 'county.masterTeacher', 'county.masterHomeroom']),
    );
    expect((await get('city.admin', `/api/studios/board?year=${year}`)) ?? null).not.toBeNull();
  });

  it("the demo teacher hosts a studio: members, last year's assessment and credited hours, an activity with check-in next week", async () => {
    const mine = (await get('teacher', '/api/studios')) as { id: number; runs: boolean; level: string }[];
    const host = mine.find((s) => s.runs);
    expect(host?.level).toBe('city');
    const page = await get('teacher', `/api/studios/${host!.id}`);
    expect(page.members.length).toBeGreaterThanOrEqual(5);
    expect(new Set(page.members.map((m: { joinedOn: string }) => m.joinedOn)).size).toBeGreaterThan(1);
    const work = await get('teacher', `/api/studios/${host!.id}/work`);
    expect(work.plans.length).toBeGreaterThanOrEqual(2);
    expect(work.outputs.length).toBeGreaterThanOrEqual(3);
    expect(work.assessments.map((a: { year: number; grade: string }) => [a.year, a.grade])).toEqual([[year - 1, 'excellent']]);
    const coming = work.activities.filter((a: { heldOn: string; sessionId: number | null }) => a.heldOn > today && a.sessionId);
    expect(coming).toHaveLength(1);
    // Last year's check-in session: hours in the ledger through the studio's yearly project.
    const hours = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries l JOIN project_sessions s ON s.id = l.session_id JOIN studio_years y ON y.project_id = s.project_id
        WHERE y.studio_id = $1 AND y.year = $2`,
      [host!.id, year - 1],
    );
    expect(hours.rows[0].n).toBeGreaterThanOrEqual(4);
  });
});

describe('demo 骨干教师', () => {
  it('a finished round with designations (teacher_designations) and an open round the school has to nominate for', async () => {
    const rounds = (await get('county.admin', '/api/key-teachers/rounds')) as { status: string }[];
    expect(rounds.map((r) => r.status).sort()).toEqual(['designated', 'nominating']);
    const d = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_teacher_nominations n JOIN teacher_designations d ON d.id = n.designation_id
        WHERE n.status = 'designated' AND d.valid_from <= $1 AND d.valid_until >= $1`,
      [today],
    );
    expect(d.rows[0].n).toBeGreaterThanOrEqual(2);
    expect(await todoCount('school.admin', 'keyTeacherNominations')).toBeGreaterThanOrEqual(1);
  });
});

describe('demo 师徒结对', () => {
  it('the school board shows pairs, a released and a waiting new teacher, 重点培养对象 and one new teacher without a mentor', async () => {
    const pairs = await get('school.admin', '/api/mentoring/pairs');
    expect((pairs.items ?? pairs).length).toBeGreaterThanOrEqual(2);
    const board = await get('school.admin', '/api/mentoring/board');
    expect(board.keyCandidates.length).toBe(2);
    expect(board.withoutMentor).toHaveLength(1);
    expect(board.gated.some((x: { passed: number; ready: boolean }) => x.passed === 1 && !x.ready)).toBe(true);
    expect(await todoCount('school.admin', 'mentoringUnpaired')).toBeGreaterThanOrEqual(1);
    const gates = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teaching_gates WHERE released_on IS NOT NULL`);
    expect(gates.rows[0].n).toBe(1);
    const office = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM polish_rounds p JOIN orgs o ON o.id = p.evaluator_org_id WHERE o.kind = 'researchOffice'`,
    );
    expect(office.rows[0].n).toBe(1);
  });
});

describe('demo 竞赛、课题、学历提升', () => {
  it("last year's edition published with honours; this year's open with the non-qualifiers re-entered", async () => {
    const list = (await get('county.admin', '/api/competitions')) as { id: number; year: number; status: string }[];
    expect(list.map((c) => [c.year, c.status]).sort()).toEqual([
      [year - 1, 'published'],
      [year, 'open'],
    ]);
    const open = await get('county.admin', `/api/competitions/${list.find((c) => c.status === 'open')!.id}`);
    const prev = await get('county.admin', `/api/competitions/${list.find((c) => c.status === 'published')!.id}`);
    expect(prev.entries.length).toBeGreaterThanOrEqual(6);
    expect(open.entries.filter((e: { source: string }) => e.source === 'reentry')).toHaveLength(prev.entries.length - 4);
    const honours = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teacher_honours WHERE title LIKE '%青年教师教学基本功大赛%'`);
    expect(honours.rows[0].n).toBe(4);
  });

  it('the demo teacher has a 课题 in progress; the school a 学历提升 plan', async () => {
    const projects = await get('teacher', '/api/research-projects');
    expect((projects.items ?? projects).length).toBe(1);
    const reviewing = await get('county.admin', '/api/research-projects');
    expect((reviewing.items ?? reviewing).length).toBe(1);
    const plans = await get('school.admin', '/api/upgrade-plans');
    expect((plans.items ?? plans).length).toBe(1);
  });

  it('the 教研员 account logs in', async () => {
    expect((await get('research.office', '/api/auth/me')).role).toBe('devCenter');
  });
});

describe('demo targets from records (issue 13 item 6)', () => {
  it('the city’s studio targets on 目标与经费数据 are the counts of the demo’s own records, with no manual figure', async () => {
    await attachDemoPolicies(t.db); // as `npm start` does after seeding
    const m = (await get('city.admin', '/api/indicators/metrics')) as {
      targets: { metric: string; figures: { orgId: number; year: number; platform: number; override: unknown; value: number }[] }[];
    };
    const city = (
      await t.db.query<{ id: number; path: string }>(
        `SELECT o.id, o.path FROM users u JOIN active_user_roles a ON a.user_id = u.id JOIN orgs o ON o.id = a.org_id WHERE u.username = 'city.admin' LIMIT 1`,
      )
    ).rows[0];
    const named = async (kind: string, level: string, y: number) =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM studios s JOIN orgs o ON o.id = s.naming_org_id
            WHERE o.path LIKE $1 || '%' AND s.kind = $2 AND s.level = $3 AND extract(year FROM s.named_on) = $4
              AND NOT EXISTS (SELECT 1 FROM studio_history h WHERE h.studio_id = s.id AND h.action = 'delist')`,
          [city.path, kind, level, y],
        )
      ).rows[0].n;
    let compared = 0;
    for (const [metric, kind, level] of [
      ['studios.masterTeacher.city', 'masterTeacher', 'city'],
      ['studios.masterTeacher.county', 'masterTeacher', 'county'],
      ['studios.masterHomeroom.county', 'masterHomeroom', 'county'],
    ]) {
      const figures = m.targets.find((x) => x.metric === metric)?.figures.filter((f) => f.orgId === city.id) ?? [];
      for (const f of figures.filter((x) => x.year >= year - 1)) {
        expect(f.override).toBeNull();
        expect([metric, f.year, f.platform]).toEqual([metric, f.year, await named(kind, level, f.year)]);
        expect(f.value).toBe(f.platform);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
    // Last year's 市级名师工作室 of the demo is counted (named 03-15 last year).
    const lastYear = m.targets.find((x) => x.metric === 'studios.masterTeacher.city')?.figures.find((f) => f.orgId === city.id && f.year === year - 1);
    expect(lastYear?.platform).toBeGreaterThanOrEqual(1);
  });
});

describe('a tiny demo', () => {
  it('still seeds (the growth parts skip what its schools are too small for)', { timeout: 120_000 }, async () => {
    const tiny = await createTestApp();
    try {
      const out = await seedDemo(tiny.ctx, { teachers: 20, seed: 3, asOf: today });
      expect(out?.counts.teachers).toBe(20);
    } finally {
      await tiny.close();
    }
  });
});
