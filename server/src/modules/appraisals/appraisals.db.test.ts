import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { addDays, todayInChina, yearInChina } from '../../platform/china-time.js';
import { insertSanction } from '../integrity/sanctions.repository.js';
import { excellentAllowed } from './inputs.js';

// 年度考核 (issue 14 item 1) through the routes, on both databases: the 优秀 quota (hand-worked), inputs that block 优秀,
// the 师德 veto, 公示 with an upheld objection, results written to appraisal_results, a correction superseding a result,
// and the 家访/学业述评 records the teacher enters and the school counts.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
// Last year: the year is over, so its inputs are read as of Y-12-31 whatever today is.
const Y = yearInChina() - 1;
const teachers: number[] = [];

/** Everything 优秀 needs in year Y: 学业述评 both terms, one 家访. */
async function meetsAll(teacherId: number) {
  await aw.t.db.query(
    `INSERT INTO academic_reviews (teacher_id, school_org_id, year, term, class_name, students, reviewed, completed_on)
     VALUES ($1, $2, $3, 'spring', '三年级1班', 40, 40, $4), ($1, $2, $3, 'autumn', '三年级1班', 40, 40, $5)`,
    [teacherId, aw.w.school1, Y, `${Y}-06-30`, `${Y}-12-20`],
  );
  await aw.t.db.query(`INSERT INTO home_visits (teacher_id, school_org_id, visited_on, class_name, families) VALUES ($1, $2, $3, '三年级1班', 3)`, [
    teacherId,
    aw.w.school1,
    `${Y}-10-15`,
  ]);
}

const sanction = (teacherId: number, kind: 'warning' | 'demerit', on: string, until: string) =>
  aw.t.db.tx((q) =>
    insertSanction(q, {
      teacherId,
      caseId: null,
      kind,
      decidedOn: on,
      validFrom: on,
      validUntil: until,
      decisionNo: `甲教师德〔${Y}〕1号`,
      reason: '有偿补课',
      decidedByOrgId: aw.w.county1,
      recordedBy: null,
    }),
  );

beforeAll(async () => {
  aw = await accountsWorld();
  for (const u of ['county.admin', 'school.admin', 'teacher']) c[u] = await aw.login(u);
  // school1: 张老师 (the fixture's teacher, with an account) + 22 more = 23 teachers.
  teachers.push(aw.w.teacherId);
  for (let i = 1; i <= 22; i++) teachers.push(await aw.teacher(aw.w.school1, { name: `考核教师${String(i).padStart(2, '0')}` }));
});
afterAll(async () => aw?.t.close());

describe('the 优秀 quota', () => {
  it('rounds down: floor(n × share), in thousandths', () => {
    expect(excellentAllowed(23, 0.2)).toBe(4); // 4.6 → 4
    expect(excellentAllowed(25, 0.2)).toBe(5);
    expect(excellentAllowed(4, 0.2)).toBe(0); // 0.8 → 0
    expect(excellentAllowed(100, 0.57)).toBe(57); // not 56 (0.57 × 100 = 56.999… in floating point)
  });
});

describe('a school runs its round', () => {
  let round = 0;
  const entryOf = async (teacherId: number) => {
    const d = (await call('school.admin', 'GET', `/api/appraisals/rounds/${round}`)).json();
    return d.entries.find((e: { teacherId: number }) => e.teacherId === teacherId);
  };
  // Entry ids never change: read them once (the detail gathers every teacher's inputs).
  const ids = new Map<number, number>();
  const entryId = async (teacherId: number) => {
    if (!ids.size)
      for (const e of (await aw.t.db.query<{ id: number; teacher_id: number }>('SELECT id, teacher_id FROM appraisal_entries WHERE round_id = $1', [round]))
        .rows)
        ids.set(e.teacher_id, e.id);
    return ids.get(teacherId) as number;
  };
  const grade = async (teacherId: number, g: string, who = 'school.admin') =>
    call(who, 'POST', `/api/appraisals/entries/${await entryId(teacherId)}/grade`, { grade: g });

  it('opens with every active teacher of the school and the policy’s share; a school cannot set its own share', async () => {
    const bad = await call('school.admin', 'POST', '/api/appraisals/rounds', {
      year: Y,
      title: `${Y} 年度考核`,
      selfReportUntil: addDays(todayInChina(), 30),
      gradeUntil: addDays(todayInChina(), 40),
      excellentShare: 0.5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('优秀比例由教育局确定');
    const r = await call('school.admin', 'POST', '/api/appraisals/rounds', {
      year: Y,
      title: `${Y} 年度考核`,
      selfReportUntil: addDays(todayInChina(), 30),
      gradeUntil: addDays(todayInChina(), 40),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().teachers).toBe(23);
    round = r.json().id;
    // The bureau above cannot open an overlapping round for the same year.
    const dup = await call('county.admin', 'POST', '/api/appraisals/rounds', {
      year: Y,
      title: `${Y} 甲区年度考核`,
      selfReportUntil: addDays(todayInChina(), 30),
      gradeUntil: addDays(todayInChina(), 40),
      excellentShare: 0.3,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain('同一教师一年只参加一次年度考核');
    const dr = await call('school.admin', 'GET', `/api/appraisals/rounds/${round}`);
    expect(dr.statusCode, dr.body).toBe(200);
    const d = dr.json();
    expect(d.excellentShare).toBe(0.2);
    expect(d.quotas).toEqual([expect.objectContaining({ teachers: 23, allowed: 4, excellent: 0 })]);
  });

  it('the teacher enters 家访 and 学业述评 on the phone, writes a self-report, and the inputs are gathered', async () => {
    const me = aw.w.teacherId;
    const hv = await call('teacher', 'POST', '/api/my/home-visits', { visitedOn: `${Y}-11-02`, className: '三年级2班', families: 4 });
    expect(hv.statusCode, hv.body).toBe(200);
    const future = await call('teacher', 'POST', '/api/my/home-visits', { visitedOn: addDays(todayInChina(), 1), className: '三年级2班', families: 1 });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('不能晚于今天');
    const tooMany = await call('teacher', 'POST', '/api/my/academic-reviews', {
      year: Y,
      term: 'spring',
      className: '三年级2班',
      students: 38,
      reviewed: 39,
      completedOn: `${Y}-06-28`,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toContain('不能多于学生人数');
    // Spring entered with 30 of 38, then corrected to all 38 (the correction supersedes).
    for (const reviewed of [30, 38])
      expect(
        (
          await call('teacher', 'POST', '/api/my/academic-reviews', {
            year: Y,
            term: 'spring',
            className: '三年级2班',
            students: 38,
            reviewed,
            completedOn: `${Y}-06-28`,
          })
        ).statusCode,
      ).toBe(200);
    let e = await entryOf(me);
    expect(e.inputs.homeVisits).toEqual({ met: true, count: 1, families: 4, required: 1 });
    expect(e.inputs.academicReview.met).toBe(false);
    expect(e.inputs.academicReview.missing).toEqual(['秋季学期无学业述评记录']);
    expect(e.inputs.blocksExcellent).toEqual(['学业述评未完成：秋季学期无学业述评记录']);
    const no = await grade(me, 'excellent');
    expect(no.statusCode).toBe(409);
    expect(no.json().message).toBe('张老师不能评为优秀：学业述评未完成：秋季学期无学业述评记录');
    await call('teacher', 'POST', '/api/my/academic-reviews', {
      year: Y,
      term: 'autumn',
      className: '三年级2班',
      students: 38,
      reviewed: 38,
      completedOn: `${Y}-12-25`,
    });
    e = await entryOf(me);
    expect(e.inputs.academicReview.terms).toEqual([
      { term: 'spring', classes: 1, students: 38, reviewed: 38 },
      { term: 'autumn', classes: 1, students: 38, reviewed: 38 },
    ]);
    expect(e.inputs.blocksExcellent).toEqual([]);

    const sr = await call('teacher', 'POST', '/api/my/appraisal/self-report', {
      roundId: round,
      text: '本年度担任三年级语文教学及班主任工作，完成校本研修 72 学时。',
    });
    expect(sr.statusCode, sr.body).toBe(200);
    const mine = (await call('teacher', 'GET', `/api/my/appraisal?year=${Y}`)).json();
    expect(mine.rounds[0]).toMatchObject({ roundId: round, canReport: true, grade: null, selfReport: expect.stringContaining('三年级语文') });
    expect(mine.homeVisits).toHaveLength(1);
    expect(mine.academicReviews.map((a: { reviewed: number }) => a.reviewed)).toEqual([38, 38]);

    // The school's table: counts per teacher, class and term.
    const table = (await call('school.admin', 'GET', `/api/appraisals/records?year=${Y}`)).json();
    expect(table.rows).toEqual([
      expect.objectContaining({
        teacherName: '张老师',
        className: '三年级2班',
        visits: 1,
        families: 4,
        springReviewed: 38,
        springStudents: 38,
        autumnReviewed: 38,
      }),
    ]);
    // A teacher's record entry is their own: an admin cannot enter one.
    expect((await call('school.admin', 'POST', '/api/my/home-visits', { visitedOn: `${Y}-11-02`, className: '三年级2班', families: 4 })).statusCode).toBe(403);
  });

  it('refuses 优秀 above the quota (23 × 20 % = 4.6 → 4) and grades the veto forbids', async () => {
    // 张老师 and four others meet every input: five candidates for four places.
    for (const t of teachers.slice(1, 5)) await meetsAll(t);
    for (const t of [aw.w.teacherId, ...teachers.slice(1, 4)]) {
      const r = await grade(t, 'excellent');
      expect(r.statusCode, r.body).toBe(200);
    }
    const fifth = await grade(teachers[4], 'excellent');
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json().message).toBe('超出优秀名额：甲区第一小学参加考核 23 人，优秀比例 20%，最多 4 人（向下取整），已评优秀 4 人');
    // Regrading one of the four to 优秀 again is not a fifth.
    expect((await grade(teachers[3], 'excellent')).statusCode).toBe(200);

    // 师德: a warning decided in Y vetoes 优秀 (decision year); a demerit decided in Y allows only 不合格.
    const warned = teachers[5];
    const demerit = teachers[6];
    await meetsAll(warned);
    await sanction(warned, 'warning', `${Y}-05-10`, `${Y}-11-09`);
    await sanction(demerit, 'demerit', `${Y}-03-01`, `${Y + 1}-02-28`);
    expect((await grade(teachers[3], 'qualified')).statusCode).toBe(200); // frees a place
    const w = await grade(warned, 'excellent');
    expect(w.statusCode).toBe(409);
    expect(w.json().message).toContain('不能评为优秀：一票否决（考核评为优秀）：受警告处理');
    expect((await grade(warned, 'qualified')).statusCode).toBe(200);
    const d = await grade(demerit, 'qualified');
    expect(d.statusCode).toBe(409);
    expect(d.json().message).toContain('只能评为不合格：一票否决（考核评为合格（只能评为不合格））：受记过处理');
    expect((await grade(demerit, 'basicallyQualified')).statusCode).toBe(409);
    expect((await grade(demerit, 'unqualified')).statusCode).toBe(200);
    // A teacher outside the caller's subtree: 404; a teacher cannot grade.
    expect((await call('teacher', 'POST', `/api/appraisals/entries/${await entryId(teachers[7])}/grade`, { grade: 'qualified' })).statusCode).toBe(403);
  });

  it('公示 needs every grade; an upheld objection changes a grade; results are written after the 公示, one in force per teacher and year', async () => {
    const from = addDays(todayInChina(), -10);
    const until = addDays(todayInChina(), -3);
    const early = await call('school.admin', 'POST', `/api/appraisals/rounds/${round}/publicize`, { from, until });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('还有教师未评定等次');
    for (const t of teachers.slice(4)) if (t !== teachers[5] && t !== teachers[6]) expect((await grade(t, 'qualified')).statusCode).toBe(200);
    // An earlier result of the year (imported) is superseded by the round's.
    await aw.t.db.query(`INSERT INTO appraisal_results (teacher_id, org_id, year, grade, source) VALUES ($1, $2, $3, 'qualified', 'import')`, [
      teachers[1],
      aw.w.school1,
      Y,
    ]);
    expect((await call('school.admin', 'POST', `/api/appraisals/rounds/${round}/publicize`, { from, until: addDays(from, -1) })).statusCode).toBe(400);
    expect((await call('school.admin', 'POST', `/api/appraisals/rounds/${round}/publicize`, { from, until })).statusCode).toBe(200);
    expect((await grade(teachers[8], 'qualified')).json().message).toBe('考核公示中，不能评定等次');
    const mine = (await call('teacher', 'GET', `/api/my/appraisal?year=${Y}`)).json();
    expect(mine.rounds[0]).toMatchObject({ statusLabel: '公示中', gradeLabel: '优秀', canReport: false });
    expect((await call('teacher', 'POST', '/api/my/appraisal/self-report', { roundId: round, text: '补充' })).statusCode).toBe(409);

    const e2 = { id: await entryId(teachers[2]) };
    const bad = await call('school.admin', 'POST', `/api/appraisals/entries/${e2.id}/objections`, {
      receivedOn: addDays(from, 1),
      content: '其家访记录与实际不符',
      upheld: true,
      decision: '经核实属实',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('异议成立时请选择改定的等次');
    const ok = await call('school.admin', 'POST', `/api/appraisals/entries/${e2.id}/objections`, {
      receivedOn: addDays(from, 1),
      content: '其家访记录与实际不符',
      upheld: true,
      decision: '经核实属实，改为合格',
      newGrade: 'qualified',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const e1 = { id: await entryId(teachers[1]) };
    expect(
      (
        await call('school.admin', 'POST', `/api/appraisals/entries/${e1.id}/objections`, {
          receivedOn: addDays(from, 2),
          content: '认为其不应评优',
          upheld: false,
          decision: '经核实不成立，维持优秀',
        })
      ).statusCode,
    ).toBe(200);
    expect((await aw.t.db.query('SELECT grade FROM appraisal_entries WHERE id = $1', [e2.id])).rows[0]).toEqual({ grade: 'qualified' });

    const conf = await call('school.admin', 'POST', `/api/appraisals/rounds/${round}/confirm`);
    expect(conf.statusCode, conf.body).toBe(200);
    expect(conf.json()).toEqual({ results: 23 });
    const rows = await aw.t.db.query<{ grade: string; n: number }>(
      `SELECT grade, count(*)::int AS n FROM appraisal_results WHERE year = $1 AND superseded_at IS NULL AND round_id = $2 GROUP BY grade ORDER BY grade`,
      [Y, round],
    );
    expect(rows.rows).toEqual([
      { grade: 'excellent', n: 2 }, // 张老师, teachers[1] (teachers[2] lost it on objection, teachers[3] regraded 合格)
      { grade: 'qualified', n: 20 },
      { grade: 'unqualified', n: 1 },
    ]);
    const hist = await aw.t.db.query(`SELECT source, superseded_at IS NOT NULL AS old FROM appraisal_results WHERE teacher_id = $1 AND year = $2 ORDER BY id`, [
      teachers[1],
      Y,
    ]);
    expect(hist.rows).toEqual([
      { source: 'import', old: true },
      { source: 'round', old: false },
    ]);
    expect((await call('school.admin', 'POST', `/api/appraisals/rounds/${round}/confirm`)).statusCode).toBe(409);
  });

  it('a correction supersedes a result with a reason; the veto and the quota still hold; the history shows both', async () => {
    const resultOf = async (t: number) =>
      (await aw.t.db.query<{ id: number }>('SELECT id FROM appraisal_results WHERE teacher_id = $1 AND year = $2 AND superseded_at IS NULL', [t, Y])).rows[0]
        .id;
    const demerit = await call('school.admin', 'POST', `/api/appraisals/results/${await resultOf(teachers[6])}/correct`, {
      grade: 'qualified',
      reason: '复核',
    });
    expect(demerit.statusCode).toBe(409);
    expect(demerit.json().message).toContain('只能评为不合格');
    const noReason = await call('school.admin', 'POST', `/api/appraisals/results/${await resultOf(teachers[9])}/correct`, {
      grade: 'basicallyQualified',
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('请填写更正原因');
    const old = await resultOf(teachers[9]);
    const fix = await call('school.admin', 'POST', `/api/appraisals/results/${old}/correct`, { grade: 'basicallyQualified', reason: '经复核病假超过规定天数' });
    expect(fix.statusCode, fix.body).toBe(200);
    expect((await call('school.admin', 'POST', `/api/appraisals/results/${old}/correct`, { grade: 'qualified', reason: '再次更正' })).statusCode).toBe(409);
    const h = (await call('school.admin', 'GET', `/api/teachers/${teachers[9]}/appraisals`)).json();
    expect(h.results.map((r: { gradeLabel: string; inForce: boolean; source: string }) => [r.gradeLabel, r.source, r.inForce])).toEqual([
      ['基本合格', 'correction', true],
      ['合格', 'round', false],
    ]);
    expect(h.results[0].correctionReason).toBe('经复核病假超过规定天数');
    // The teacher sees their own history, not another's.
    const own = (await call('teacher', 'GET', `/api/teachers/${aw.w.teacherId}/appraisals`)).json();
    expect(own.results[0]).toMatchObject({ year: Y, gradeLabel: '优秀', inForce: true });
    expect((await call('teacher', 'GET', `/api/teachers/${teachers[9]}/appraisals`)).statusCode).toBe(404);
  });
});

describe('a bureau round for its subtree', () => {
  it('sets the 优秀 share for its schools; each school’s quota counts its own teachers', async () => {
    const y = Y - 1;
    for (let i = 0; i < 4; i++) await aw.teacher(aw.w.school2, { name: `初中教师${i}` });
    const r = await call('county.admin', 'POST', '/api/appraisals/rounds', {
      year: y,
      title: `${y} 甲区年度考核`,
      selfReportUntil: addDays(todayInChina(), 10),
      gradeUntil: addDays(todayInChina(), 20),
      excellentShare: 0.3,
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = (await call('county.admin', 'GET', `/api/appraisals/rounds/${r.json().id}`)).json();
    // school1 23 × 30 % = 6.9 → 6; school2 4 × 30 % = 1.2 → 1.
    expect(d.quotas.map((q: { teachers: number; allowed: number }) => [q.teachers, q.allowed])).toEqual([
      [23, 6],
      [4, 1],
    ]);
    // The school sees the bureau's round, with its own teachers only.
    const s = await call('school.admin', 'GET', `/api/appraisals/rounds/${r.json().id}`);
    expect(s.statusCode).toBe(200);
    expect(s.json().entries).toHaveLength(23);
    expect(
      (await call('school.admin', 'POST', `/api/appraisals/rounds/${r.json().id}/publicize`, { from: todayInChina(), until: todayInChina() })).statusCode,
    ).toBe(404);
  });
});
