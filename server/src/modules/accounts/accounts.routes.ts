import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from '../../platform/schemas.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import {
  AccountRoleParam,
  AdminAccountQuery,
  CreateAdminBody,
  EndRoleBody,
  GrantBody,
  IssueBody,
  OptionalReasonBody,
  ReasonBody,
  ResetBody,
  TeacherAccountQuery,
} from './accounts.schema.js';
import * as svc from './accounts.service.js';
import { issueAccounts, resetPassword } from './issue.service.js';
import { passwordHelp } from './password-help.js';
import { createAdminAccount, endAccountRole, grantAccountRole } from './roles.service.js';
import { downloadSlip, listSlips } from './slips.js';

export const accountRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['accounts'];

    app.get(
      '/accounts/teachers',
      { schema: { tags, querystring: TeacherAccountQuery, description: '教师账号：本单位及下级教师及其账号状态（身份证号脱敏）' } },
      async (req) => svc.listTeacherAccounts(ctx, currentUser(req), req.query),
    );
    app.get(
      '/accounts/admins',
      { schema: { tags, querystring: AdminAccountQuery, description: '管理员账号：在本单位及下级单位担任（或曾担任）非教师角色的账号及其角色' } },
      async (req) => svc.listAdminAccounts(ctx, currentUser(req), req.query),
    );
    app.get('/accounts/slips', { schema: { tags, description: '本人 24 小时内生成、可下载的账号单' } }, async (req) => listSlips(ctx, currentUser(req)));
    app.post(
      '/accounts/slips/:id/download',
      { schema: { tags, params: IdParam, description: '下载账号单（.xlsx，仅生成人，仅一次，下载后初始密码即销毁；记入审计日志）' } },
      async (req, reply) => {
        const r = await downloadSlip(ctx, currentUser(req), req.params.id, req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('cache-control', 'no-store')
          .header('x-row-count', String(r.count))
          .send(r.body);
      },
    );
    app.get('/accounts/:id', { schema: { tags, params: IdParam, description: '账号详情：角色（含已结束）与停用/启用记录' } }, async (req) =>
      svc.getAccount(ctx, currentUser(req), req.params.id),
    );
    app.get('/teachers/:id/account', { schema: { tags, params: IdParam, description: '教师的登录账号（用户名、状态）' } }, async (req) =>
      svc.teacherAccount(ctx, currentUser(req), req.params.id),
    );

    app.post(
      '/accounts/issue',
      {
        schema: {
          tags,
          body: IssueBody,
          description: '开通账号：所选教师，或某单位全部未开通的在职教师（每次最多 100 人，answer.remaining 为剩余人数）；初始密码仅此一次返回并写入账号单',
        },
      },
      async (req) => issueAccounts(ctx, currentUser(req), req.body, req.ip),
    );
    app.post(
      '/accounts/:id/password-reset',
      { schema: { tags, params: IdParam, body: ResetBody, description: '重置密码：生成新的初始密码（仅此一次返回），下次登录须修改，结束该账号全部会话' } },
      async (req) => resetPassword(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/accounts/:id/deactivate',
      { schema: { tags, params: IdParam, body: ReasonBody, description: '停用账号（须填写原因），结束其全部会话' } },
      async (req) => svc.deactivateAccount(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post('/accounts/:id/activate', { schema: { tags, params: IdParam, body: OptionalReasonBody, description: '启用账号' } }, async (req) =>
      svc.activateAccount(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post(
      '/accounts/admins',
      { schema: { tags, body: CreateAdminBody, description: '新建管理员账号（无教师档案的人员），授予首个角色；初始密码仅此一次返回' } },
      async (req, reply) => {
        const r = await createAdminAccount(ctx, currentUser(req), req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/accounts/:id/roles',
      { schema: { tags, params: IdParam, body: GrantBody, description: '授予角色（本单位及下级单位；角色须与单位类型相符；三权分立）' } },
      async (req, reply) => {
        const r = await grantAccountRole(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/accounts/:id/roles/:roleId/end',
      { schema: { tags, params: AccountRoleParam, body: EndRoleBody, description: '结束角色（记录保留）；结束最后一个角色须同时停用账号' } },
      async (req) => endAccountRole(ctx, currentUser(req), req.params.id, req.params.roleId, req.body, req.ip),
    );

    // Public: the login page's 忘记密码.
    app.get('/auth/password-help', { schema: { tags: ['auth'], description: '忘记密码：找回方式说明（是否接入短信）' }, config: { public: true } }, async () =>
      passwordHelp(ctx.config),
    );
  };
