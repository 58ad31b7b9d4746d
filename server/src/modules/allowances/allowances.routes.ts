import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../platform/access.js';
import { currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { Id, MinText } from '../../platform/schemas.js';
import { uploadedSheet } from '../../platform/upload.js';
import { Yuan } from '../funds/funds.schema.js';
import * as svc from './allowances.service.js';

const Month = z.string({ error: '请选择月份' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const GridQuery = z.object({ orgId: Id.optional(), month: Month });
const CheckQuery = z.object({ month: Month });
const ImportQuery = z.object({ orgId: Id.optional(), month: Month, reason: MinText(2, 200, '原因').optional() });
const SaveBody = z.object({
  orgId: Id.optional(),
  month: Month,
  rows: z
    .array(z.object({ teacherId: Id, amountYuan: Yuan('津贴', { allowZero: true }) }))
    .min(1, '请至少填写一位教师的津贴')
    .max(2000, '一次最多 2000 行'),
  reason: MinText(2, 200, '更改原因', '请填写更改原因（至少 2 个字）').optional(),
});

/** 班主任津贴 (issue 14 item 8): the month's grid of a school, save, Excel template and import, the check. */
export const allowanceRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['allowances'];
    app.addHook('preValidation', async (req) => requirePermission(currentUser(req), 'funds.manage'));

    app.get('/allowances', { schema: { tags, querystring: GridQuery, description: '学校某月的班主任津贴表与达标情况' } }, async (req) =>
      svc.grid(ctx, currentUser(req), req.query.orgId, req.query.month),
    );
    app.post('/allowances', { schema: { tags, body: SaveBody, description: '保存某月的班主任津贴（更改已登记的金额须写原因）' } }, async (req) =>
      svc.save(ctx, currentUser(req), {
        orgId: req.body.orgId,
        month: req.body.month,
        rows: req.body.rows.map((r) => ({ teacherId: r.teacherId, amountFen: r.amountYuan })),
        reason: req.body.reason,
      }),
    );
    app.get('/allowances/template', { schema: { tags, querystring: GridQuery, description: '下载某月的班主任津贴表（可填写后导入）' } }, async (req, reply) => {
      const r = await svc.template(ctx, currentUser(req), req.query.orgId, req.query.month);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buf);
    });
    app.post(
      '/allowances/import',
      { schema: { tags, querystring: ImportQuery, consumes: ['multipart/form-data'], description: '从 Excel 导入某月的班主任津贴（有错行则整份不导入）' } },
      async (req) => svc.importSheet(ctx, currentUser(req), req.query.orgId, req.query.month, await uploadedSheet(req), req.query.reason),
    );
    app.get('/allowances/check', { schema: { tags, querystring: CheckQuery, description: '津贴检查：本辖区各校低于标准或未发放的班主任' } }, async (req) =>
      svc.check(ctx, currentUser(req), req.query.month),
    );
  };
