import type { TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, type World } from '../../../../test/factories.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

// Test fixtures for the evaluation tests. Projects, sessions, enrolments and attendance are written
// with plain SQL so these tests do not depend on the project workflow (another module's concern).

let seq = 0;
let teacherHash: string | null = null;

/** A run project owned by orgId with `sessions` sessions; returns its id and session ids. */
export async function makeProject(
  t: TestApp,
  orgId: number,
  opts: { name?: string; startDate?: string; sessions?: number; status?: string } = {},
): Promise<{ id: number; sessionIds: number[] }> {
  seq++;
  const start = opts.startDate ?? '2025-03-01';
  const r = await t.db.query<{ id: number }>(
    `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
     VALUES ($1, $2, $3, 'city', 'inPerson', '{ethics}', 12, $4, $4::date + 60, $5) RETURNING id`,
    [orgId, `EV-${seq}-${Date.now()}`, opts.name ?? `评估测试项目${seq}`, start, opts.status ?? 'closed'],
  );
  const id = r.rows[0].id;
  const sessionIds: number[] = [];
  for (let i = 0; i < (opts.sessions ?? 2); i++) {
    const s = await t.db.query<{ id: number }>(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
       VALUES ($1, $2, $3::date + $4::int, '09:00', '11:00', '报告厅', 2, 'ethics') RETURNING id`,
      [id, `第${i + 1}场`, start, i],
    );
    sessionIds.push(s.rows[0].id);
  }
  return { id, sessionIds };
}

export interface Participant {
  teacherId: number;
  userId: number;
  cookie: string;
}

/** A teacher of the school with a login session (created directly, no password hashing per teacher). */
export async function makeParticipant(t: TestApp, w: World, schoolId = w.school1): Promise<Participant> {
  teacherHash ??= await hashPassword(PASSWORD);
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(schoolId));
  const username = `ev.t${++seq}`;
  const userId = await insertUser(t.db, { username, passwordHash: teacherHash, displayName: username, role: 'teacher', orgId: schoolId, teacherId });
  const s = await createSession(t.db, userId);
  return { teacherId, userId, cookie: `qs_session=${s.token}` };
}

/** Enrol the teachers and mark them present at the given sessions (all sessions by default). */
export async function attend(t: TestApp, project: { id: number; sessionIds: number[] }, teacherIds: number[], sessionIds = project.sessionIds): Promise<void> {
  await t.db.query('INSERT INTO enrolments (project_id, teacher_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING', [project.id, teacherIds]);
  for (const s of sessionIds)
    await t.db.query(`INSERT INTO attendance (session_id, teacher_id, method) SELECT $1, unnest($2::int[]), 'manual' ON CONFLICT DO NOTHING`, [s, teacherIds]);
}

/** Enrol without attending. */
export async function enrolOnly(t: TestApp, projectId: number, teacherIds: number[]): Promise<void> {
  await t.db.query('INSERT INTO enrolments (project_id, teacher_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING', [projectId, teacherIds]);
}
