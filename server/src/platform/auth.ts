import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/db.js';
import type { CurrentUser, Role } from './access.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'qs_session';
const SESSION_DAYS = 7;

export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 defaults to Argon2id; parameters are OWASP's minimum (19 MiB, t=2, p=1).
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Create a session row and return the raw token for the cookie (only its hash is stored). */
export async function createSession(q: Queryable, userId: number): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await q.query('INSERT INTO auth_sessions (token_hash, user_id, expires_at) VALUES ($1,$2,$3)', [tokenHash(token), userId, expires]);
  return { token, expires };
}

export async function destroySession(q: Queryable, token: string): Promise<void> {
  await q.query('DELETE FROM auth_sessions WHERE token_hash = $1', [tokenHash(token)]);
}

/** End every session of the user except the one with `keepToken` (after a password change); how many ended. */
export async function destroyOtherSessions(q: Queryable, userId: number, keepToken: string): Promise<number> {
  const r = await q.query('DELETE FROM auth_sessions WHERE user_id = $1 AND token_hash <> $2', [userId, tokenHash(keepToken)]);
  return r.rowCount;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  org_id: number;
  org_path: string;
  org_name: string;
  org_level: string;
  parent_path: string | null;
  teacher_id: number | null;
}

/** An expert sees only their assignments, never an org subtree: this path prefixes no org's path. */
export const EXPERT_SCOPE = '/expert-no-org/';

export async function loadSessionUser(q: Queryable, token: string | undefined): Promise<CurrentUser | null> {
  if (!token) return null;
  const r = await q.query<UserRow>(
    `SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.path AS org_path, o.name AS org_name, o.level AS org_level,
            p.path AS parent_path, u.teacher_id
       FROM auth_sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
       LEFT JOIN orgs p ON p.id = o.parent_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
    [tokenHash(token)],
  );
  const u = r.rows[0];
  if (!u) return null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    orgId: u.org_id,
    orgPath: u.org_path,
    orgName: u.org_name,
    orgLevel: u.org_level,
    teacherId: u.teacher_id,
    // Institutions and development centres serve the region above them, so they see its teachers.
    scopePath:
      u.role === 'expert'
        ? EXPERT_SCOPE
        : (u.role === 'institution' || u.role === 'devCenter') && u.parent_path ? u.parent_path : u.org_path,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
  }
}

/** The caller, or 401. Use in every authenticated handler. */
export function currentUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED', '请先登录');
  return req.user;
}

export function setSessionCookie(reply: FastifyReply, token: string, expires: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', expires, secure });
}
