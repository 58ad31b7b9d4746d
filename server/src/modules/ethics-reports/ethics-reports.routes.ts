import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { IdParam } from '../../platform/schemas.js';
import {
  ATTACHMENT_LIMITS,
  categoriesFor,
  logReport,
  publicBureaus,
  publicSchools,
  submitPublicReport,
  trackReport,
  type IncomingFile,
} from './ethics-intake.service.js';
import {
  LoggedReportInput,
  NoteBody,
  OrgIdQuery,
  PublicReportInput,
  RejectBody,
  ReportFileParams,
  ReportListQuery,
  TrackInput,
  TransferBody,
} from './ethics-reports.schema.js';
import * as svc from './ethics-reports.service.js';

/** Per-address limits of the public endpoints (a burst gets 429 with a Chinese message; each refusal is logged). */
export const PUBLIC_LIMITS = {
  submit: { max: 5, timeWindow: '10 minutes' },
  track: { max: 20, timeWindow: '10 minutes' },
  lists: { max: 120, timeWindow: '1 minute' },
};

/**
 * A public request over its limit (429): logged and audited once per address and route every 10 minutes, so a flood
 * of refused requests cannot flood the log and the audit trail in turn.
 */
const abuse = (ctx: AppContext) => {
  const seen = new Map<string, number>();
  return (req: FastifyRequest, key: string) => {
    const now = Date.now();
    const k = `${req.routeOptions.url}|${key}`;
    if ((seen.get(k) ?? 0) > now) return;
    if (seen.size > 10_000) for (const [x, until] of seen) if (until <= now) seen.delete(x);
    seen.set(k, now + 600_000);
    req.log.warn({ route: req.routeOptions.url, ip: req.ip }, 'ethics public endpoint rate limit exceeded');
    void audit(ctx.db, null, 'ethics.public.rateLimited', 'route', req.routeOptions.url ?? null, {}, req.ip).catch(() => undefined);
  };
};

/** The public form: a JSON body, or multipart with the report as JSON in field `data` and up to 5 files in `files`. */
async function readReport(req: FastifyRequest): Promise<{ data: unknown; files: IncomingFile[] }> {
  if (!req.isMultipart()) return { data: req.body, files: [] };
  let data: unknown;
  const files: IncomingFile[] = [];
  try {
    for await (const part of req.parts({
      limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: ATTACHMENT_LIMITS.count + 1, fields: 5, parts: ATTACHMENT_LIMITS.count + 6 },
    })) {
      if (part.type === 'file') {
        let buffer: Buffer;
        try {
          buffer = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError(
              'PAYLOAD_TOO_LARGE',
              `附件“${part.filename}”超过 ${ATTACHMENT_LIMITS.maxBytes / 1048576} MB，请压缩后再上传；其他填写的内容不受影响`,
              [{ field: 'files', message: `“${part.filename}”超过 ${ATTACHMENT_LIMITS.maxBytes / 1048576} MB` }],
            );
          throw err;
        }
        files.push({ fileName: part.filename, buffer });
      } else if (part.fieldname === 'data') {
        try {
          data = JSON.parse(String(part.value));
        } catch {
          throw badRequest('举报内容格式不正确', [{ field: 'data', message: '格式不正确' }]);
        }
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT')
      throw badRequest(`附件最多 ${ATTACHMENT_LIMITS.count} 个`, [{ field: 'files', message: `附件最多 ${ATTACHMENT_LIMITS.count} 个` }]);
    throw err;
  }
  return { data, files };
}

function parseReport(raw: unknown): PublicReportInput {
  const r = PublicReportInput.safeParse(raw ?? {});
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: i.path.join('.') || 'data', message: i.message }));
  throw badRequest(`输入有误：${fields.map((f) => f.message).join('；')}`, fields);
}

/** 举报受理 (issue 12 item 1): the public report and tracking pages, the 举报电话 log, the officer's list and detail. */
export const ethicsReportRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['ethics-reports'];
    const onExceeded = abuse(ctx);

    // ---------------------------------------------------------------- public (no login), rate-limited per address
    app.get(
      '/public/ethics/orgs',
      { config: { public: true, rateLimit: { ...PUBLIC_LIMITS.lists, onExceeded } }, schema: { tags, description: '举报页：可选的地区（教育局，只有名称）' } },
      async () => ({ items: await publicBureaus(ctx) }),
    );
    app.get(
      '/public/ethics/schools',
      {
        config: { public: true, rateLimit: { ...PUBLIC_LIMITS.lists, onExceeded } },
        schema: { tags, querystring: OrgIdQuery, description: '举报页：所选地区的学校（只有名称）' },
      },
      async (req) => ({ items: await publicSchools(ctx, req.query.orgId) }),
    );
    app.get(
      '/public/ethics/categories',
      {
        config: { public: true, rateLimit: { ...PUBLIC_LIMITS.lists, onExceeded } },
        schema: { tags, querystring: OrgIdQuery, description: '举报页：所选地区的举报类别与办理时限（政策数据）' },
      },
      async (req) => categoriesFor(ctx, req.query.orgId),
    );
    app.post(
      '/public/ethics/reports',
      {
        config: { public: true, rateLimit: { ...PUBLIC_LIMITS.submit, onExceeded } },
        schema: { tags, description: '提交师德举报（无需登录；实名或匿名；附件为图片或 PDF）。返回查询码和只显示一次的查询密码' },
      },
      async (req, reply) => {
        const { data, files } = await readReport(req);
        const r = await submitPublicReport(ctx, parseReport(data), files, req.ip);
        reply.code(201).header('cache-control', 'no-store');
        const { id: _id, ...receipt } = r;
        return receipt;
      },
    );
    app.post(
      '/public/ethics/track',
      {
        config: { public: true, rateLimit: { ...PUBLIC_LIMITS.track, onExceeded } },
        schema: { tags, body: TrackInput, description: '凭查询码和查询密码查看举报办理情况（无需登录）' },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return trackReport(ctx, req.body.code, req.body.secret, req.ip);
      },
    );

    // ---------------------------------------------------------------- the 师德专干
    app.get(
      '/ethics/reports',
      { schema: { tags, querystring: ReportListQuery, description: '本单位（及下级）受理或升级到本单位的举报，按期限排序' } },
      async (req) => svc.listReports(ctx, currentUser(req), req.query),
    );
    app.get('/ethics/bureaus', { schema: { tags, description: '本单位及下级教育局（登记举报、转办时选择）' } }, async (req) => ({
      items: await svc.bureausInReach(ctx, currentUser(req)),
    }));
    app.post(
      '/ethics/reports',
      { schema: { tags, body: LoggedReportInput, description: '登记举报电话、来信、来访；返回查询码和只显示一次的查询密码（请告知举报人）' } },
      async (req, reply) => {
        const r = await logReport(ctx, currentUser(req), req.body, req.ip);
        reply.code(201).header('cache-control', 'no-store');
        return r;
      },
    );
    app.get('/ethics/reports/:id', { schema: { tags, params: IdParam, description: '举报详情（举报人信息脱敏；每次查看记入审计日志）' } }, async (req) =>
      svc.getReport(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post(
      '/ethics/reports/:id/reporter',
      { schema: { tags, params: IdParam, description: '查看举报人身份（仅受理单位及升级到的单位的师德专干；记入审计日志）' } },
      async (req) => svc.unmaskReporter(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post(
      '/ethics/reports/:id/reject',
      { schema: { tags, params: IdParam, body: RejectBody, description: '不予受理（理由举报人凭查询码可见）' } },
      async (req) => svc.rejectReport(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.post(
      '/ethics/reports/:id/transfer',
      { schema: { tags, params: IdParam, body: TransferBody, description: '转办给本单位或下级的教育局' } },
      async (req) => svc.transferReport(ctx, currentUser(req), req.params.id, req.body.orgId, req.body.comment, req.ip),
    );
    app.post('/ethics/reports/:id/notes', { schema: { tags, params: IdParam, body: NoteBody, description: '补充说明（记入办理记录）' } }, async (req) =>
      svc.addNote(ctx, currentUser(req), req.params.id, req.body.comment, req.ip),
    );
    app.get(
      '/ethics/reports/:id/files/:fileId',
      { schema: { tags, params: ReportFileParams, description: '下载举报附件（记入审计日志）' } },
      async (req, reply) => sendDownload(reply, await svc.reportFile(ctx, currentUser(req), req.params.id, req.params.fileId, req.ip), { inline: true }),
    );
  };
