import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam, TeacherInput, TeacherListQuery, TeacherUpdate } from './teachers.schema.js';
import * as svc from './teachers.service.js';

export const teacherRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['teachers'];

    app.get('/teachers', { schema: { tags, querystring: TeacherListQuery } }, async (req) => svc.listTeachers(ctx, currentUser(req), req.query));

    app.get('/teachers/:id', { schema: { tags, params: IdParam } }, async (req) =>
      svc.presentTeacher(await svc.getTeacher(ctx, currentUser(req), req.params.id)),
    );

    app.post('/teachers', { schema: { tags, body: TeacherInput } }, async (req, reply) => {
      const id = await svc.createTeacher(ctx, currentUser(req), req.body);
      reply.code(201);
      return svc.presentTeacher(await svc.getTeacher(ctx, currentUser(req), id));
    });

    app.put('/teachers/:id', { schema: { tags, params: IdParam, body: TeacherUpdate } }, async (req) => {
      const u = currentUser(req);
      await svc.updateTeacher(ctx, u, req.params.id, req.body);
      return svc.presentTeacher(await svc.getTeacher(ctx, u, req.params.id));
    });

    app.post('/teachers/:id/unmask', { schema: { tags, params: IdParam, description: '查看完整身份证号和手机号（记入审计日志）' } }, async (req) =>
      svc.unmaskTeacher(ctx, currentUser(req), req.params.id, req.ip),
    );

    app.get('/teachers/:id/history', { schema: { tags, params: IdParam } }, async (req) => svc.teacherHistory(ctx, currentUser(req), req.params.id));
  };
