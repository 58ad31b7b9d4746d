import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { ReportBody, ReportQuery } from './region-reports.schema.js';
import * as svc from './region-reports.service.js';

export const regionReportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['region-reports'];

    app.get(
      '/region-reports/preview',
      { schema: { tags, querystring: ReportQuery, description: '实施情况报告预览：标题、正文各部分、附表数据（仅汇总数字，不含姓名）' } },
      async (req) => svc.buildReport(ctx, currentUser(req), req.query),
    );

    for (const format of ['pdf', 'xlsx'] as const)
      app.post(
        `/region-reports/report.${format}`,
        {
          schema: {
            tags,
            body: ReportBody,
            description: format === 'pdf' ? '下载实施情况报告（PDF，含图表与附表；记入审计日志）' : '下载实施情况报告的正文与附表（.xlsx；记入审计日志）',
          },
        },
        async (req, reply) => {
          const r = await svc.downloadReport(ctx, currentUser(req), req.body, format, req.ip);
          reply.header('Content-Type', format === 'pdf' ? 'application/pdf' : XLSX_MIME).header('Content-Disposition', attachmentHeader(r.filename));
          return reply.send(r.buffer);
        },
      );
  };
