import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { uploadedSheet } from '../../platform/upload.js';
import { BatchParam, ClearOverrideBody, CommitBody, ExportQuery, HistoryQuery, KindParam, ListQuery, RecordBody } from './indicators.schema.js';
import * as svc from './indicators.service.js';

/** 目标与经费数据: /indicators/targets (target_counts) and /indicators/funding (funding_figures). */
export const indicatorRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['indicators'];

    app.get('/indicators/metrics', { schema: { tags, description: '可填报的指标（区域目标、经费），及每个指标所服务的政策规则和出处' } }, async (req) =>
      svc.metrics(ctx, currentUser(req)),
    );

    app.get(
      '/indicators/:kind',
      { schema: { tags, params: KindParam, querystring: ListQuery, description: '当前数值（每个单位、指标、年度以最近一次记录为准），限本辖区' } },
      async (req) => svc.list(ctx, currentUser(req), req.params.kind, req.query),
    );

    app.post(
      '/indicators/:kind',
      {
        schema: {
          tags,
          params: KindParam,
          body: RecordBody,
          description: '记录一个数值（追加记录，旧值保留为历史）。区域目标为手工覆盖平台记录，须填写覆盖原因 reason，记入审计日志',
        },
      },
      async (req, reply) => {
        const r = await svc.record(ctx, currentUser(req), req.params.kind, req.body, req.ip);
        return reply.code(201).send(r);
      },
    );

    app.post(
      '/indicators/targets/clear-override',
      { schema: { tags, body: ClearOverrideBody, description: '撤销区域目标的手工覆盖（需填写原因，记入审计日志）：该年度恢复采用平台记录统计的数值' } },
      async (req) => svc.clearOverride(ctx, currentUser(req), req.body, req.ip),
    );

    app.get(
      '/indicators/:kind/history',
      { schema: { tags, params: KindParam, querystring: HistoryQuery, description: '某单位某指标某年度的全部记录，最新在前' } },
      async (req) => svc.historyOf(ctx, currentUser(req), req.params.kind, req.query),
    );

    app.get('/indicators/:kind/template', { schema: { tags, params: KindParam, description: '下载导入模板（.xlsx）' } }, async (req, reply) => {
      const r = await svc.template(currentUser(req), req.params.kind);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
    });

    app.post(
      '/indicators/:kind/import/preview',
      { schema: { tags, params: KindParam, consumes: ['multipart/form-data'], description: '上传 .xlsx/.csv（字段 file），逐行校验并预览，不写入数据' } },
      async (req) => {
        const u = currentUser(req);
        if (u.role !== 'bureauAdmin' && u.role !== 'schoolAdmin') throw new AppError('FORBIDDEN', '无权导入该类数据'); // before reading the upload
        return svc.previewImport(ctx, u, req.params.kind, await uploadedSheet(req, '文件超过 10 MB，请拆分后分批导入'));
      },
    );

    app.post(
      '/indicators/:kind/import/:batchId/commit',
      { schema: { tags, params: BatchParam, body: CommitBody, description: '导入已预览的批次：一次事务；与当前数值相同的行跳过' } },
      async (req) => svc.commitImport(ctx, currentUser(req), req.params.kind, req.params.batchId, req.body.mode, req.ip),
    );

    app.get(
      '/indicators/:kind/export',
      { schema: { tags, params: KindParam, querystring: ExportQuery, description: '导出当前数值（.xlsx，与导入模板列相同），记入审计日志' } },
      async (req, reply) => {
        const r = await svc.exportFigures(ctx, currentUser(req), req.params.kind, req.query, req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('x-row-count', String(r.count))
          .send(r.buffer);
      },
    );
  };
