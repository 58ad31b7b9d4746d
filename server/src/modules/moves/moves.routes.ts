import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from '../../platform/schemas.js';
import { ApproveBody, MoveInput, MoveListQuery, ReturnBody, WithdrawBody } from './moves.schema.js';
import * as svc from './moves.service.js';

/** 人员变动 (issue 10 item 5): 入职, 调动, 退休, 离职 requests, their approval and their trail. */
export const moveRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['moves'];

    app.get('/moves', { schema: { tags, querystring: MoveListQuery, description: '人员变动申请：涉及本单位（及下级）学校的' } }, async (req) =>
      svc.listMoves(ctx, currentUser(req), req.query),
    );
    app.get('/moves/destinations', { schema: { tags, description: '可选的调入学校（全部未撤销的教育局和学校，跨县调动也可选）' } }, async (req) =>
      svc.destinations(ctx, currentUser(req)),
    );
    app.get('/moves/:id', { schema: { tags, params: IdParam } }, async (req) => svc.getMove(ctx, currentUser(req), req.params.id));
    app.post('/moves', { schema: { tags, body: MoveInput, description: '提交人员变动申请（入职、调动、退休、离职、死亡）' } }, async (req, reply) => {
      const r = await svc.fileMove(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.post(
      '/moves/:id/approve',
      { schema: { tags, params: IdParam, body: ApproveBody, description: '审批同意（学校上级教育局；跨县调动须调出、调入两地教育局都同意）' } },
      async (req) => svc.approveMove(ctx, currentUser(req), req.params.id, req.body.comment, req.ip),
    );
    app.post('/moves/:id/return', { schema: { tags, params: IdParam, body: ReturnBody, description: '退回申请（须填原因）' } }, async (req) =>
      svc.returnMove(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post('/moves/:id/withdraw', { schema: { tags, params: IdParam, body: WithdrawBody, description: '申请人撤回尚未审批完的申请' } }, async (req) =>
      svc.withdrawMove(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
  };
