import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { requirePermission } from '../../platform/access.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { Id } from '../../platform/schemas.js';
import { uploadedSheet } from '../../platform/upload.js';
import { readScope } from './orgs.service.js';
import * as svc from './orgs.import.js';

/** 组织机构 Excel: template, preview → commit, export (audited). */
export const orgImportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['orgs'];

    app.get('/orgs/import/template', { schema: { tags, description: '下载组织机构导入模板（.xlsx）' } }, async (req, reply) => {
      const u = currentUser(req);
      requirePermission(u, 'orgs.manage');
      const own = await ctx.db.query<{ code: string }>('SELECT code FROM orgs WHERE id = $1', [u.orgId]);
      const buf = await svc.orgImportTemplate(u, own.rows[0]?.code ?? '');
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('组织机构导入模板.xlsx')).send(buf);
    });

    app.post(
      '/orgs/import/preview',
      { schema: { tags, consumes: ['multipart/form-data'], description: '上传组织机构 .xlsx/.csv（字段 file），逐行校验并预览' } },
      async (req) => {
        const u = currentUser(req);
        requirePermission(u, 'orgs.manage');
        return svc.previewOrgImport(ctx, u, await uploadedSheet(req));
      },
    );

    app.post(
      '/orgs/import/:batchId/commit',
      {
        schema: {
          tags,
          params: z.object({ batchId: Id }),
          body: z.object({ mode: z.enum(['all', 'validOnly'], { error: '请选择导入方式' }) }),
          description: '导入已预览的组织机构批次（一次事务）',
        },
      },
      async (req) => svc.commitOrgImport(ctx, currentUser(req), req.params.batchId, req.body.mode, req.ip),
    );

    app.get(
      '/orgs/export',
      {
        schema: {
          tags,
          querystring: z.object({ includeClosed: z.enum(['0', '1']).optional() }),
          description: '导出本单位及下级的组织机构名单（.xlsx，记入审计日志）',
        },
      },
      async (req, reply) => {
        const u = currentUser(req);
        requirePermission(u, 'orgs.read');
        const r = await svc.exportOrgs(ctx, u, readScope(u), req.query.includeClosed === '1', req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader('组织机构.xlsx'))
          .header('x-row-count', String(r.count))
          .send(r.stream);
      },
    );
  };
