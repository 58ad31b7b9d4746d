import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import { ListQuery, PublishBody } from './announcements.schema.js';
import * as svc from './announcements.service.js';

/** 通知公告 (issue 11 item 9): publish to the subtree, read (with receipt), receipts per org, unread list export. */
export const announcementRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['announcements'];

    app.get('/announcements', { schema: { tags, querystring: ListQuery, description: '本人收到的通知公告（按当前身份），最新在前' } }, async (req) =>
      svc.inbox(ctx, currentUser(req), req.query.page, req.query.pageSize),
    );
    app.get('/announcements/sent', { schema: { tags, querystring: ListQuery, description: '本单位（及下级）发布的通知公告' } }, async (req) =>
      svc.sent(ctx, currentUser(req), req.query.page, req.query.pageSize),
    );
    app.post(
      '/announcements',
      { schema: { tags, body: PublishBody, description: '发布通知公告（教育局、学校管理员；发往本单位及下级）' } },
      async (req, reply) => {
        const r = await svc.publish(ctx, currentUser(req), req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.get('/announcements/:id', { schema: { tags, params: IdParam, description: '查看通知公告；接收人首次打开即记为已读' } }, async (req) =>
      svc.open(ctx, currentUser(req), req.params.id),
    );
    app.get('/announcements/:id/receipts', { schema: { tags, params: IdParam, description: '各单位已读、未读人数（发布单位及其上级）' } }, async (req) =>
      svc.receipts(ctx, currentUser(req), req.params.id),
    );
    app.get(
      '/announcements/:id/unread.xlsx',
      { schema: { tags, params: IdParam, description: '导出未读名单（姓名、单位、身份；记入审计日志）' } },
      async (req, reply) => {
        const r = await svc.unreadXlsx(ctx, currentUser(req), req.params.id, req.ip);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
      },
    );
  };
