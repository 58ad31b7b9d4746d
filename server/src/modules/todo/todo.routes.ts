import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import * as svc from './todo.service.js';

/** 待办中心 (issue 11 item 2): what waits for the caller, per kind. */
export const todoRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/todo', { schema: { tags: ['todo'], description: '待办中心：按当前身份，各类待处理事项的数量、最早等待时间和处理页面' } }, async (req) =>
      svc.todoList(ctx, currentUser(req)),
    );
  };
