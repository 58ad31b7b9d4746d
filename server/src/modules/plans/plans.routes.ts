import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { IdParam } from '../../platform/schemas.js';
import { DecideBody, FileBody, ReviewQuery, ScoreBody, YearQuery } from './plans.schema.js';
import * as svc from './plans.service.js';
import * as review from './review.service.js';

/** 计划报备与年度考核 (issue 14 item 5): a unit files its annual plans; the bureau reviews, lists missing/late ones, scores 年度考核. */
export const planRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['plans'];
    app.get('/plans/mine', { schema: { tags, querystring: YearQuery, description: '本单位某年度的年度计划：各版本、条目、审核结果、截止日期' } }, async (req) =>
      svc.myPlans(ctx, currentUser(req), req.query.year),
    );
    app.post(
      '/plans/files',
      { schema: { tags, consumes: ['multipart/form-data'], description: '上传年度计划或培训年度计划文件（字段 file；PDF/PNG/JPEG，≤ 10 MB）' } },
      async (req, reply) => {
        const user = currentUser(req);
        const part = await req.file();
        if (!part) throw badRequest('请选择要上传的计划文件', [{ field: 'file', message: '请选择文件' }]);
        const f = await svc.uploadDocument(ctx, user, part);
        reply.code(201);
        return f;
      },
    );
    app.get('/plans/files/:id', { schema: { tags, params: IdParam, description: '下载年度计划文件（留痕）' } }, async (req, reply) =>
      sendDownload(reply, await svc.downloadDocument(ctx, currentUser(req), req.params.id, req.ip)),
    );
    app.post('/plans', { schema: { tags, body: FileBody, description: '报送年度计划（首次报送或退回后重新报送新版本）' } }, async (req, reply) => {
      const r = await svc.filePlan(ctx, currentUser(req), req.body, new Date(), req.ip);
      reply.code(201);
      return r;
    });
    app.get('/plans/filings/:id', { schema: { tags, params: IdParam, description: '一个版本的年度计划：文件、条目、审核结果' } }, async (req) =>
      svc.getFiling(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/plans/filings/:id/decide',
      { schema: { tags, params: IdParam, body: DecideBody, description: '审核年度计划：退回（须填原因）或通过' } },
      async (req) => svc.decide(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.get(
      '/plans/review',
      { schema: { tags, querystring: YearQuery, description: '下级单位年度计划报送情况：状态、未报送、逾期报送、年度考核得分' } },
      async (req) => svc.reviewList(ctx, currentUser(req), req.query.year),
    );
    app.get(
      '/plans/annual-review',
      { schema: { tags, querystring: ReviewQuery, description: '下级单位年度考核：平台数据（学时达标、项目实施、区域目标）与评分历史' } },
      async (req) => review.reviewOf(ctx, currentUser(req), req.query.orgId, req.query.year),
    );
    app.post('/plans/annual-review', { schema: { tags, body: ScoreBody, description: '年度考核评分（各项评分与意见；重新评分取代原评分）' } }, async (req) =>
      review.scoreReview(ctx, currentUser(req), req.body, req.ip),
    );
  };
