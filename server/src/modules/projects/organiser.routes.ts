import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import * as life from './lifecycle.service.js';
import * as org from './organiser.service.js';
import { BatchAttendanceInput, ModeQuery, SplitQuery } from './organiser.schema.js';
import { uploadedSheet } from '../../platform/upload.js';
import { fastTrackOffer } from './lifecycle.service.js';
import { projectOr404 } from './projects.service.js';

/** Organiser shortcuts (issue 11 item 3): combined steps, batch attendance, attendance export, quota split. */
export const organiserRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['projects'];

    app.get(
      '/projects/:id/fast-track',
      { schema: { tags, params: IdParam, description: '可由本单位一并办理的步骤（如“提交并开放报名”），没有则为 null' } },
      async (req) => {
        const user = currentUser(req);
        return { offer: await fastTrackOffer(ctx.db, await projectOr404(ctx.db, user, req.params.id), user) };
      },
    );
    app.post(
      '/projects/:id/fast-track',
      { schema: { tags, params: IdParam, description: '一并办理本单位的连续步骤（提交、审批、备案、方案审核），每步记入流转记录' } },
      async (req) => life.fastTrack(ctx, currentUser(req), req.params.id),
    );

    app.put(
      '/sessions/:id/attendance',
      { schema: { tags, params: IdParam, body: BatchAttendanceInput, description: '批量标记考勤：出勤 / 缺勤 / 请假（记入审计日志）' } },
      async (req) => org.markMany(ctx, currentUser(req), req.params.id, req.body.teacherIds, req.body.mark, req.body.reason),
    );

    app.get('/sessions/:id/attendance.xlsx', { schema: { tags, params: IdParam, description: '导出本场考勤（.xlsx，记入审计日志）' } }, async (req, reply) => {
      const r = await org.exportAttendance(ctx, currentUser(req), { sessionId: req.params.id });
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
    });
    app.get(
      '/projects/:id/attendance.xlsx',
      { schema: { tags, params: IdParam, description: '导出项目全部场次考勤（.xlsx，记入审计日志）' } },
      async (req, reply) => {
        const r = await org.exportAttendance(ctx, currentUser(req), { projectId: req.params.id });
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
      },
    );

    app.get(
      '/projects/:id/quotas/split',
      { schema: { tags, params: IdParam, querystring: SplitQuery, description: '按公式分配名额预览：平均、按教师人数、按仍需培训人数（合计等于总数）' } },
      async (req) => org.splitPreview(ctx, currentUser(req), req.params.id, req.query),
    );
    app.post(
      '/projects/:id/quotas/sheet',
      {
        schema: {
          tags,
          params: IdParam,
          querystring: ModeQuery,
          consumes: ['multipart/form-data'],
          description: '读取名额表（.xlsx/.csv，字段 file，两列：单位、名额），按单位名称匹配下级单位，供批量分配预览，不保存',
        },
      },
      async (req) => org.readQuotaSheet(ctx, currentUser(req), req.params.id, req.query.mode, await uploadedSheet(req, '文件超过 10 MB')),
    );
  };
