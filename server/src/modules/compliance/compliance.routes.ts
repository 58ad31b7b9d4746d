import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { forbidden } from '../../platform/errors.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { AsOfQuery, RunsQuery, SummaryQuery, TeacherParam, TrendQuery, WorklistQuery } from './compliance.schema.js';
import * as svc from './compliance.service.js';

export const complianceRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['compliance'];

    app.get(
      '/compliance/summary',
      { schema: { tags, querystring: SummaryQuery, description: '合规看板：每条规则的达标情况及下级单位（学校则为教师）分解' } },
      async (req) => svc.summary(ctx, currentUser(req), req.query),
    );

    app.get(
      '/compliance/summary.xlsx',
      { schema: { tags, querystring: SummaryQuery, description: '导出合规汇总（记入审计日志，身份证号脱敏）' } },
      async (req, reply) => {
        const r = await svc.exportSummary(ctx, currentUser(req), req.query, req.ip);
        reply.header('Content-Type', XLSX_MIME).header('Content-Disposition', attachmentHeader(r.filename));
        return reply.send(r.buffer);
      },
    );

    app.get(
      '/compliance/worklist',
      {
        schema: {
          tags,
          querystring: WorklistQuery,
          description: '待办教师清单：未达标、临期、落后进度的教师按紧迫程度排序（show=onPace 看进度正常的进行中教师）',
        },
      },
      async (req) => svc.worklist(ctx, currentUser(req), req.query),
    );

    app.get(
      '/compliance/teachers/:id',
      { schema: { tags, params: TeacherParam, querystring: AsOfQuery, description: '一名教师今年和本周期还需完成的要求' } },
      async (req) => svc.teacherStatus(ctx, currentUser(req), req.params.id, req.query.asOf),
    );

    app.get('/compliance/me', { schema: { tags, querystring: AsOfQuery, description: '我还需完成的要求（教师本人）' } }, async (req) => {
      const u = currentUser(req);
      if (!u.teacherId) throw forbidden('仅教师账号可查看');
      return svc.teacherStatus(ctx, u, u.teacherId, req.query.asOf);
    });

    app.get(
      '/compliance/trend',
      { schema: { tags, querystring: TrendQuery, description: '趋势：各规则在若干日期的达标率（默认为实施期各年末及今天）' } },
      async (req) => svc.trend(ctx, currentUser(req), req.query),
    );

    app.get('/compliance/runs', { schema: { tags, querystring: RunsQuery, description: '历次评估记录（含所用政策版本），用于趋势图' } }, async (req) =>
      svc.runs(ctx, currentUser(req), req.query.policyId, req.query.orgId),
    );
  };
