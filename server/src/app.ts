import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './platform/context.js';
import { AppError } from './platform/errors.js';
import { mapDbError, sqlStateOf } from './platform/db-errors.js';
import { loadSessionUser, SESSION_COOKIE, sessionRulesOf } from './platform/auth.js';
import { logSerializers } from './platform/log-redaction.js';
import { recordRoutes } from './platform/route-list.js';
import { enforceSessionGates } from './platform/session-gates.js';
import { checkCsrf, checkDocsAccess, cspDirectives } from './platform/web-security.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { orgRoutes } from './modules/orgs/orgs.routes.js';
import { orgImportRoutes } from './modules/orgs/orgs.import.routes.js';
import { teacherRoutes } from './modules/teachers/teachers.routes.js';
import { teacherImportRoutes } from './modules/teachers/teachers.import.routes.js';
import { projectRoutes } from './modules/projects/projects.routes.js';
import { organiserRoutes } from './modules/projects/organiser.routes.js';
import { ledgerRoutes } from './modules/ledger/ledger.routes.js';
import { policyRoutes } from './modules/policies/policies.routes.js';
import { complianceRoutes } from './modules/compliance/compliance.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { evaluationRoutes } from './modules/evaluations/evaluations.routes.js';
import { expertRoutes } from './modules/experts/experts.routes.js';
import { claimRoutes } from './modules/claims/claims.routes.js';
import { teacherRecordRoutes } from './modules/records/records.routes.js';
import { hourImportRoutes } from './modules/hour-imports/hour-imports.routes.js';
import { certificateRoutes } from './modules/certificates/certificates.routes.js';
import { hoursReportRoutes } from './modules/hours-reports/hours-reports.routes.js';
import { indicatorRoutes } from './modules/indicators/indicators.routes.js';
import { accountRoutes } from './modules/accounts/accounts.routes.js';
import { securityRoutes } from './modules/security/security.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
// 人员变动 (issue 10 item 5)
import { moveRoutes } from './modules/moves/moves.routes.js';
import { ethicsCaseRoutes } from './modules/ethics-cases/cases.routes.js';
import { withActor } from './modules/notifications/notifications.service.js';
import { announcementRoutes } from './modules/announcements/announcements.routes.js';
import { ethicsNoticeRoutes } from './modules/ethics-notices/notices.routes.js';
import { studioRoutes } from './modules/studios/studios.routes.js';
import { fundRoutes } from './modules/funds/funds.routes.js';
import { allowanceRoutes } from './modules/allowances/allowances.routes.js';
import { todoRoutes } from './modules/todo/todo.routes.js';
import { integrityRoutes } from './modules/integrity/integrity.routes.js';
import { mentoringRoutes } from './modules/mentoring/mentoring.routes.js';
import { keyTeacherRoutes } from './modules/key-teachers/key-teachers.routes.js';
import { staffingRoutes } from './modules/staffing/staffing.routes.js';
import { appraisalRoutes } from './modules/appraisals/appraisals.routes.js';
import { rotationRoutes } from './modules/rotations/rotations.routes.js';
import { honourRoutes } from './modules/honours/honours.routes.js';
import { competitionRoutes } from './modules/competitions/competitions.routes.js';
import { researchRoutes } from './modules/research/research.routes.js';
import { upgradeRoutes } from './modules/research/upgrade.routes.js';
import { regionReportRoutes } from './modules/region-reports/region-reports.routes.js';
import { planRoutes } from './modules/plans/plans.routes.js';
import { installHeavyLimits } from './platform/heavy.js';
// 师德举报受理 (issue 12 item 1, intake)
import { ethicsReportRoutes } from './modules/ethics-reports/ethics-reports.routes.js';
// 职称 eligibility and review rounds (issue 14 item 3, titles)
import { titleRoutes } from './modules/titles/titles.routes.js';

z.config(z.locales.zhCN());

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Translate fastify's own error codes into the messages a Chinese user reads. */
function frameworkError(err: { code?: string; statusCode?: number; message: string }): { status: number; code: string; message: string } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'BAD_REQUEST', message: '请求内容不是有效的 JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传内容过大' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA', message: '不支持的请求内容类型' };
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传的文件或字段过多' };
  }
  if (err.statusCode === 429) return { status: 429, code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { status: err.statusCode, code: 'BAD_REQUEST', message: '请求无效' };
  return null;
}

export async function buildApp(
  ctx: AppContext,
  opts: { logger?: boolean; webDir?: string /** Where log lines go (tests read them); default stdout. */; logStream?: { write(line: string): void } } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // Request lines and errors pass through serializers that keep 身份证号, phones and searched names out (platform/log-redaction).
    logger: opts.logger ? { level: ctx.config.logLevel, serializers: logSerializers, ...(opts.logStream ? { stream: opts.logStream } : {}) } : false,
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For/-Proto are believed only from the configured proxies (TRUSTED_PROXIES; default none), so a
    // client cannot choose its own address (rate limits, audit log) or claim HTTPS.
    trustProxy: ctx.config.trustedProxies.length ? ctx.config.trustedProxies : false,
  }).withTypeProvider<ZodTypeProvider>();
  recordRoutes(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(ctx.config) },
    // Same-origin requests keep their Origin header (under no-referrer a browser sends 'Origin: null', which the
    // CSRF check refuses); other sites learn nothing.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 } });
  await app.register(swagger, {
    openapi: { info: { title: '强师 Qiangshi API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    checkCsrf(req, ctx.config);
    // Session limits and the second-factor rule come from the 安全管理员's settings (cached in the process).
    req.user = await loadSessionUser(ctx.db, req.cookies[SESSION_COOKIE], sessionRulesOf(await ctx.security.get()));
    // Anonymous callers get 401 before their input is parsed or validated (routes say `config: { public: true }`
    // to answer without a login; the API docs are the swagger plugin's and unknown paths go to the 404 handler).
    if (!req.user && req.routeOptions.url && !req.routeOptions.config?.public && !req.url.startsWith('/api/docs'))
      throw new AppError('UNAUTHENTICATED', '请先登录');
    if (req.url.startsWith('/api/docs')) checkDocsAccess(req, ctx.config);
    // A pending second factor, an initial password or a missing authenticator: only that step is allowed.
    enforceSessionGates(req.user, req.method, req.url);
  });
  // The caller is the actor of whatever the handler does: notifications leave them out (notifications.service.ts).
  app.addHook('preHandler', (req, _reply, done) => withActor(req.user?.id ?? null, done));
  // Imports, exports and refresh=1: per-account rate and one at a time, a global number at once (platform/heavy.ts).
  installHeavyLimits(app, ctx);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: err.code, message: err.message, fields: err.fields });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        field:
          [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), (v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.')].filter(Boolean)[0] ||
          String(err.validationContext ?? ''),
        message: v.message ?? '格式不正确',
      }));
      return reply.code(400).send({ error: 'VALIDATION', message: `输入有误：${fields.map((f) => `${f.field} ${f.message}`).join('；')}`, fields });
    }
    const fe = frameworkError(err as { code?: string; statusCode?: number; message: string });
    if (fe) return reply.code(fe.status).send({ error: fe.code, message: fe.message, fields: [] });
    // Last resort: the database refused the request's data (a missed validation, not a crash).
    const db = sqlStateOf(err);
    const mapped = db && mapDbError(db.sqlstate);
    if (db && mapped) {
      req.log.warn({ sqlstate: db.sqlstate, table: db.table, constraint: db.constraint, route: req.routeOptions.url }, 'database refused request data');
      return reply.code(mapped.status).send({ error: mapped.code, message: mapped.message, fields: [] });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'INTERNAL', message: '服务器内部错误，请稍后重试', fields: [] });
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes(ctx));
      await api.register(orgRoutes(ctx));
      await api.register(orgImportRoutes(ctx));
      await api.register(teacherImportRoutes(ctx));
      await api.register(teacherRoutes(ctx));
      await api.register(projectRoutes(ctx));
      await api.register(organiserRoutes(ctx));
      await api.register(ledgerRoutes(ctx));
      await api.register(policyRoutes(ctx));
      await api.register(complianceRoutes(ctx));
      await api.register(notificationRoutes(ctx));
      await api.register(evaluationRoutes(ctx));
      await api.register(expertRoutes(ctx));
      await api.register(claimRoutes(ctx));
      await api.register(teacherRecordRoutes(ctx));
      await api.register(hourImportRoutes(ctx));
      await api.register(certificateRoutes(ctx));
      await api.register(indicatorRoutes(ctx));
      await api.register(accountRoutes(ctx));
      await api.register(securityRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(moveRoutes(ctx));
      // issue 11 item 9 (extras): 学时证明, 学时统计表
      await api.register(hoursReportRoutes(ctx));
      await api.register(announcementRoutes(ctx));
      await api.register(todoRoutes(ctx));
      // issue 12 items 6, 7 (notices): 典型问题通报, 警示教育, the ethics board
      await api.register(ethicsNoticeRoutes(ctx));
      // issue 12 item 2: 案件办理
      await api.register(ethicsCaseRoutes(ctx));
      // 师德举报受理 (issue 12 item 1, intake)
      await api.register(ethicsReportRoutes(ctx));
      // issue 12 items 3–5 (integrity): 诚信档案, 行业禁入 register, 准入查询
      await api.register(integrityRoutes(ctx));
      // issue 13 item 3 (mentoring): 师徒结对, 磨课 rounds, the gate 待磨课 → 可独立任教, 重点培养对象, the board
      await api.register(mentoringRoutes(ctx));
      // issue 13 item 2: 骨干教师 三级三类 (key-teachers)
      await api.register(keyTeacherRoutes(ctx));
      // issue 13 item 1: 工作室
      await api.register(studioRoutes(ctx));
      // issue 13 items 4–5 (growth): 基本功竞赛, 课题, 学历提升
      await api.register(competitionRoutes(ctx));
      await api.register(researchRoutes(ctx));
      await api.register(upgradeRoutes(ctx));
      // issue 14 item 7: 实施情况报告
      await api.register(regionReportRoutes(ctx));
      // issue 14 item 9: 编制与结构 (staffing)
      await api.register(staffingRoutes(ctx));
      // issue 14 item 5: 计划报备与年度考核
      await api.register(planRoutes(ctx));
      // issue 14 item 3: 职称 eligibility, 学时证明, review rounds (titles)
      await api.register(titleRoutes(ctx));
      // issue 14 item 1: 年度考核, 家访 and 学业述评
      await api.register(appraisalRoutes(ctx));
      // issue 14 items 2, 4: 交流轮岗, 表彰荣誉
      await api.register(rotationRoutes(ctx));
      await api.register(honourRoutes(ctx));
      // issue 14 items 6 and 8 (funds): 培训经费, 班主任津贴
      await api.register(fundRoutes(ctx));
      await api.register(allowanceRoutes(ctx));
      api.get('/health', { schema: { hide: true }, config: { public: true } }, async () => ({ ok: true, db: ctx.db.kind }));
    },
    { prefix: '/api' },
  );

  // The built React app; any unknown non-API path is a client-side route, so it gets index.html.
  const webDir = opts.webDir ?? resolve('web/dist');
  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: 'NOT_FOUND', message: '接口不存在', fields: [] });
    if (hasWeb && req.method === 'GET') return reply.sendFile('index.html');
    return reply.code(404).send({ error: 'NOT_FOUND', message: '页面不存在', fields: [] });
  });
  return app;
}
