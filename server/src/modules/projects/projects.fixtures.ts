import type { TestApp } from '../../../../test/harness.js';
import { buildTeacher, PASSWORD, type World } from '../../../../test/factories.js';
import type { TeacherInput } from '../teachers/teachers.schema.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import type { Role } from '../../platform/access.js';
import { createTeacher } from '../teachers/teachers.service.js';
import { insertUser } from '../users/users.repository.js';

// Test fixtures for the project workflow tests: extra logged-in accounts without a password hash each.

let seq = 0;
let hash: string | null = null;

export interface Account {
  userId: number;
  cookie: string;
  teacherId: number | null;
}

/** A user with a role at an org, logged in (session created directly). */
export async function account(t: TestApp, role: Role, orgId: number, teacherId: number | null = null): Promise<Account> {
  hash ??= await hashPassword(PASSWORD);
  const username = `pj.${role}.${++seq}`;
  const userId = await insertUser(t.db, { username, passwordHash: hash, displayName: `${role}${seq}`, role, orgId, teacherId });
  const s = await createSession(t.db, userId);
  return { userId, cookie: `qs_session=${s.token}`, teacherId };
}

/** A teacher of the school with their own login. */
export async function teacherAccount(t: TestApp, w: World, schoolId: number, over: Partial<TeacherInput> = {}): Promise<Account & { teacherId: number }> {
  const teacherId = await createTeacher(t.ctx, w.cityAdmin, buildTeacher(schoolId, over));
  const a = await account(t, 'teacher', schoolId, teacherId);
  return { ...a, teacherId };
}

/** A teacher without a login. */
export const teacher = (t: TestApp, w: World, schoolId: number, over: Partial<TeacherInput> = {}) =>
  createTeacher(t.ctx, w.cityAdmin, buildTeacher(schoolId, over));

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** app.inject with a Cookie header. */
export const call = (t: TestApp, cookie: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie } });
