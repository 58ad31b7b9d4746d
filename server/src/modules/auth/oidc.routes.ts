import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { setSessionCookie } from '../../platform/auth.js';
import { cookieSecure } from '../../platform/web-security.js';
import { OidcCallbackQuery, OidcStartQuery } from './auth.schema.js';
import { oidcFailurePage } from './oidc-page.js';
import { finishOidcLogin, OidcLoginError, oidcInfo, PENDING_LOGIN_MINUTES, startOidcLogin } from './oidc.service.js';

/** The cookie binding a started sign-in to the browser that started it (its state; checked at the callback). */
export const OIDC_STATE_COOKIE = 'qs_oidc_state';
const STATE_COOKIE_PATH = '/api/auth/oidc';

/** 统一身份认证 (OIDC): the login page's button, the redirect to the provider and the way back. */
export const oidcRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['auth'];

    app.get('/auth/oidc', { schema: { tags, description: '是否启用统一身份认证登录，以及登录按钮的文字' }, config: { public: true } }, async () =>
      oidcInfo(ctx),
    );

    app.get(
      '/auth/oidc/start',
      {
        schema: { tags, querystring: OidcStartQuery, description: '统一身份认证登录：转到身份认证服务（授权码 + PKCE）' },
        config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        try {
          const { url, state } = await startOidcLogin(ctx, req.query.returnTo);
          reply.setCookie(OIDC_STATE_COOKIE, state, {
            httpOnly: true,
            sameSite: 'lax',
            path: STATE_COOKIE_PATH,
            secure: cookieSecure(ctx.config, req),
            maxAge: PENDING_LOGIN_MINUTES * 60,
          });
          return reply.redirect(url, 302);
        } catch (e) {
          if (!(e instanceof OidcLoginError)) throw e;
          if (e.detail) req.log.warn({ reason: e.reason, detail: e.detail }, 'oidc start failed');
          const page = oidcFailurePage(e.reason);
          return reply.code(page.status).type('text/html; charset=utf-8').send(page.html);
        }
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        schema: { tags, querystring: OidcCallbackQuery, description: '身份认证服务回调：核对 state、nonce 与 PKCE，按身份证号或手机号匹配账号并登录' },
        config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        reply.clearCookie(OIDC_STATE_COOKIE, { path: STATE_COOKIE_PATH });
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
        try {
          const r = await finishOidcLogin(ctx, query, req.cookies[OIDC_STATE_COOKIE], req.ip);
          setSessionCookie(reply, r.token, cookieSecure(ctx.config, req));
          // The app's start page sends a session that owes its code (or an authenticator) to that step.
          return reply.redirect(r.returnTo, 302);
        } catch (e) {
          if (!(e instanceof OidcLoginError)) throw e;
          if (e.detail) req.log.warn({ reason: e.reason, detail: e.detail }, 'oidc sign-in refused');
          const page = oidcFailurePage(e.reason);
          return reply.code(page.status).type('text/html; charset=utf-8').send(page.html);
        }
      },
    );
  };
