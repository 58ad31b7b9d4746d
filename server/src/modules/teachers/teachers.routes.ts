import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { byCaller, currentUser } from '../../platform/auth.js';
import { ExactSearch, IdParam, TeacherInput, TeacherListQuery, TeacherUpdate } from './teachers.schema.js';
import * as svc from './teachers.service.js';
import { teacherFactRoutes } from './teacher-facts.routes.js';

/** Exact searches one account may make in 10 minutes. */
export const EXACT_SEARCH_LIMIT = 20;

export const teacherRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['teachers'];

    app.get('/teachers', { schema: { tags, querystring: TeacherListQuery } }, async (req) => svc.listTeachers(ctx, currentUser(req), req.query));

    app.get('/teachers/:id', { schema: { tags, params: IdParam } }, async (req) => {
      const u = currentUser(req);
      return svc.presentFor(u, await svc.getTeacher(ctx, u, req.params.id));
    });

    app.post('/teachers', { schema: { tags, body: TeacherInput } }, async (req, reply) => {
      const u = currentUser(req);
      const id = await svc.createTeacher(ctx, u, req.body);
      reply.code(201);
      return svc.presentFor(u, await svc.getTeacher(ctx, u, id));
    });

    app.put('/teachers/:id', { schema: { tags, params: IdParam, body: TeacherUpdate } }, async (req) => {
      const u = currentUser(req);
      await svc.updateTeacher(ctx, u, req.params.id, req.body);
      return svc.presentFor(u, await svc.getTeacher(ctx, u, req.params.id));
    });

    // 精确查找 by 身份证号 or phone: in the body (never in a URL, which ends up in logs), for roles that may unmask,
    // at most 20 searches per account in 10 minutes, each audited without the value.
    app.post(
      '/teachers/search',
      {
        schema: { tags, body: ExactSearch, description: '按完整身份证号或手机号精确查找教师（限可查看完整信息的角色，限频，记入审计日志）' },
        config: { rateLimit: { max: EXACT_SEARCH_LIMIT, timeWindow: '10 minutes', keyGenerator: byCaller } },
      },
      async (req) => svc.exactSearch(ctx, currentUser(req), req.body, req.ip),
    );

    app.post('/teachers/:id/unmask', { schema: { tags, params: IdParam, description: '查看完整身份证号和手机号（记入审计日志）' } }, async (req) =>
      svc.unmaskTeacher(ctx, currentUser(req), req.params.id, req.ip),
    );

    app.get('/teachers/:id/history', { schema: { tags, params: IdParam } }, async (req) => svc.teacherHistory(ctx, currentUser(req), req.params.id));

    // Facts over time (timeline, dated changes): teacher-facts.routes.ts.
    await fastify.register(teacherFactRoutes(ctx));
  };
