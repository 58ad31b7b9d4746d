import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import {
  AccountInput,
  AssignInput,
  ExpertInput,
  ExpertListQuery,
  ExpertUpdate,
  IdParam,
  ProjectExpertParam,
  ProjectParam,
  ScoreInput,
} from './experts.schema.js';
import * as svc from './experts.service.js';

export const expertRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['experts'];

    app.get('/experts', { schema: { tags, querystring: ExpertListQuery, description: '专家库' } }, async (req) =>
      svc.listExperts(ctx, currentUser(req), req.query),
    );
    app.post('/experts', { schema: { tags, body: ExpertInput } }, async (req, reply) => {
      const e = await svc.createExpert(ctx, currentUser(req), req.body);
      reply.code(201);
      return e;
    });
    app.get('/experts/:id', { schema: { tags, params: IdParam } }, async (req) => svc.getExpert(ctx, currentUser(req), req.params.id));
    app.put('/experts/:id', { schema: { tags, params: IdParam, body: ExpertUpdate } }, async (req) =>
      svc.updateExpert(ctx, currentUser(req), req.params.id, req.body),
    );
    app.delete('/experts/:id', { schema: { tags, params: IdParam } }, async (req, reply) => {
      await svc.deleteExpert(ctx, currentUser(req), req.params.id);
      return reply.code(204).send();
    });
    app.post('/experts/:id/unmask', { schema: { tags, params: IdParam, description: '查看专家完整手机号（记入审计日志）' } }, async (req) =>
      svc.unmaskExpert(ctx, currentUser(req), req.params.id, req.ip),
    );

    app.get('/projects/:id/experts', { schema: { tags, params: IdParam, description: '项目评审专家及评分' } }, async (req) =>
      svc.projectExperts(ctx, currentUser(req), req.params.id),
    );
    app.post('/projects/:id/experts', { schema: { tags, params: IdParam, body: AssignInput } }, async (req) =>
      svc.assignExperts(ctx, currentUser(req), req.params.id, req.body.expertIds),
    );
    app.delete('/projects/:id/experts/:expertId', { schema: { tags, params: ProjectExpertParam } }, async (req, reply) => {
      await svc.unassignExpert(ctx, currentUser(req), req.params.id, req.params.expertId);
      return reply.code(204).send();
    });
    app.put(
      '/projects/:id/experts/:expertId/score',
      { schema: { tags, params: ProjectExpertParam, body: ScoreInput, description: '录入专家评分（0–100）' } },
      async (req) => svc.scoreProject(ctx, currentUser(req), req.params.id, req.params.expertId, req.body),
    );

    app.post(
      '/experts/:id/account',
      { schema: { tags, params: IdParam, body: AccountInput, description: '为专家开通登录账号（初始密码仅返回一次）或关联已有评审专家账号' } },
      async (req, reply) => {
        const r = await svc.openAccount(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
    app.delete('/experts/:id/account', { schema: { tags, params: IdParam, description: '解除专家与登录账号的关联' } }, async (req, reply) => {
      await svc.closeAccount(ctx, currentUser(req), req.params.id);
      return reply.code(204).send();
    });

    // 我的评审: the signed-in expert's assigned projects and their own scores.
    app.get('/my/reviews', { schema: { tags, description: '我的评审（评审专家）' } }, async (req) => svc.myReviews(ctx, currentUser(req)));
    app.get('/my/reviews/:projectId', { schema: { tags, params: ProjectParam } }, async (req) => svc.myReview(ctx, currentUser(req), req.params.projectId));
    app.put(
      '/my/reviews/:projectId/score',
      { schema: { tags, params: ProjectParam, body: ScoreInput, description: '评审专家提交或修改本人评分' } },
      async (req) => svc.submitMyScore(ctx, currentUser(req), req.params.projectId, req.body),
    );
  };
