import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { IdParam } from '../../platform/schemas.js';
import { CompletionInput, PlanInput, ProgressInput } from './upgrade.schema.js';
import * as svc from './upgrade.service.js';

/** 学历提升 / 资格证 plans and the 科证不符 list (issue 13 item 5). */
export const upgradeRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['upgrade'];
    app.get('/upgrade-plans', { schema: { tags, description: '学历提升计划（教师：本人的；学校：本单位的）' } }, async (req) =>
      svc.listPlans(ctx, currentUser(req)),
    );
    app.post('/upgrade-plans', { schema: { tags, body: PlanInput, description: '登记学历提升或资格证计划' } }, async (req, reply) => {
      const r = await svc.createPlan(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/upgrade-plans/:id', { schema: { tags, params: IdParam, description: '计划详情与进展' } }, async (req) =>
      svc.getPlan(ctx, currentUser(req), req.params.id),
    );
    app.post('/upgrade-plans/:id/progress', { schema: { tags, params: IdParam, body: ProgressInput, description: '记录进展' } }, async (req) =>
      svc.addProgress(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/upgrade-plans/:id/completion',
      { schema: { tags, params: IdParam, body: CompletionInput, description: '确认完成（教师申请，学校审核；学校登记即为审核通过）' } },
      async (req) => svc.requestCompletion(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/upgrade-plans/:id/approve',
      { schema: { tags, params: IdParam, description: '学校审核通过：记录新学历或资格证（自取得之日起）' } },
      async (req) => svc.approveCompletion(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.get('/qualification-mismatch', { schema: { tags, description: '科证不符教师及其提升计划' } }, async (req) => svc.mismatchList(ctx, currentUser(req)));
  };
