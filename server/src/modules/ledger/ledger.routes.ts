import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { CorrectionListQuery, DecisionBody, EntryIdParam, HoursQuery, ReverseBody, SummaryQuery, TeacherIdParam } from './ledger.schema.js';
import { IdParam } from '../../platform/schemas.js';
import * as corr from './corrections.service.js';
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
        const r = await svc.reverseEntry(ctx, currentUser(req), req.params.entryId, req.body.reason, req.ip);
        if (r.requested) {
          // Another org's record above the caller: sent to it as a request (202), nothing reversed yet.
          reply.code(202);
          return { requested: true, request: r.requested, message: `该学时由${r.requested.ownerOrgName}认定，已提交更正申请，待其审核` };
        }
        reply.code(201);
        return r.reversed;
      },
    );

    // ---------------------------------------------------------------- 学时更正申请 (issue 9 item 14)
    app.get(
      '/ledger/corrections',
      { schema: { tags, querystring: CorrectionListQuery, description: '学时更正申请：报本单位审核的，及本单位提出的' } },
      async (req) => corr.listCorrections(ctx, currentUser(req), req.query),
    );
    app.post(
      '/ledger/corrections/:id/decision',
      { schema: { tags, params: IdParam, body: DecisionBody, description: '同意（写入冲销记录）或不同意（须填原因）下级单位的更正申请' } },
      async (req) => corr.decideCorrection(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );

    app.get('/hours/summary', { schema: { tags, querystring: SummaryQuery, description: '下级单位（或本校教师）年度学时汇总' } }, async (req) =>
      svc.hoursSummary(ctx, currentUser(req), req.query),
    );
  };
