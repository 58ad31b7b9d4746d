import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicBaseUrl } from '../../config.js';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam } from '../../platform/schemas.js';
import { StatementCodeParam, StatementQuery, StatsTableQuery } from './hours-reports.schema.js';
import * as statement from './statement.service.js';
import * as stats from './stats-table.service.js';

const sendFile = (reply: FastifyReply, type: string, r: { buffer: Buffer; fileName: string }) =>
  reply.header('content-type', type).header('content-disposition', attachmentHeader(r.fileName)).header('cache-control', 'private, no-store').send(r.buffer);

/** 学时证明 (a teacher's hours of a period, with its public verification) and the official 学时统计表. */
export const hoursReportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['hours-reports'];

    app.get(
      '/hours/me/statement.pdf',
      { schema: { tags, querystring: StatementQuery, description: '下载本人的学时证明（PDF，含验证二维码；记入审计日志）' } },
      async (req, reply) =>
        sendFile(reply, 'application/pdf', await statement.myStatement(ctx, currentUser(req), req.query, publicBaseUrl(ctx.config), req.ip)),
    );

    app.get(
      '/teachers/:id/hours/statement.pdf',
      { schema: { tags, params: IdParam, querystring: StatementQuery, description: '为辖区内教师打印学时证明（记入审计日志）' } },
      async (req, reply) =>
        sendFile(
          reply,
          'application/pdf',
          await statement.teacherStatement(ctx, currentUser(req), req.params.id, req.query, publicBaseUrl(ctx.config), req.ip),
        ),
    );

    app.get(
      '/hours/summary/table.xlsx',
      { schema: { tags, querystring: StatsTableQuery, description: '导出学时统计表（按学校或按学科，上报格式；记入审计日志）' } },
      async (req, reply) => sendFile(reply, XLSX_MIME, await stats.exportStatsTable(ctx, currentUser(req), req.query, req.ip)),
    );

    // Public: no login. Rate-limited; the response schema lets only the verification fields out.
    app.get(
      '/public/hours-statements/:code',
      {
        config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          params: StatementCodeParam,
          description: '公开验证学时证明（无需登录；姓名脱敏）',
          response: {
            200: z.union([
              z.object({
                valid: z.literal(true),
                statementNo: z.string(),
                name: z.string(),
                schoolName: z.string(),
                fromYear: z.number(),
                toYear: z.number(),
                totalHours: z.number(),
                byCategory: z.array(z.object({ category: z.string(), hours: z.number() })),
                byYear: z.array(z.object({ year: z.number(), hours: z.number() })),
                issuer: z.string(),
                issuedOn: z.string(),
                current: z.boolean(),
                notice: z.string().nullable(),
              }),
              z.object({ valid: z.literal(false), message: z.string() }),
            ]),
          },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return statement.verifyStatement(ctx, req.params.code);
      },
    );
  };
