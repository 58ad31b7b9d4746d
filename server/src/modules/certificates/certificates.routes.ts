import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { attachmentHeader } from '../../platform/excel.js';
import { Id, IdParam, RequiredText } from '../../platform/schemas.js';
import * as svc from './certificates.service.js';
import { publicBaseUrl } from '../../config.js';

const ProjectParam = z.object({ projectId: Id });
const TeacherParam = IdParam;
const TeacherProjectParam = z.object({ id: Id, projectId: Id });
const CodeParam = z.object({ code: RequiredText(200, '验证码') });

/** What the public verification answers: the certificate in force, revoked, or not found. */
const Verification = z.union([
  z.object({
    valid: z.literal(true),
    certNo: z.string(),
    name: z.string(),
    projectName: z.string(),
    hours: z.number(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    issuedOn: z.string(),
    issuer: z.string(),
  }),
  z.object({
    valid: z.literal(false),
    revoked: z.literal(true),
    revokedOn: z.string(),
    certNo: z.string(),
    projectName: z.string(),
    message: z.string(),
  }),
  z.object({ valid: z.literal(false), message: z.string() }),
]);

const LookupBody = z.object({
  certNo: RequiredText(40, '证书编号'),
  name: RequiredText(40, '持证人姓名'),
});

const sendPdf = (reply: FastifyReply, r: { buffer: Buffer; fileName: string }) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', attachmentHeader(r.fileName))
    .header('cache-control', 'private, no-store')
    .send(r.buffer);

export const certificateRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['certificates'];

    app.get('/my/certificates', { schema: { tags, description: '我的结业情况：已结项的培训及能否下载证书（出勤学时 ≥ 80%）' } }, async (req) =>
      svc.myCompletions(ctx, currentUser(req)),
    );

    app.get('/my/certificates/:projectId/pdf', { schema: { tags, params: ProjectParam, description: '下载本人的结业证书（PDF）' } }, async (req, reply) =>
      sendPdf(reply, await svc.myCertificate(ctx, currentUser(req), req.params.projectId, publicBaseUrl(ctx.config))),
    );

    app.get('/teachers/:id/certificates', { schema: { tags, params: TeacherParam, description: '某位教师的结业情况（管理员，限辖区）' } }, async (req) =>
      svc.teacherCompletions(ctx, currentUser(req), req.params.id),
    );

    app.get(
      '/teachers/:id/certificates/:projectId/pdf',
      { schema: { tags, params: TeacherProjectParam, description: '下载某位教师的结业证书（记入审计日志）' } },
      async (req, reply) =>
        sendPdf(reply, await svc.teacherCertificate(ctx, currentUser(req), req.params.id, req.params.projectId, publicBaseUrl(ctx.config), req.ip)),
    );

    // Public: no login. Rate-limited, and the response schema lets nothing but the verification fields out.
    app.get(
      '/public/certificates/:code',
      {
        config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          params: CodeParam,
          description: '公开验证证书真伪（无需登录；姓名脱敏）',
          response: {
            200: Verification,
          },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return svc.verifyCertificate(ctx, req.params.code);
      },
    );

    // Public lookup by number (issue 11 item 9, extras): the number and the holder's full name must both match;
    // tighter rate than the QR check, since a person types these.
    app.post(
      '/public/certificates/lookup',
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { tags, body: LookupBody, description: '按证书编号和姓名查询证书（无需登录；姓名脱敏）', response: { 200: Verification } },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return svc.lookupCertificate(ctx, req.body.certNo, req.body.name);
      },
    );
  };
