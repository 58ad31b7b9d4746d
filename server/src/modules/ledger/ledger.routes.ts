import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { EntryIdParam, HoursQuery, ReverseBody, SummaryQuery, TeacherIdParam } from './ledger.schema.js';
import * as svc from './ledger.service.js';

export const ledgerRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['ledger'];

    app.get('/hours/me', { schema: { tags, querystring: HoursQuery, description: '我的学时：按年度、类别汇总及明细' } }, async (req) =>
      svc.myHours(ctx, currentUser(req), req.query),
    );

    app.get('/teachers/:id/hours', { schema: { tags, params: TeacherIdParam, querystring: HoursQuery, description: '某位教师的学时档案' } }, async (req) =>
      svc.teacherHours(ctx, currentUser(req), req.params.id, req.query),
    );

    app.post(
      '/ledger/:entryId/reverse',
      { schema: { tags, params: EntryIdParam, body: ReverseBody, description: '冲销一条学时记录（追加反向记录，原记录不变）' } },
      async (req, reply) => {
        const entry = await svc.reverseEntry(ctx, currentUser(req), req.params.entryId, req.body.reason, req.ip);
        reply.code(201);
        return entry;
      },
    );

    app.get('/hours/summary', { schema: { tags, querystring: SummaryQuery, description: '下级单位（或本校教师）年度学时汇总' } }, async (req) =>
      svc.hoursSummary(ctx, currentUser(req), req.query),
    );
  };
