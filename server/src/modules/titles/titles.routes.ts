import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import { CreateRoundBody, DateQuery, ListQuery, ProofQuery, PutForwardBody, TeacherQuery } from './titles.schema.js';
import * as svc from './titles.service.js';
import * as rounds from './rounds.service.js';

const send = (reply: FastifyReply, type: string, r: { buffer: Buffer; fileName: string }) =>
  reply.header('content-type', type).header('content-disposition', attachmentHeader(r.fileName)).header('cache-control', 'private, no-store').send(r.buffer);
const PDF = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 职称 eligibility and review rounds (issue 14 item 3). */
export const titleRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['titles'];
    app.get(
      '/my/title-eligibility',
      { schema: { tags, querystring: DateQuery, description: '我的职称申报条件：可申报，或还差哪些条件（含依据）' } },
      async (req) => svc.myEligibility(ctx, currentUser(req), req.query.date),
    );
    app.get(
      '/my/hours-proof',
      { schema: { tags, querystring: ProofQuery, description: '下载本人的继续教育学时证明（PDF，记入审计日志）' } },
      async (req, reply) => send(reply, PDF, await svc.myHoursProof(ctx, currentUser(req), req.query.date, req.query.cycle, req.ip)),
    );
    app.get(
      '/titles/eligibility',
      { schema: { tags, querystring: ListQuery, description: '本单位（或下级学校）教师的职称申报条件，可按申报职称和可申报/还差筛选' } },
      async (req) => svc.listEligibility(ctx, currentUser(req), req.query),
    );
    app.get(
      '/teachers/:id/title-eligibility',
      { schema: { tags, params: IdParam, querystring: TeacherQuery, description: '某位教师的职称申报条件（限辖区）' } },
      async (req) => svc.teacherEligibility(ctx, currentUser(req), req.params.id, req.query.date, req.query.target),
    );
    app.get(
      '/teachers/:id/hours-proof',
      { schema: { tags, params: IdParam, querystring: ProofQuery, description: '某位教师的继续教育学时证明（PDF，限辖区，记入审计日志）' } },
      async (req, reply) => send(reply, PDF, await svc.teacherHoursProof(ctx, currentUser(req), req.params.id, req.query.date, req.query.cycle, req.ip)),
    );
    app.get('/titles/rounds', { schema: { tags, description: '职称评审年度：本单位及下级开展的，和上级开展的' } }, async (req) =>
      rounds.listRounds(ctx, currentUser(req)),
    );
    app.post('/titles/rounds', { schema: { tags, body: CreateRoundBody, description: '开展职称评审年度（基准日、申报职称、推荐截止日期）' } }, async (req) =>
      rounds.createRound(ctx, currentUser(req), req.body),
    );
    app.get('/titles/rounds/:id', { schema: { tags, params: IdParam, description: '评审年度详情与申报名单（学校只见本单位推荐的）' } }, async (req) =>
      rounds.getRound(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/titles/rounds/:id/applicants',
      { schema: { tags, params: IdParam, body: PutForwardBody, description: '推荐申报人：按基准日核查条件，不符合的须填写破格推荐理由（全部或全不）' } },
      async (req) => rounds.putForward(ctx, currentUser(req), req.params.id, req.body),
    );
    app.get(
      '/titles/rounds/:id/export',
      { schema: { tags, params: IdParam, description: '导出申报名单（.xlsx，身份证号脱敏，记入审计日志）' } },
      async (req, reply) => send(reply, XLSX, await rounds.exportRound(ctx, currentUser(req), req.params.id, req.ip)),
    );
  };
