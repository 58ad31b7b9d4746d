import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { byCaller, currentUser, SESSION_COOKIE, setSessionCookie } from '../../platform/auth.js';
import { cookieSecure } from '../../platform/web-security.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import { ChangePasswordBody, LoginBody, SecondFactorBody, SwitchRoleBody, TotpCodeBody } from './auth.schema.js';
import { changePassword, login, logout, me, switchRole } from './auth.service.js';
import { ThrottledError } from './lockout.js';
import { enableTotp, setupTotp, verifySecondFactor } from './totp.service.js';
import { oidcRoutes } from './oidc.routes.js';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['auth'];
    const setCookie = (reply: FastifyReply, token: string) => setSessionCookie(reply, token, cookieSecure(ctx.config, reply.request));

    // No fixed per-IP cap (a school behind one NAT signs in together): failed sign-ins back an address off and
    // lock accounts instead (lockout.ts). A refused address is told when to try again (Retry-After).
    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          body: LoginBody,
          description: '登录：用户名、身份证号或手机号 + 密码。连续失败将锁定账号；需动态口令的账号返回 secondFactor=verify，须再调用 /auth/totp/verify',
        },
        config: { public: true },
      },
      async (req, reply) => {
        try {
          const s = await login(ctx, req.body, req.ip);
          setCookie(reply, s.token);
          return { ok: true, secondFactor: s.secondFactor };
        } catch (e) {
          if (e instanceof ThrottledError) reply.header('retry-after', String(e.retryAfter));
          throw e;
        }
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: { tags, description: '退出登录（记入审计日志）；统一身份认证登录的会话另返回 endSessionUrl，浏览器应转到该地址结束身份认证服务的登录' },
        config: { public: true },
      },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        const r = token ? await logout(ctx, req.user, token, req.ip) : { endSessionUrl: null };
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        // A session signed in through 统一身份认证: the web app sends the browser on to the provider's logout.
        return { ok: true, endSessionUrl: r.endSessionUrl };
      },
    );

    // Limited per account; wrong current passwords are also counted per user in the service.
    app.post(
      '/auth/password',
      {
        schema: { tags, body: ChangePasswordBody, description: '修改本人密码（成功后结束本人其他会话，并更换本会话的令牌）' },
        config: { rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: byCaller } },
      },
      async (req, reply) => {
        const user = currentUser(req);
        const r = await changePassword(ctx, user, req.body, { token: req.cookies[SESSION_COOKIE] ?? '', ip: req.ip });
        setCookie(reply, r.token);
        return reply.code(204).send();
      },
    );

    app.get('/auth/me', { schema: { tags } }, async (req) => me(ctx, currentUser(req)));

    app.post('/auth/role', { schema: { tags, body: SwitchRoleBody, description: '切换到本人的另一个角色（不必重新登录）' } }, async (req) => {
      const u = currentUser(req);
      await switchRole(ctx, u, req.body.roleId, req.cookies[SESSION_COOKIE] ?? '', req.ip);
      return { ok: true };
    });

    app.post(
      '/auth/totp/verify',
      {
        schema: { tags, body: SecondFactorBody, description: '登录第二步：输入动态口令（6 位数字）或一个恢复码；输错计入账号锁定' },
        config: { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: byCaller } },
      },
      async (req, reply) => {
        try {
          const r = await verifySecondFactor(ctx, currentUser(req), req.body.code, req.cookies[SESSION_COOKIE] ?? '', req.ip);
          setCookie(reply, r.token);
          return { ok: true };
        } catch (e) {
          if (e instanceof ThrottledError) reply.header('retry-after', String(e.retryAfter));
          throw e;
        }
      },
    );

    app.post(
      '/auth/totp/setup',
      {
        schema: { tags, description: '绑定动态口令第一步：生成新的密钥（二维码和文本）；已绑定的账号须先由安全管理员重置' },
        config: { rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: byCaller } },
      },
      async (req) => setupTotp(ctx, currentUser(req)),
    );

    app.post(
      '/auth/totp/enable',
      {
        schema: { tags, body: TotpCodeBody, description: '绑定动态口令第二步：输入应用显示的 6 位数字完成绑定，返回 10 个一次性恢复码（仅显示这一次）' },
        config: { rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: byCaller } },
      },
      async (req, reply) => {
        const r = await enableTotp(ctx, currentUser(req), req.body.code, req.cookies[SESSION_COOKIE] ?? '', req.ip);
        setCookie(reply, r.token);
        return { recoveryCodes: r.recoveryCodes };
      },
    );

    await fastify.register(oidcRoutes(ctx));

    /** Demo mode only: the accounts the login page offers. */
    app.get('/auth/demo-accounts', { schema: { tags }, config: { public: true } }, async () => (ctx.config.demo ? DEMO_ACCOUNTS : []));
  };
