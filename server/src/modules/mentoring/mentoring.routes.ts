import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden } from '../../platform/errors.js';
import { IdParam } from '../../platform/schemas.js';
import { board } from './board.service.js';
import * as gate from './gate.service.js';
import {
  BoardQuery,
  GateOpenInput,
  GateReleaseInput,
  KeyCandidateInput,
  PairChangeInput,
  PairEndInput,
  PairInput,
  RecordInput,
  RoundCorrectionInput,
  RoundInput,
  WithdrawInput,
} from './mentoring.schema.js';
import * as pairs from './pairs.service.js';
import * as polish from './polish.service.js';

/** 师徒结对, 磨课 rounds, the gate 待磨课 → 可独立任教, 重点培养对象 and the board (issue 13 item 3). */
export const mentoringRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['mentoring'];
    const created = <T>(reply: { code(n: number): unknown }, r: T) => {
      reply.code(201);
      return r;
    };

    // ---------------------------------------------------------------- 师徒结对
    app.get(
      '/mentoring/pairs',
      {
        schema: {
          tags,
          querystring: z.object({ current: z.enum(['true', 'false']).optional() }),
          description: '师徒结对列表（学校、教育局：本单位及下级；教师：本人的）',
        },
      },
      async (req) => pairs.listPairs(ctx, currentUser(req), { current: req.query.current === 'true' }),
    );
    app.post(
      '/mentoring/pairs',
      { schema: { tags, body: PairInput, description: '登记师徒结对（师傅不能是徒弟本人；同一学科一名当前师傅；师傅带教人数有上限）' } },
      async (req, reply) => created(reply, await pairs.createPair(ctx, currentUser(req), req.body, req.ip)),
    );
    app.get('/mentoring/pairs/:id', { schema: { tags, params: IdParam, description: '师徒结对详情与记录（含更换历史）' } }, async (req) =>
      pairs.getPair(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/mentoring/pairs/:id/end',
      { schema: { tags, params: IdParam, body: PairEndInput, description: '结束结对（须填原因，保留记录）' } },
      async (req) => pairs.endPair(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/mentoring/pairs/:id/change',
      { schema: { tags, params: IdParam, body: PairChangeInput, description: '更换师傅（原结对结束，新结对注明接替）' } },
      async (req, reply) => created(reply, await pairs.changeMentor(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.post(
      '/mentoring/pairs/:id/records',
      { schema: { tags, params: IdParam, body: RecordInput, description: '师徒记录：听课、指导、反思（师傅、徒弟或学校）' } },
      async (req, reply) => created(reply, await pairs.addRecord(ctx, currentUser(req), req.params.id, req.body)),
    );

    // ---------------------------------------------------------------- 磨课 and the gate
    app.get('/teachers/:id/polish-rounds', { schema: { tags, params: IdParam, description: '教师的磨课记录（含已更正的）' } }, async (req) =>
      polish.listRounds(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/teachers/:id/polish-rounds',
      { schema: { tags, params: IdParam, body: RoundInput, description: '记录一轮磨课（评估单位为本单位；教研室账号记录的即教研室评估）' } },
      async (req, reply) => created(reply, await polish.recordRound(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.post(
      '/polish-rounds/:id/correct',
      { schema: { tags, params: IdParam, body: RoundCorrectionInput, description: '更正磨课记录（新记录取代原记录，须填更正原因）' } },
      async (req, reply) => created(reply, await polish.correctRound(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.get('/teachers/:id/teaching-gate', { schema: { tags, params: IdParam, description: '教师各学科的磨课认定状态（待磨课 / 可独立任教）' } }, async (req) =>
      gate.teacherGates(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/teachers/:id/teaching-gate',
      { schema: { tags, params: IdParam, body: GateOpenInput, description: '登记新任学科（或新入职）待磨课' } },
      async (req, reply) => created(reply, await gate.openGate(ctx, currentUser(req), req.params.id, req.body, req.ip)),
    );
    app.post(
      '/teachers/:id/teaching-gate/release',
      { schema: { tags, params: IdParam, body: GateReleaseInput, description: '认定可独立任教（须两轮磨课合格且含教研室评估）' } },
      async (req) => gate.releaseGate(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );

    // ---------------------------------------------------------------- 重点培养对象 and the board
    app.post(
      '/mentoring/key-candidates',
      { schema: { tags, body: KeyCandidateInput, description: '确定重点培养对象（教龄 3 年以下，每学期每学科）' } },
      async (req, reply) => created(reply, await gate.flagKeyCandidate(ctx, currentUser(req), req.body, req.ip)),
    );
    app.post(
      '/mentoring/key-candidates/:id/withdraw',
      { schema: { tags, params: IdParam, body: WithdrawInput, description: '撤销重点培养对象（须填原因）' } },
      async (req) => gate.withdrawKeyCandidate(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.get('/mentoring/board', { schema: { tags, querystring: BoardQuery, description: '师徒结对与磨课看板（学校、教育局）' } }, async (req) =>
      board(ctx, currentUser(req), req.query),
    );

    // ---------------------------------------------------------------- the teacher's own page
    app.get('/my/mentoring', { schema: { tags, description: '我的师徒结对与磨课（教师本人）' } }, async (req) => {
      const user = currentUser(req);
      if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看');
      const [p, g, r] = [
        await pairs.listPairs(ctx, user),
        await gate.teacherGates(ctx, user, user.teacherId),
        await polish.listRounds(ctx, user, user.teacherId),
      ];
      return { pairs: p.items, gates: g.gates, roundsRequired: g.roundsRequired, cite: g.cite, rounds: r.items };
    });
  };
