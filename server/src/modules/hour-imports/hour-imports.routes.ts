import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { requirePermission } from '../../platform/access.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { noSheet, readingSheet, type UploadedSheet } from '../../platform/upload.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { IdParam, ImportMapping, RunListQuery, RunQuery, SkipRows } from './hour-imports.schema.js';
import * as svc from './hour-imports.service.js';

/** The multipart request: the spreadsheet (field `file`) and, for a run, the mapping as JSON (field `mapping`), in either order. */
async function readUpload(req: FastifyRequest): Promise<UploadedSheet & { mapping: unknown; skipRows: unknown }> {
  const { file, mapping, skipRows } = await readingSheet(async () => {
    let file: UploadedSheet | null = null;
    let mapping: unknown;
    let skipRows: unknown;
    for await (const part of req.parts()) {
      if (part.type === 'file') file = { buffer: await part.toBuffer(), fileName: part.filename };
      else if (part.fieldname === 'mapping' || part.fieldname === 'skipRows') {
        let v: unknown;
        try {
          v = JSON.parse(String(part.value));
        } catch {
          throw badRequest(`${part.fieldname === 'mapping' ? '映射设置' : '不导入的行'}不是有效的 JSON`, [{ field: part.fieldname, message: '格式不正确' }]);
        }
        if (part.fieldname === 'mapping') mapping = v;
        else skipRows = v;
      }
    }
    return { file, mapping, skipRows };
  });
  if (!file) throw noSheet();
  return { ...file, mapping, skipRows };
}

function parseSkipRows(raw: unknown): number[] {
  if (raw === undefined) return [];
  const r = SkipRows.safeParse(raw);
  if (r.success) return r.data;
  throw badRequest('不导入的行应为行号列表', [{ field: 'skipRows', message: r.error.issues[0]?.message ?? '格式不正确' }]);
}

function parseMapping(raw: unknown): ImportMapping {
  if (raw === undefined) throw badRequest('缺少列映射设置', [{ field: 'mapping', message: '请设置列映射' }]);
  const r = ImportMapping.safeParse(raw);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: ['mapping', ...i.path].join('.'), message: i.message }));
  throw badRequest(`映射设置有误：${fields.map((f) => `${f.field} ${f.message}`).join('；')}`, fields);
}

export const hourImportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['hour-imports'];

    app.post(
      '/hour-imports/analyse',
      {
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          description: '上传其他平台导出的 .xlsx/.csv（字段 file），返回表头、样例行和推荐的列映射；不写入数据',
        },
      },
      async (req) => {
        const user = currentUser(req);
        requirePermission(user, 'hours.import'); // before reading up to 10 MB from someone who may not import
        const u = await readUpload(req);
        return svc.analyse(ctx, user, u.buffer, u.fileName);
      },
    );

    app.post(
      '/hour-imports',
      {
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          querystring: RunQuery,
          description:
            '按映射导入学时（字段 file + mapping JSON，可选 skipRows：不导入的行号 JSON 数组）；dryRun=1 只生成报告不写入（疑似重复的行附匹配记录）。同一文件重复导入不会重复计入',
        },
      },
      async (req) => {
        const user = currentUser(req);
        requirePermission(user, 'hours.import');
        const u = await readUpload(req);
        return svc.runImport(ctx, user, u.buffer, u.fileName, parseMapping(u.mapping), {
          dryRun: req.query.dryRun === '1',
          ip: req.ip,
          skipRows: parseSkipRows(u.skipRows),
        });
      },
    );

    app.get('/hour-imports', { schema: { tags, querystring: RunListQuery, description: '平台学时导入记录' } }, async (req) =>
      svc.listRuns(ctx, currentUser(req), req.query),
    );

    app.get('/hour-imports/:id', { schema: { tags, params: IdParam } }, async (req) => svc.getRun(ctx, currentUser(req), req.params.id));

    app.get(
      '/hour-imports/:id/report.xlsx',
      { schema: { tags, params: IdParam, description: '下载导入结果（未导入和跳过的行及原因）' } },
      async (req, reply) => {
        const r = await svc.runReportXlsx(ctx, currentUser(req), req.params.id);
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(r.fileName)).send(r.buffer);
      },
    );
  };
