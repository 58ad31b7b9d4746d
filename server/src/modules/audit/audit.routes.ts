import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { byCaller, currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import { AuditFilters, AuditListQuery } from './audit.schema.js';
import * as svc from './audit.service.js';

/**
 * 审计日志 (审计管理员, permission audit.read): read, export and verify. There is deliberately no route that
 * changes or deletes a row (the database refuses it too: retention trigger).
 */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['audit'];

    app.get('/audit', { schema: { tags, querystring: AuditListQuery, description: '审计日志：按时间、用户、操作、对象筛选，分页' } }, async (req) =>
      svc.listAudit(ctx, currentUser(req), req.query),
    );
    app.get(
      '/audit/export',
      { schema: { tags, querystring: AuditFilters, description: '按筛选条件导出审计日志（.xlsx，最多 10 万条），导出本身记入审计日志' } },
      async (req, reply) => {
        const r = await svc.exportAudit(ctx, currentUser(req), req.query, req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('x-row-count', String(r.count))
          .send(r.stream);
      },
    );
    app.post(
      '/audit/verify',
      {
        schema: { tags, description: '校验审计日志的哈希链，报告被修改或删除的记录（校验本身记入审计日志）' },
        config: { rateLimit: { max: 6, timeWindow: '1 minute', keyGenerator: byCaller } },
      },
      async (req) => svc.verifyAudit(ctx, currentUser(req), req.ip),
    );
    app.get('/audit/:id', { schema: { tags, params: IdParam, description: '一条审计记录的详情' } }, async (req) =>
      svc.getAuditEntry(ctx, currentUser(req), req.params.id),
    );
  };
