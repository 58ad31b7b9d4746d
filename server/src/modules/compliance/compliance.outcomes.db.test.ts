/**
 * 进行中 is not 未达标: the school worklist lists teachers by urgency (未达标, 临期, behind pace) and keeps
 * on-pace teachers apart; the dashboard's 达标率 is over due windows only, with 进行中 counted separately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { createPolicy } from '../policies/policies.service.js';

/**
 * Three teacher rules for everyone, evaluated on 2025-06-30:
 * - spring-it: 10 学时 of IT from January to March — its deadline has passed;
 * - annual-subject: 40 学时 of 学科 in 2025 — 184 days left, a linear pace asks 19.8 by now;
 * - july-ethics: 6 学时 of 师德 by 31 July — 31 days left, within the default 60 临期 days.
 */
const POLICY = `policy: honest-outcomes-test
version: 1
title: 四种结果测试政策
source: { file: test.txt }
appliesTo: {}
period: { from: 2025-01-01, to: 2025-12-31 }
rules:
  - id: spring-it
    kind: hours
    title: 春季信息技术 10 学时
    who: { all: true }
    categories: [it]
    atLeast: 10
    window: { from: 2025-01-01, to: 2025-03-31 }
    cite: { section: 一, text: 春季完成信息技术培训10学时 }
  - id: annual-subject
    kind: hours
    title: 每年学科培训 40 学时
    who: { all: true }
    categories: [subject]
    atLeast: 40
    window: { every: year }
    cite: { section: 二, text: 每年学科培训不少于40学时 }
  - id: july-ethics
    kind: hours
    title: 7 月前师德培训 6 学时
    who: { all: true }
    categories: [ethics]
    atLeast: 6
    window: { from: 2025-01-01, to: 2025-07-31 }
    cite: { section: 三, text: 7月底前完成师德培训6学时 }
`;

let t: TestApp;
let w: World;
let cookie: string;
let policyId: number;
let school: number;
const ids: Record<string, number> = {};
let seq = 0;

async function hours(teacherId: number, h: number, category: string, on: string) {
  seq++;
  await t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1,$2,$3,$4,'import','测试',$5)`,
    [teacherId, h, category, on, `outcomes:${seq}`],
  );
}

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(r.statusCode).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  policyId = (await createPolicy(t.ctx, w.cityAdmin, POLICY, null)).id;
  school = (await insertOrg(t.db, { code: 'T-S9', name: '甲区第九小学', level: 'school', kind: 'school', stage: 'primary', parentId: w.county1 })).id;
  // [spring IT, annual 学科, July 师德] hours of each teacher.
  const plan: Record<string, [number, number, number]> = {
    overdue: [5, 40, 6], // spring IT short, deadline passed
    dueSoon: [10, 40, 2], // 师德 short, 31 days left
    behind: [10, 10, 6], // 学科 10 < 19.8 expected by now
    onPace: [10, 25, 6], // 学科 25 ≥ 19.8
    done: [10, 40, 6],
  };
  for (const [name, [it, subject, ethics]] of Object.entries(plan)) {
    ids[name] = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(school, { name: `${name}老师`, hireDate: '2010-08-01' }));
    if (it) await hours(ids[name], it, 'it', '2025-02-01');
    if (subject) await hours(ids[name], subject, 'subject', '2025-04-01');
    if (ethics) await hours(ids[name], ethics, 'ethics', '2025-05-01');
  }
  cookie = await login(t.app, 'city.admin', PASSWORD);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Entry = { teacher: { id: number }; urgency: string; earliestDeadline: string | null; items: { ruleId: string; status: string }[] };

describe('the school worklist', () => {
  it('lists 未达标, then 临期, then behind pace; on-pace and compliant teachers are not failures', async () => {
    const wl = await get(`/api/compliance/worklist?orgId=${school}&policyId=${policyId}&asOf=2025-06-30`);
    expect(wl.show).toBe('attention');
    expect(wl.counts).toEqual({ overdue: 1, dueSoon: 1, behind: 1, onPace: 1 });
    const items = wl.items as Entry[];
    expect(items.map((i) => i.teacher.id)).toEqual([ids.overdue, ids.dueSoon, ids.behind]);
    expect(items.map((i) => [i.urgency, i.earliestDeadline])).toEqual([
      ['overdue', '2025-03-31'],
      ['dueSoon', '2025-07-31'],
      ['behind', '2025-12-31'],
    ]);
    expect(wl.total).toBe(3);
    // Each teacher's items: the unmet ones only, most urgent first.
    expect(items[0].items.map((i) => [i.ruleId, i.status])).toEqual([['spring-it', 'overdue']]);
    expect(items[2].items).toMatchObject([{ ruleId: 'annual-subject', status: 'inProgress', pace: { expected: 19.8, behind: true } }]);
  });

  it('keeps on-pace 进行中 teachers behind their own filter', async () => {
    const onPace = await get(`/api/compliance/worklist?orgId=${school}&policyId=${policyId}&asOf=2025-06-30&show=onPace`);
    expect((onPace.items as Entry[]).map((i) => i.teacher.id)).toEqual([ids.onPace]);
    expect(onPace.items[0].items).toMatchObject([{ ruleId: 'annual-subject', status: 'inProgress', pace: { behind: false } }]);
    const all = await get(`/api/compliance/worklist?orgId=${school}&policyId=${policyId}&asOf=2025-06-30&show=all`);
    expect((all.items as Entry[]).map((i) => i.teacher.id)).toEqual([ids.overdue, ids.dueSoon, ids.behind, ids.onPace]);
    const bad = await t.app.inject({ method: 'GET', url: `/api/compliance/worklist?orgId=${school}&show=late`, headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('筛选应为');
  });

  it('after every deadline nobody is 进行中: the unmet are 未达标', async () => {
    const wl = await get(`/api/compliance/worklist?orgId=${school}&policyId=${policyId}&asOf=2026-01-05`);
    expect(wl.counts).toEqual({ overdue: 4, dueSoon: 0, behind: 0, onPace: 0 });
  });
});

describe('the dashboard', () => {
  it('rates are over due windows only; 进行中 and 临期 are counted apart', async () => {
    const s = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${school}&asOf=2025-06-30`);
    const rule = (id: string) => s.rules.find((r: { id: string }) => r.id === id).totals;
    // Spring IT is due: 4 of 5 met.
    expect(rule('spring-it')).toMatchObject({ subjects: 5, due: 5, compliantDue: 4, overdue: 1, share: 0.8 });
    // The year is not over: no 达标率 yet, however many are behind; three finished early.
    expect(rule('annual-subject')).toMatchObject({ due: 0, share: null, compliant: 3, inProgress: 2, behindPace: 1, overdue: 0 });
    expect(rule('july-ethics')).toMatchObject({ due: 0, share: null, compliant: 4, dueSoon: 1, overdue: 0 });
    expect(s.teachers).toMatchObject({ evaluated: 5, compliantAll: 1, overdue: 1 });
    // Each teacher's cell carries the outcome.
    const cell = (id: number, r: string) => s.children.find((c: { id: number }) => c.id === id).results[r];
    expect(cell(ids.behind, 'annual-subject')).toMatchObject({ status: 'inProgress', pace: { expected: 19.8, behind: true }, daysLeft: 184 });
    expect(cell(ids.dueSoon, 'july-ethics')).toMatchObject({ status: 'dueSoon', daysLeft: 31 });
    expect(cell(ids.overdue, 'spring-it')).toMatchObject({ status: 'overdue', due: true });
  });

  it('on a deadline day the window counts in the rate, and the unmet are still 临期', async () => {
    const s = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${school}&asOf=2025-07-31`);
    const ethics = s.rules.find((r: { id: string }) => r.id === 'july-ethics').totals;
    expect(ethics).toMatchObject({ due: 5, compliantDue: 4, dueSoon: 1, overdue: 0, share: 0.8 });
    const after = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${school}&asOf=2025-08-01`);
    expect(after.rules.find((r: { id: string }) => r.id === 'july-ethics').totals).toMatchObject({ due: 5, overdue: 1, dueSoon: 0, share: 0.8 });
  });

  it('the county above rolls the same counts up', async () => {
    const s = await get(`/api/compliance/summary?policyId=${policyId}&orgId=${w.county1}&asOf=2025-06-30`);
    const child = s.children.find((c: { id: number }) => c.id === school);
    expect(child.totals['annual-subject']).toMatchObject({ inProgress: 2, behindPace: 1, share: null });
    expect(child.totals['spring-it']).toMatchObject({ share: 0.8 });
  });

  it('stored summaries carry the new counts under a versioned key, so summaries stored in the old shape are never served', async () => {
    const rows = (await t.db.query<{ key: string; body: { rules: { totals: Record<string, unknown> }[] } }>('SELECT key, body FROM compliance_snapshots')).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.key.startsWith('["v2",')).toBe(true);
      expect(r.body.rules[0].totals).toHaveProperty('inProgress');
      expect(r.body.rules[0].totals).toHaveProperty('due');
      expect(r.body.rules[0].totals).not.toHaveProperty('shortfall');
    }
  });
});
