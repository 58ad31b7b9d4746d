import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { ROLE_LABELS, permissionsOf } from '../../platform/access.js';
import { createSession, currentUser, destroySession, hashPassword, SESSION_COOKIE, setSessionCookie, verifyPassword } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import { ChangePasswordBody, LoginBody } from './auth.schema.js';
import { changePassword } from './auth.service.js';


// A fixed hash to verify against when the user does not exist, so timing does not reveal usernames.
let dummyHash: Promise<string> | null = null;

export const authRoutes = (ctx: AppContext): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post('/auth/login', { schema: { tags: ['auth'], body: LoginBody }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const { username, password } = req.body;
    const r = await ctx.db.query<{ id: number; password_hash: string; org_id: number }>(
      'SELECT id, password_hash, org_id FROM users WHERE username = $1 AND active',
      [username],
    );
    const u = r.rows[0];
    dummyHash ??= hashPassword('not-a-real-password');
    const ok = await verifyPassword(u?.password_hash ?? (await dummyHash), password);
    if (!u || !ok) {
      await audit(ctx.db, null, 'login.failed', 'user', null, { username }, req.ip);
      throw new AppError('UNAUTHENTICATED', '用户名或密码错误');
    }
    const s = await createSession(ctx.db, u.id);
    await audit(ctx.db, { id: u.id, orgId: u.org_id }, 'login', 'user', u.id, {}, req.ip);
    setSessionCookie(reply, s.token, s.expires, ctx.config.production);
    return { ok: true };
  });

  app.post('/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await destroySession(ctx.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  // Per-IP limit like login; wrong current passwords are also counted per user in the service.
  app.post(
    '/auth/password',
    { schema: { tags: ['auth'], body: ChangePasswordBody, description: '修改本人密码（成功后结束本人其他会话）' }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const user = currentUser(req);
      await changePassword(ctx, user, req.body, { token: req.cookies[SESSION_COOKIE] ?? '', ip: req.ip });
      return reply.code(204).send();
    },
  );

  app.get('/auth/me', { schema: { tags: ['auth'] } }, async (req) => {
    const u = currentUser(req);
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      roleLabel: ROLE_LABELS[u.role],
      orgId: u.orgId,
      orgName: u.orgName,
      orgLevel: u.orgLevel,
      teacherId: u.teacherId,
      permissions: permissionsOf(u),
    };
  });

  /** Demo mode only: the accounts the login page offers. */
  app.get('/auth/demo-accounts', { schema: { tags: ['auth'] } }, async () => (ctx.config.demo ? DEMO_ACCOUNTS : []));
};
