import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from '../../platform/schemas.js';
import { AccountSearchQuery, FailedLoginsQuery, ResetTotpBody, SettingsInput } from './security.schema.js';
import * as svc from './security.service.js';

/** 安全管理 (安全管理员, permission security.manage): 安全策略, locked accounts, second factors, failed sign-ins. */
export const securityRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['security'];

    app.get('/security/settings', { schema: { tags, description: '安全策略：当前生效的版本、等保推荐值和历次变更' } }, async (req) =>
      svc.getSettings(ctx, currentUser(req)),
    );
    app.put(
      '/security/settings',
      { schema: { tags, body: SettingsInput, description: '发布新版本的安全策略（登录锁定、会话超时、密码历史、管理员动态口令），记入审计日志' } },
      async (req) => svc.updateSettings(ctx, currentUser(req), req.body, req.ip),
    );
    app.get(
      '/security/accounts',
      { schema: { tags, querystring: AccountSearchQuery, description: '按用户名或姓名查询本辖区账号的锁定和动态口令状态；locked=1 列出当前被锁定的账号' } },
      async (req) => svc.searchAccounts(ctx, currentUser(req), req.query),
    );
    app.post('/security/accounts/:id/unlock', { schema: { tags, params: IdParam, description: '解锁因登录失败被锁定的账号（记入审计日志）' } }, async (req) =>
      svc.unlockAccount(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post(
      '/security/accounts/:id/totp-reset',
      { schema: { tags, params: IdParam, body: ResetTotpBody, description: '重置账号的动态口令（手机丢失且恢复码用尽时），结束其全部会话，记入审计日志' } },
      async (req) => svc.resetTotp(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.get('/security/failed-logins', { schema: { tags, querystring: FailedLoginsQuery, description: '最近的登录失败与账号锁定记录' } }, async (req) =>
      svc.failedLogins(ctx, currentUser(req), req.query.hours),
    );
  };
