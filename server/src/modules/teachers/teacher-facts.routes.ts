import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from './teachers.schema.js';
import { FactCorrect, FactDelete, FactEnd, FactInput } from './teacher-facts.schema.js';
import * as svc from './teacher-facts.service.js';

/** A teacher's facts over time: the timeline, and dated changes (start, end, correct, delete a mistake). */
export const teacherFactRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['teachers'];

    app.get(
      '/teachers/:id/timeline',
      { schema: { tags, params: IdParam, description: '教师信息时间线：任职、学校、在职状态、资格证书、骨干认定（含已更正记录）' } },
      async (req) => svc.timeline(ctx, currentUser(req), req.params.id),
    );

    app.post('/teachers/:id/facts', { schema: { tags, params: IdParam, body: FactInput, description: '登记一项带生效日期的变化' } }, async (req, reply) => {
      const id = await svc.apiAdd(ctx, currentUser(req), req.params.id, req.body);
      reply.code(201);
      return { id };
    });

    app.post('/teachers/:id/facts/end', { schema: { tags, params: IdParam, body: FactEnd, description: '结束一项任职（默认今天）' } }, async (req) => {
      await svc.apiEnd(ctx, currentUser(req), req.body.kind, req.params.id, req.body.factId, req.body.until ?? undefined);
      return { ok: true };
    });

    app.post(
      '/teachers/:id/facts/correct',
      { schema: { tags, params: IdParam, body: FactCorrect, description: '更正一条记录的日期：原记录保留并标记为已更正' } },
      async (req) => ({
        id: await svc.apiCorrect(ctx, currentUser(req), req.body.kind, req.params.id, req.body.factId, req.body),
      }),
    );

    app.post(
      '/teachers/:id/facts/delete',
      { schema: { tags, params: IdParam, body: FactDelete, description: '删除误录的记录（须填写原因，记入审计日志）' } },
      async (req) => {
        await svc.apiDelete(ctx, currentUser(req), req.body.kind, req.params.id, req.body.factId, req.body.reason, req.ip);
        return { ok: true };
      },
    );
  };
