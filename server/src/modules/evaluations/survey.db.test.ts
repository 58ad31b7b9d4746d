import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { attend, enrolOnly, makeParticipant, makeProject, type Participant } from './evaluations.fixtures.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } });

const fullAnswer = (r: number, comment?: string) => ({ ratings: { q1: r, q2: r, q3: r, q4: r }, ...(comment ? { comment } : {}) });

async function newSurveyProject(attendees: number) {
  const p = await makeProject(t, w.institution);
  const people: Participant[] = [];
  for (let i = 0; i < attendees; i++) people.push(await makeParticipant(t, w));
  await attend(
    t,
    p,
    people.map((x) => x.teacherId),
  );
  const r = await req('institution', 'POST', `/api/projects/${p.id}/survey`, {});
  expect(r.statusCode).toBe(201);
  return { project: p, survey: r.json() as { id: number; questions: { key: string; label: string }[]; status: string }, people };
}

describe('attaching a survey', () => {
  it('creates the default survey and tells the attendees', async () => {
    const { project, survey, people } = await newSurveyProject(2);
    expect(survey.questions.map((q) => q.label)).toEqual(['内容实用性', '专家水平', '组织管理', '总体满意度']);
    expect(survey.status).toBe('open');
    const inbox = await t.db.query<{ link: string }>(`SELECT link FROM notifications WHERE user_id = $1 AND kind = 'evaluation'`, [people[0].userId]);
    expect(inbox.rows).toEqual([{ link: `/m/surveys/${survey.id}` }]);
    const again = await req('institution', 'POST', `/api/projects/${project.id}/survey`, {});
    expect(again.statusCode).toBe(409);
    const view = await req('institution', 'GET', `/api/projects/${project.id}/survey`);
    expect(view.json()).toMatchObject({ eligibleCount: 2, survey: { answerCount: 0, editable: true, allowedActions: [{ action: 'close' }] } });
  });

  it('accepts custom questions, rejects duplicates, and is out of reach outside the scope', async () => {
    const p = await makeProject(t, w.institution);
    const dup = await req('institution', 'POST', `/api/projects/${p.id}/survey`, { questions: ['课程内容', '课程内容'] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().fields[0].field).toBe('questions');
    // The county bureau is not above the city's institution: the project does not exist for it.
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/survey`, {})).statusCode).toBe(404);
    expect((await req('teacher', 'POST', `/api/projects/${p.id}/survey`, {})).statusCode).toBe(403);
    const ok = await req('institution', 'POST', `/api/projects/${p.id}/survey`, {
      title: '班主任培训评价',
      questions: ['课程内容', '讲师水平'],
      commentLabel: '最大的收获',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().questions).toEqual([
      { key: 'q1', label: '课程内容' },
      { key: 'q2', label: '讲师水平' },
    ]);
  });
});

describe('answering', () => {
  it('lets an attendee answer exactly once, and nobody else', async () => {
    const { survey, people } = await newSurveyProject(1);
    const [p] = people;
    const mine = await req(p.cookie, 'GET', '/api/my/surveys');
    expect(mine.json()).toEqual([expect.objectContaining({ surveyId: survey.id, answered: false, canAnswer: true })]);
    expect((await req(p.cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(4, '很实用'))).statusCode).toBe(201);
    const twice = await req(p.cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(1));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain('只能评价一次');
    expect((await req(p.cookie, 'GET', `/api/surveys/${survey.id}`)).json()).toMatchObject({ answered: true, canAnswer: false });
    const n = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_answers WHERE survey_id = $1', [survey.id]);
    expect(n.rows[0].n).toBe(1);

    // Enrolled but never present, or not enrolled at all: the survey does not exist for them.
    const absent = await makeParticipant(t, w);
    const stranger = await makeParticipant(t, w);
    const row = await t.db.query<{ project_id: number }>('SELECT project_id FROM surveys WHERE id = $1', [survey.id]);
    await enrolOnly(t, row.rows[0].project_id, [absent.teacherId]);
    for (const who of [absent, stranger]) {
      expect((await req(who.cookie, 'GET', `/api/surveys/${survey.id}`)).statusCode).toBe(404);
      expect((await req(who.cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(5))).statusCode).toBe(404);
    }
    // Organisers cannot answer.
    expect((await req('institution', 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(5))).statusCode).toBe(403);
  });

  it('requires every rating, 1–5, and nothing else', async () => {
    const { survey, people } = await newSurveyProject(1);
    const c = people[0].cookie;
    const missing = await req(c, 'POST', `/api/surveys/${survey.id}/answers`, { ratings: { q1: 5, q3: 4, q4: 4 } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toEqual([{ field: 'ratings.q2', message: '请为「专家水平」打分' }]);
    const extra = await req(c, 'POST', `/api/surveys/${survey.id}/answers`, { ratings: { q1: 5, q2: 5, q3: 5, q4: 5, q9: 5 } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().fields[0].field).toBe('ratings.q9');
    const six = await req(c, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(6));
    expect(six.statusCode).toBe(400);
    // Refused answers leave no trace: the teacher can still answer.
    expect((await req(c, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(3))).statusCode).toBe(201);
  });

  it('refuses answers once closed; close and reopen follow the survey state machine', async () => {
    const { project, survey, people } = await newSurveyProject(1);
    expect((await req('institution', 'POST', `/api/projects/${project.id}/survey/status`, { action: 'reopen' })).statusCode).toBe(409);
    const closed = await req('institution', 'POST', `/api/projects/${project.id}/survey/status`, { action: 'close' });
    expect(closed.json()).toMatchObject({ status: 'closed', allowedActions: [{ action: 'reopen', label: '重新开放' }] });
    const twice = await req('institution', 'POST', `/api/projects/${project.id}/survey/status`, { action: 'close' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('当前状态「已结束」不能执行「结束评价」');
    const late = await req(people[0].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(5));
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('已结束');
    expect((await req('institution', 'POST', `/api/projects/${project.id}/survey/status`, { action: 'reopen' })).json().status).toBe('open');
    expect((await req(people[0].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(5))).statusCode).toBe(201);
  });

  it('lets the questions change only while nobody has answered', async () => {
    const { project, survey, people } = await newSurveyProject(1);
    const edit = await req('institution', 'PUT', `/api/projects/${project.id}/survey`, { questions: ['内容', '讲师', '组织', '总体'] });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().questions[1]).toEqual({ key: 'q2', label: '讲师' });
    await req(people[0].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(4));
    const late = await req('institution', 'PUT', `/api/projects/${project.id}/survey`, { questions: ['内容'] });
    expect(late.statusCode).toBe(409);
  });
});

describe('concurrent answers', () => {
  it('keeps every answer and refuses a concurrent double answer', async () => {
    const { project, survey, people } = await newSurveyProject(8);
    const rs = await Promise.all([
      ...people.map((p, i) => req(p.cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(1 + (i % 5)))),
      req(people[0].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(5)),
    ]);
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 409]);
    const res = (await req('institution', 'GET', `/api/projects/${project.id}/survey/results`)).json();
    // One full batch of 5 is released; the other 3 wait for the next.
    expect(res).toMatchObject({ count: 5, waiting: 3, releaseBatch: 5 });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_answers WHERE survey_id = $1', [survey.id])).rows[0].n).toBe(8);
    const responded = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_responses WHERE survey_id = $1', [survey.id]);
    expect(responded.rows[0].n).toBe(8);
  });
});

describe('results', () => {
  it('shows nothing but the count below 5 answers, and the aggregates from the 5th', async () => {
    const { project, survey, people } = await newSurveyProject(6);
    const ratings = [5, 4, 4, 3, 5, 2];
    for (let i = 0; i < 4; i++) await req(people[i].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(ratings[i], `意见${i}`));
    const four = await req('institution', 'GET', `/api/projects/${project.id}/survey/results`);
    expect(four.json()).toEqual({ status: 'insufficient', count: 4, threshold: 5, waiting: 4, releaseBatch: 5 });
    // The combined evaluation does not use a survey below the threshold either (it counts released answers).
    expect((await req('city.admin', 'GET', `/api/projects/${project.id}/evaluation`)).json().participants).toEqual({ answers: 0, threshold: 5, score: null });

    await req(people[4].cookie, 'POST', `/api/surveys/${survey.id}/answers`, { ratings: { q1: 5, q2: 5, q3: 5, q4: 1 } });
    const five = (await req('institution', 'GET', `/api/projects/${project.id}/survey/results`)).json();
    expect(five.status).toBe('ok');
    expect(five.count).toBe(5);
    expect(five.questions[0]).toEqual({ key: 'q1', label: '内容实用性', average: 4.2, distribution: { '1': 0, '2': 0, '3': 1, '4': 2, '5': 2 } });
    expect(five.questions[3]).toMatchObject({ average: 3.4, distribution: { '1': 1, '2': 0, '3': 1, '4': 2, '5': 1 } });
    expect(five.average).toBe(4); // (4.2·3 + 3.4) / 4
    expect(five.score100).toBe(80);
    expect([...five.comments].sort()).toEqual(['意见0', '意见1', '意见2', '意见3']);
    // A supervisor of the region sees the same; a bureau outside it does not.
    expect((await req('city.admin', 'GET', `/api/projects/${project.id}/survey/results`)).json().count).toBe(5);
    expect((await req('county.admin', 'GET', `/api/projects/${project.id}/survey/results`)).statusCode).toBe(404);
    expect((await req(people[0].cookie, 'GET', `/api/projects/${project.id}/survey/results`)).statusCode).toBe(403);
  });
});

describe('anonymity by construction', () => {
  it('keeps no link between a respondent and their answer', async () => {
    const N = 10;
    const { survey, people } = await newSurveyProject(N);
    const idsAfter: string[][] = [];
    for (let i = 0; i < N; i++) {
      // The comment carries the submission order, so the test can look for it in the stored rows.
      const r = await req(people[i].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(1 + (i % 5), `#${i}`));
      expect(r.statusCode).toBe(201);
      idsAfter.push((await t.db.query<{ id: string }>('SELECT id::text AS id FROM survey_answers WHERE survey_id = $1', [survey.id])).rows.map((x) => x.id));
    }

    // 1. The answers table has no column that could name or place a respondent.
    const cols = await t.db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'survey_answers' ORDER BY ordinal_position`,
    );
    expect(cols.rows).toEqual([
      { column_name: 'id', data_type: 'uuid' },
      { column_name: 'survey_id', data_type: 'integer' },
      { column_name: 'submitted_week', data_type: 'date' },
      { column_name: 'ratings', data_type: 'jsonb' },
      { column_name: 'comment', data_type: 'text' },
      // Whether the answer's batch has been released to the results (batches of 5, never one answer).
      { column_name: 'released', data_type: 'boolean' },
    ]);
    // Its only foreign key points at the survey, not at users, teachers or the responses.
    const fks = await t.db.query<{ target: string }>(
      `SELECT confrelid::regclass::text AS target FROM pg_constraint WHERE conrelid = 'survey_answers'::regclass AND contype = 'f'`,
    );
    expect(fks.rows).toEqual([{ target: 'surveys' }]);
    // The "has responded" table holds the pair and nothing else: no time, no sequence.
    const rcols = await t.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_responses' ORDER BY ordinal_position`,
    );
    expect(rcols.rows.map((c) => c.column_name)).toEqual(['survey_id', 'teacher_id']);
    // No value in an answer row equals a teacher id, user id or anything of the responses table.
    const answers = await t.db.query<{ id: string; survey_id: number; submitted_week: string; ratings: Record<string, number>; comment: string }>(
      'SELECT id::text AS id, survey_id, submitted_week, ratings, comment FROM survey_answers WHERE survey_id = $1',
      [survey.id],
    );
    expect(answers.rows).toHaveLength(N);

    // 2. Ids are random version-4 UUIDs, and every submission gives the whole set fresh ones, so an id seen
    //    before a submission never identifies the row added by it.
    for (const a of answers.rows) expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 1; i < N; i++) expect(idsAfter[i].filter((id) => idsAfter[i - 1].includes(id))).toEqual([]);

    // 3. Only the Monday of the week is stored.
    for (const a of answers.rows) expect(new Date(`${a.submitted_week}T00:00:00Z`).getUTCDay()).toBe(1);

    // 4. Neither the physical order nor the writing transaction matches the order of the respondents:
    //    all rows were rewritten, in random order, by the last submission.
    const physical = await t.db.query<{ comment: string }>('SELECT comment FROM survey_answers WHERE survey_id = $1 ORDER BY ctid', [survey.id]);
    const order = physical.rows.map((r) => Number(r.comment.slice(1)));
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(N).keys()]);
    expect(order).not.toEqual([...Array(N).keys()]); // 1 in 10! chance of a false failure
    const xmins = await t.db.query<{ n: number }>('SELECT count(DISTINCT xmin::text)::int AS n FROM survey_answers WHERE survey_id = $1', [survey.id]);
    expect(xmins.rows[0].n).toBe(1);
    const rx = await t.db.query<{ n: number }>('SELECT count(DISTINCT xmin::text)::int AS n FROM survey_responses WHERE survey_id = $1', [survey.id]);
    expect(rx.rows[0].n).toBe(N); // the responses were written one by one, the answers no longer are

    // 5. Submitting an answer leaves nothing in the audit log that could tie the two together.
    const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'survey.answer%'`);
    expect(audit.rows[0].n).toBe(0);
  });
});

describe('release in batches (issue 9 item 12)', () => {
  type Results = { status: string; count: number; waiting: number; average?: number; questions?: unknown; comments?: string[] };
  const results = async (projectId: number) => (await req('institution', 'GET', `/api/projects/${projectId}/survey/results`)).json() as Results;
  const participants = async (projectId: number) => (await req('city.admin', 'GET', `/api/projects/${projectId}/evaluation`)).json().participants;

  it('reading the results before and after each answer never isolates one answer', async () => {
    const N = 13;
    const { project, survey, people } = await newSurveyProject(N);
    const ratings = [5, 4, 4, 3, 5, 1, 2, 5, 3, 4, 1, 5, 2];
    const seen: { results: Results; score: unknown }[] = [];
    for (let i = 0; i < N; i++) {
      const before = { results: await results(project.id), score: await participants(project.id) };
      expect((await req(people[i].cookie, 'POST', `/api/surveys/${survey.id}/answers`, fullAnswer(ratings[i], `意见${i}`))).statusCode).toBe(201);
      const after = { results: await results(project.id), score: await participants(project.id) };
      seen.push(after);
      const count = i + 1;
      if (count % 5 === 0) {
        // A whole batch was released: the figures now cover exactly `count` answers.
        expect(after.results).toMatchObject({ status: 'ok', count, waiting: 0 });
      } else {
        // The attacker's differencing: the answer just given changed nothing but the waiting count.
        // (Below the first batch `count` is the number of answers received, which names no answer.)
        const { waiting: wb, count: cb, ...restBefore } = before.results;
        const { waiting: wa, count: ca, ...restAfter } = after.results;
        if (restAfter.status === 'ok') expect(ca).toBe(cb);
        expect(wa).toBe(wb + 1);
        if (restAfter.status === 'ok')
          expect({ ...restAfter, comments: [...(restAfter.comments ?? [])].sort() }).toEqual({
            ...restBefore,
            comments: [...(restBefore.comments ?? [])].sort(),
          });
        else expect(restAfter).toEqual(restBefore);
        expect(after.score).toEqual(before.score);
      }
    }
    // The released means are those of the first 5 and the first 10 answers.
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
    expect(seen[4].results.average).toBe(mean(ratings.slice(0, 5)));
    expect(seen[9].results.average).toBe(mean(ratings.slice(0, 10)));
    expect(seen[12].results).toMatchObject({ count: 10, waiting: 3, average: mean(ratings.slice(0, 10)) });
    expect(seen[12].results.comments).toHaveLength(10);
    expect((await participants(project.id)).answers).toBe(10);

    // Closing does not release the incomplete batch (that would isolate those 3 answers)…
    expect((await req('institution', 'POST', `/api/projects/${project.id}/survey/status`, { action: 'close' })).statusCode).toBe(200);
    expect(await results(project.id)).toMatchObject({ count: 10, waiting: 3 });
    // …and the organiser's page says how many wait for the next release.
    expect((await req('institution', 'GET', `/api/projects/${project.id}/survey`)).json().survey).toMatchObject({
      answerCount: 13,
      releasedCount: 10,
      waitingCount: 3,
      releaseBatch: 5,
    });
  });

  it('a development centre manages only the surveys of its own projects (issue 9 item 17)', async () => {
    const { project } = await newSurveyProject(1);
    const { cookie } = await (await import('../projects/projects.fixtures.js')).account(t, 'devCenter', w.county1);
    // The centre serves the city region (its scope) but does not run the institution's project.
    for (const [m, u, body] of [
      ['GET', `/api/projects/${project.id}/survey`, undefined],
      ['PUT', `/api/projects/${project.id}/survey`, {}],
      ['POST', `/api/projects/${project.id}/survey/status`, { action: 'close' }],
      ['GET', `/api/projects/${project.id}/survey/results`, undefined],
    ] as const)
      expect((await req(cookie, m, u, body)).statusCode, `${m} ${u}`).toBe(404);
    // It still reads the project's evaluation as a supervisor.
    expect((await req(cookie, 'GET', `/api/projects/${project.id}/evaluation`)).statusCode).toBe(200);
  });
});
