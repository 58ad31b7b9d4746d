import type { FastifyPluginAsync } from 'fastify';
import { todayInChina } from '../../platform/china-time.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { Id, IdParam, Text } from '../../platform/schemas.js';
import { publicBaseUrl } from '../../config.js';
import {
  ActivityBody,
  ApplyBody,
  AssessBody,
  BoardQuery,
  LeaveBody,
  MemberBody,
  OutputBody,
  PlanBody,
  TransitionBody,
  WithdrawBody,
  YearQuery,
} from './studios.schema.js';
import * as svc from './studios.service.js';
import * as work from './work.service.js';

const MemberParams = z.object({ id: Id, teacherId: Id });
const ActivityParams = z.object({ id: Id, activityId: Id });
const OutputParams = z.object({ id: Id, outputId: Id });
const CheckinBody = z.object({ open: z.boolean({ message: '请说明开启或关闭签到' }) });
const thisYear = () => Number(todayInChina().slice(0, 4));

/** 工作室 (issue 13 item 1): founding, members, annual plan, activities with check-in, outputs, assessment, board. */
export const studioRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['studios'];

    app.get('/studios', { schema: { tags, description: '工作室列表：本辖区命名或设在本辖区的；教师为自己参加的' } }, async (req) =>
      svc.list(ctx, currentUser(req)),
    );
    app.post('/studios', { schema: { tags, body: ApplyBody, description: '申报工作室（学校或教育局为本单位教师申报）' } }, async (req, reply) => {
      const r = await svc.apply(ctx, currentUser(req), req.body);
      reply.code(201);
      return r;
    });
    app.get('/studios/board', { schema: { tags, querystring: BoardQuery, description: '工作室看板：按类型、级别、状态统计，年度职责完成情况' } }, async (req) =>
      work.board(ctx, currentUser(req), req.query.year ?? thisYear()),
    );
    app.get('/studios/:id', { schema: { tags, params: IdParam, description: '工作室详情：成员（含进出日期）、历程' } }, async (req) =>
      svc.open(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/studios/:id/transition',
      { schema: { tags, params: IdParam, body: TransitionBody, description: '命名单位：受理评审、评审通过并命名、评审未通过、期满结束' } },
      async (req) => svc.transition(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/studios/:id/members',
      { schema: { tags, params: IdParam, body: MemberBody, description: '成员加入（受每位教师参加工作室数量上限约束）' } },
      async (req, reply) => {
        const r = await svc.addMember(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
    app.get(
      '/studios/:id/candidates',
      {
        schema: { tags, params: IdParam, querystring: z.object({ q: Text(30, '姓名').default('') }), description: '可加入的教师（按姓名查找；仅姓名和学校）' },
      },
      async (req) => svc.candidates(ctx, currentUser(req), req.params.id, req.query.q),
    );
    app.post(
      '/studios/:id/members/:teacherId/leave',
      { schema: { tags, params: MemberParams, body: LeaveBody, description: '成员退出（保留记录）' } },
      async (req) => svc.leave(ctx, currentUser(req), req.params.id, req.params.teacherId, req.body),
    );
    app.get(
      '/studios/:id/work',
      { schema: { tags, params: IdParam, querystring: YearQuery, description: '年度计划、活动（含签到人数）、成果、考核' } },
      async (req) => work.work(ctx, currentUser(req), req.params.id, req.query.year),
    );
    app.post(
      '/studios/:id/plans',
      { schema: { tags, params: IdParam, body: PlanBody, description: '保存年度计划（新版本替代旧版本，旧版本保留）' } },
      async (req, reply) => {
        const r = await work.savePlan(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/studios/:id/activities',
      { schema: { tags, params: IdParam, body: ActivityBody, description: '登记活动；线下签到活动在工作室年度研修项目中建立场次' } },
      async (req, reply) => {
        const r = await work.recordActivity(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/studios/:id/activities/:activityId/checkin',
      { schema: { tags, params: ActivityParams, body: CheckinBody, description: '开启或关闭活动签到' } },
      async (req) => work.setCheckin(ctx, currentUser(req), req.params.id, req.params.activityId, req.body.open),
    );
    app.get(
      '/studios/:id/activities/:activityId/checkin-code',
      { schema: { tags, params: ActivityParams, description: '活动签到二维码（当前时段）' } },
      async (req) => work.checkinCode(ctx, currentUser(req), req.params.id, req.params.activityId, publicBaseUrl(ctx.config)),
    );
    app.post(
      '/studios/:id/activities/:activityId/withdraw',
      { schema: { tags, params: ActivityParams, body: WithdrawBody, description: '撤回活动（须填原因；已有签到的不能撤回）' } },
      async (req) => work.withdrawActivity(ctx, currentUser(req), req.params.id, req.params.activityId, req.body.reason),
    );
    app.post(
      '/studios/:id/outputs',
      { schema: { tags, params: IdParam, body: OutputBody, description: '登记成果（课例、论文、课题、双师型教师培养）' } },
      async (req, reply) => {
        const r = await work.recordOutput(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/studios/:id/outputs/:outputId/withdraw',
      { schema: { tags, params: OutputParams, body: WithdrawBody, description: '撤回成果（须填原因）' } },
      async (req) => work.withdrawOutput(ctx, currentUser(req), req.params.id, req.params.outputId, req.body.reason),
    );
    app.get(
      '/studios/:id/years/:year',
      { schema: { tags, params: z.object({ id: Id, year: YearQuery.shape.year.unwrap() }), description: '年度职责完成情况（按政策计算）' } },
      async (req) => work.yearSummary(ctx, currentUser(req), req.params.id, req.params.year),
    );
    app.post(
      '/studios/:id/assessments',
      { schema: { tags, params: IdParam, body: AssessBody, description: '年度考核（命名单位）：不合格一次警示，两次撤销' } },
      async (req, reply) => {
        const r = await work.assess(ctx, currentUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
  };
