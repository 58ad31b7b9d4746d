import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../../platform/access.js';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { sendDownload } from '../../platform/files.js';
import { exportEntries } from './funds.export.js';
import { BaseBody, BudgetBody, ClearOverrideBody, EntryBody, OrgYearQuery, OverrideBody, ReverseBody, VoucherQuery, YearQuery } from './funds.schema.js';
import * as svc from './funds.service.js';

/** 培训经费 (issue 14 item 6): budgets, bases, entries with vouchers, 冲销, rule status, overrides, export. */
export const fundRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['funds'];
    // The permission before the body is read: a caller without funds.manage is 403 whatever it sends.
    app.addHook('preValidation', async (req) => requirePermission(currentUser(req), 'funds.manage'));

    app.get('/funds', { schema: { tags, querystring: OrgYearQuery, description: '单位某年的经费：预算、基数、支出、规则达标情况' } }, async (req) =>
      svc.summary(ctx, currentUser(req), req.query.orgId, req.query.year ?? svc.thisYear()),
    );
    app.get(
      '/funds/board',
      { schema: { tags, querystring: YearQuery, description: '经费看板：本辖区学校、旗县区的支出与比例规则；专款专用检查' } },
      async (req) => svc.board(ctx, currentUser(req), req.query.year ?? svc.thisYear()),
    );
    app.post('/funds/budgets', { schema: { tags, body: BudgetBody, description: '登记或更正（须写原因）年度培训经费预算' } }, async (req, reply) => {
      reply.code(201);
      return svc.addBudget(ctx, currentUser(req), req.body);
    });
    app.post('/funds/bases', { schema: { tags, body: BaseBody, description: '录入或更正（须写原因）公用经费预算总额、工资总额' } }, async (req, reply) => {
      reply.code(201);
      return svc.addBase(ctx, currentUser(req), req.body);
    });
    app.post(
      '/funds/vouchers',
      { schema: { tags, querystring: OrgYearQuery, consumes: ['multipart/form-data'], description: '上传支出凭证（字段 file；PDF/PNG/JPEG，≤ 10 MB）' } },
      async (req, reply) => {
        const part = await req.file();
        if (!part) throw badRequest('请选择凭证文件', [{ field: 'file', message: '请选择文件' }]);
        reply.code(201);
        return svc.uploadVoucher(ctx, currentUser(req), req.query.orgId, part);
      },
    );
    app.get('/funds/voucher', { schema: { tags, querystring: VoucherQuery, description: '下载一笔支出的凭证' } }, async (req, reply) =>
      sendDownload(reply, await svc.downloadVoucher(ctx, currentUser(req), req.query.entryId)),
    );
    app.post(
      '/funds/entries',
      { schema: { tags, body: EntryBody, description: '登记一笔支出（专款专用：只能列支在已批准的本单位培训项目上）' } },
      async (req, reply) => {
        reply.code(201);
        return svc.addEntry(ctx, currentUser(req), req.body);
      },
    );
    app.post('/funds/reversals', { schema: { tags, body: ReverseBody, description: '冲销一笔支出（须写原因；记录不改不删）' } }, async (req, reply) => {
      reply.code(201);
      return svc.reverse(ctx, currentUser(req), req.body.entryId, req.body.reason);
    });
    app.post(
      '/funds/overrides',
      { schema: { tags, body: OverrideBody, description: '教育局手工覆盖某单位某年的培训经费支出（须写原因，审计）' } },
      async (req, reply) => {
        reply.code(201);
        return svc.setOverride(ctx, currentUser(req), req.body);
      },
    );
    app.post(
      '/funds/overrides/clear',
      { schema: { tags, body: ClearOverrideBody, description: '撤销手工覆盖，恢复平台记录（须写原因，审计）' } },
      async (req, reply) => {
        reply.code(201);
        return svc.clearOverride(ctx, currentUser(req), req.body);
      },
    );
    app.get(
      '/funds/export',
      { schema: { tags, querystring: OrgYearQuery, description: '导出培训经费支出明细账（.xlsx，财务格式，审计）' } },
      async (req, reply) => {
        const r = await exportEntries(ctx, currentUser(req), req.query.orgId, req.query.year ?? svc.thisYear(), req.ip);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buf);
      },
    );
  };
