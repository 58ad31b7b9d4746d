import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject, proposal } from '../../../../test/projects.js';
import type { CurrentUser } from '../../platform/access.js';
import { teacherAccount as fixtureTeacher } from './projects.fixtures.js';

// The shared world of the project tests (projects, attendance, recognition): one test app per file, the
// seeded world's accounts logged in, and helpers that walk the real API.

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TeacherAccount {
  teacherId: number;
  user: CurrentUser;
  cookie: string;
}

/** A valid session of the default project (overridable field by field). */
export const sessionInput = (over: Record<string, unknown> = {}) => ({
  title: '师德专题讲座',
  date: '2026-03-10',
  startTime: '09:00',
  endTime: '11:30',
  place: '县教师发展中心报告厅',
  hours: 3,
  category: 'ethics',
  ...over,
});

export const projectInput = proposal;

/** Who must act to open a project proposed by `who` (the proposer, then the approving bureau). */
const approversOf: Record<string, string[]> = {
  'county.admin': ['county.admin'],
  'school.admin': ['school.admin', 'county.admin'],
  institution: ['institution', 'city.admin'],
  'city.admin': ['city.admin'],
};
const levelOf: Record<string, string> = { institution: 'city', 'school.admin': 'school', 'city.admin': 'city', 'county.admin': 'county' };

/** Registers the file's beforeAll/afterAll; `t` and `w` are set once beforeAll has run. */
export function projectsTestKit() {
  const cookies: Record<string, string> = {};
  const kit = {
    t: undefined as unknown as TestApp,
    w: undefined as unknown as World,
    /** app.inject as one of the seeded accounts (by username) or with a raw Cookie header. */
    req: (who: string, method: Method, url: string, payload?: unknown) =>
      kit.t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } }),
    /** A teacher in the school plus a logged-in account, with the CurrentUser the services take. */
    async teacherAccount(schoolId: number): Promise<TeacherAccount> {
      const a = await fixtureTeacher(kit.t, kit.w, schoolId);
      const path = (await kit.t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [schoolId])).rows[0].path;
      const username = (await kit.t.db.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [a.userId])).rows[0].username;
      const user: CurrentUser = {
        id: a.userId,
        username,
        displayName: username,
        role: 'teacher',
        orgId: schoolId,
        orgPath: path,
        orgName: '',
        orgLevel: 'school',
        teacherId: a.teacherId,
        scopePath: path,
        roleId: 0,
        mustChangePassword: false,
      };
      return { teacherId: a.teacherId, user, cookie: a.cookie };
    },
    /** A project opened through the approval path (status 'open'). */
    newProject: (who = 'county.admin', over: Record<string, unknown> = {}) =>
      createOpenProject(
        kit.t.app,
        approversOf[who].map((u) => cookies[u]),
        { level: levelOf[who], ...over },
      ),
    async newSession(projectId: number, who = 'county.admin', over: Record<string, unknown> = {}) {
      const r = await kit.req(who, 'POST', `/api/projects/${projectId}/sessions`, sessionInput(over));
      expect(r.statusCode).toBe(201);
      return r.json() as { id: number; hours: number };
    },
    async enrol(projectId: number, ids: number[], who = 'county.admin') {
      const r = await kit.req(who, 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: ids });
      expect(r.statusCode).toBe(200);
      return r.json();
    },
    attendanceRows: async (sessionId: number) =>
      (await kit.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance WHERE session_id = $1', [sessionId])).rows[0].n,
  };
  beforeAll(async () => {
    kit.t = await createTestApp();
    kit.w = await seedWorld(kit.t.ctx);
    for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(kit.t.app, u, PASSWORD);
  });
  afterAll(async () => kit.t?.close());
  return kit;
}
