import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdList, Page, PageSize } from '../../platform/schemas.js';
import * as svc from './notifications.service.js';

export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];

    app.get(
      '/notifications',
      {
        schema: {
          tags,
          querystring: z.object({
            unread: z.enum(['0', '1']).default('0'),
            page: Page,
            pageSize: PageSize(100, 20),
          }),
        },
      },
      async (req) => svc.listInbox(ctx, currentUser(req), { unreadOnly: req.query.unread === '1', page: req.query.page, pageSize: req.query.pageSize }),
    );

    app.get('/notifications/badges', { schema: { tags } }, async (req) => svc.badges(ctx, currentUser(req)));

    app.post('/notifications/read', { schema: { tags, body: z.object({ ids: IdList(500).nullable() }) } }, async (req) => ({
      marked: await svc.markRead(ctx, currentUser(req), req.body.ids),
    }));
  };
