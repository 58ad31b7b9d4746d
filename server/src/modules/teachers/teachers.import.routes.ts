import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { requirePermission } from '../../platform/access.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { uploadedSheet } from '../../platform/upload.js';
import { BatchParam, CommitBody, ExportQuery } from './teachers.import.schema.js';
import * as svc from './teachers.import.js';
import * as files from './teachers.import-files.js';

export const teacherImportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['teachers'];

    app.get('/teachers/import/template', { schema: { tags, description: '下载教师信息导入模板（.xlsx）' } }, async (req, reply) => {
      const buf = await files.importTemplate(currentUser(req));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('教师信息导入模板.xlsx')).send(buf);
    });

    app.post(
      '/teachers/import/preview',
      { schema: { tags, consumes: ['multipart/form-data'], description: '上传 .xlsx/.csv（字段 file），逐行校验并预览，不写入教师数据' } },
      async (req) => {
        const u = currentUser(req);
        requirePermission(u, 'teachers.import'); // before reading up to 10 MB from someone who may not import
        return svc.previewImport(ctx, u, await uploadedSheet(req));
      },
    );

    app.post(
      '/teachers/import/:batchId/commit',
      { schema: { tags, params: BatchParam, body: CommitBody, description: '导入已预览的批次：一次事务，全部成功或全部不写入' } },
      async (req) => svc.commitImport(ctx, currentUser(req), req.params.batchId, req.body.mode, req.ip, req.body.confirmRenames),
    );

    app.delete(
      '/teachers/import/:batchId',
      { schema: { tags, params: BatchParam, description: '放弃未导入的批次（上传者或管辖范围内的管理员），删除其暂存数据并记入审计日志' } },
      async (req, reply) => {
        await svc.discardImport(ctx, currentUser(req), req.params.batchId, req.ip);
        return reply.code(204).send();
      },
    );

    app.get(
      '/teachers/import/:batchId/errors',
      { schema: { tags, params: BatchParam, description: '下载该批次的错误清单（.xlsx，含身份证号，记入审计日志）' } },
      async (req, reply) => {
        const r = await files.errorReport(ctx, currentUser(req), req.params.batchId, req.ip);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
      },
    );

    app.get(
      '/teachers/export',
      { schema: { tags, querystring: ExportQuery, description: '按筛选条件导出教师名单（.xlsx，身份证号和手机号脱敏，记入审计日志）' } },
      async (req, reply) => {
        const r = await files.exportTeachers(ctx, currentUser(req), req.query, req.ip);
        return reply
          .header('content-type', XLSX_MIME)
          .header('content-disposition', attachmentHeader(r.fileName))
          .header('x-row-count', String(r.count))
          .send(r.stream);
      },
    );
  };
