import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { IdParam } from '../../platform/schemas.js';
import { OutputInput, ResearchInput, StepInput, StepParam } from './research.schema.js';
import * as svc from './research.service.js';

/** 课题 (issue 13 item 5). */
export const researchRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['research'];
    app.get('/research-projects', { schema: { tags, description: '课题列表（教师：本人主持或参与的）' } }, async (req) =>
      svc.listProjects(ctx, currentUser(req)),
    );
    app.post('/research-projects', { schema: { tags, body: ResearchInput, description: '申报课题' } }, async (req, reply) => {
      const r = await svc.apply(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/research-projects/:id', { schema: { tags, params: IdParam, description: '课题详情：成员、成果、各步骤记录' } }, async (req) =>
      svc.getProject(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/research-projects/:id/outputs',
      { schema: { tags, params: IdParam, body: OutputInput, description: '登记研究成果（论文、课例、报告，可附文件）' } },
      async (req, reply) => {
        const r = await svc.addOutput(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/research-projects/:id/:step',
      { schema: { tags, params: StepParam, body: StepInput, description: '立项 / 不予立项 / 开题 / 中期检查 / 结题 / 终止' } },
      async (req) => svc.step(ctx, currentUser(req), req.params.id, req.params.step, req.body, req.ip),
    );
  };
