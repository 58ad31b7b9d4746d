import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser, destroySession, SESSION_COOKIE, setSessionCookie } from '../../platform/auth.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import { ChangePasswordBody, LoginBody, SwitchRoleBody } from './auth.schema.js';
import { changePassword, login, me, switchRole } from './auth.service.js';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/auth/login',
      {
        schema: { tags: ['auth'], body: LoginBody, description: '登录：用户名、身份证号或手机号 + 密码' },
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const s = await login(ctx, req.body, req.ip);
        setSessionCookie(reply, s.token, ctx.config.production);
        return { ok: true };
      },
    );

    app.post('/auth/logout', { schema: { tags: ['auth'] }, config: { public: true } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await destroySession(ctx.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    // Per-IP limit like login; wrong current passwords are also counted per user in the service.
    app.post(
      '/auth/password',
      {
        schema: { tags: ['auth'], body: ChangePasswordBody, description: '修改本人密码（成功后结束本人其他会话）' },
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const user = currentUser(req);
        await changePassword(ctx, user, req.body, { token: req.cookies[SESSION_COOKIE] ?? '', ip: req.ip });
        return reply.code(204).send();
      },
    );

    app.get('/auth/me', { schema: { tags: ['auth'] } }, async (req) => me(ctx, currentUser(req)));

    app.post('/auth/role', { schema: { tags: ['auth'], body: SwitchRoleBody, description: '切换到本人的另一个角色（不必重新登录）' } }, async (req) => {
      const u = currentUser(req);
      await switchRole(ctx, u, req.body.roleId, req.cookies[SESSION_COOKIE] ?? '', req.ip);
      return { ok: true };
    });

    /** Demo mode only: the accounts the login page offers. */
    app.get('/auth/demo-accounts', { schema: { tags: ['auth'] }, config: { public: true } }, async () => (ctx.config.demo ? DEMO_ACCOUNTS : []));
  };
