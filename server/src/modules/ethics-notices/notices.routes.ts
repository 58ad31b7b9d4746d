import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import * as board from './board.service.js';
import * as meetings from './meetings.service.js';
import { BoardQuery, MeetingBody, NoticeListQuery, PublishNoticeBody, WithdrawBody } from './notices.schema.js';
import * as svc from './notices.service.js';

/** 典型问题通报, 警示教育 meetings and the ethics board (issue 12 items 6, 7). */
export const ethicsNoticeRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['ethics-notices'];

    app.get('/ethics/notices', { schema: { tags, querystring: NoticeListQuery, description: '师德典型问题通报：本单位收到的或本辖区发布的' } }, async (req) =>
      svc.list(ctx, currentUser(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/ethics/notices',
      { schema: { tags, body: PublishNoticeBody, description: '发布典型问题通报（师德专干；发往所选单位下的全部学校，发布后不可修改）' } },
      async (req, reply) => {
        const r = await svc.publish(ctx, currentUser(req), req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.get('/ethics/notices/:id', { schema: { tags, params: IdParam, description: '查看通报（教师姓名按发布时选择的方式显示）' } }, async (req) =>
      svc.open(ctx, currentUser(req), req.params.id),
    );
    app.get('/ethics/notices/:id/schools', { schema: { tags, params: IdParam, description: '各接收学校的确认情况（确认人、时间）' } }, async (req) =>
      svc.schools(ctx, currentUser(req), req.params.id),
    );
    app.post('/ethics/notices/:id/confirm', { schema: { tags, params: IdParam, description: '接收学校确认已阅（一校一确认）' } }, async (req) =>
      svc.confirm(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post(
      '/ethics/notices/:id/withdraw',
      { schema: { tags, params: IdParam, body: WithdrawBody, description: '撤回通报（须填写原因；记录保留）' } },
      async (req) => svc.withdraw(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post('/ethics/notices/:id/remind', { schema: { tags, params: IdParam, description: '提醒尚未确认的学校' } }, async (req) =>
      svc.remind(ctx, currentUser(req), req.params.id),
    );

    app.get('/ethics/meetings', { schema: { tags, description: '本辖区的警示教育会议' } }, async (req) => meetings.list(ctx, currentUser(req)));
    app.post(
      '/ethics/meetings',
      { schema: { tags, body: MeetingBody, description: '登记警示教育会议（出勤取自所关联的培训场次签到）' } },
      async (req, reply) => {
        const r = await meetings.record(ctx, currentUser(req), req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.get('/ethics/meetings/:id', { schema: { tags, params: IdParam, description: '警示教育会议及各校出勤人数' } }, async (req) =>
      meetings.open(ctx, currentUser(req), req.params.id),
    );
    app.get('/ethics/meeting-sessions', { schema: { tags, description: '可关联的师德培训场次（本辖区项目）' } }, async (req) =>
      meetings.sessions(ctx, currentUser(req)),
    );

    app.get('/ethics/board', { schema: { tags, querystring: BoardQuery, description: '师德工作看板' } }, async (req) =>
      board.board(ctx, currentUser(req), req.query),
    );
    app.get(
      '/ethics/board.xlsx',
      { schema: { tags, querystring: BoardQuery, description: '导出师德工作看板（仅统计数字；记入审计日志）' } },
      async (req, reply) => {
        const r = await board.boardXlsx(ctx, currentUser(req), req.query, req.ip);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
      },
    );
  };
