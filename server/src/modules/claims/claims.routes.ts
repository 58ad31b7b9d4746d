import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { BatchBody, ClaimInput, ClaimListQuery, FileParam, FileQuery, IdParam, TransitionBody } from './claims.schema.js';
import * as svc from './claims.service.js';

export const claimRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['claims'];

    app.get(
      '/claims',
      { schema: { tags, querystring: ClaimListQuery, description: '学时申报列表：教师看自己的；审核人看辖区内已提交的（pending=1 只看待我审核）' } },
      async (req) => svc.listClaims(ctx, currentUser(req), req.query),
    );

    app.post('/claims', { schema: { tags, body: ClaimInput, description: '教师新建学时申报（草稿）' } }, async (req, reply) => {
      const c = await svc.createClaim(ctx, currentUser(req), req.body);
      reply.code(201);
      return c;
    });

    app.post('/claims/batch', { schema: { tags, body: BatchBody, description: '批量审核：逐条检查，返回成功与失败（含原因）' } }, async (req) =>
      svc.batchTransition(ctx, currentUser(req), req.body.ids, req.body.action, req.body.comment),
    );

    app.get('/claims/:id', { schema: { tags, params: IdParam, description: '申报详情：材料、审核记录、当前可执行的操作' } }, async (req) =>
      svc.getClaim(ctx, currentUser(req), req.params.id),
    );

    app.put('/claims/:id', { schema: { tags, params: IdParam, body: ClaimInput, description: '修改草稿或被退回的申报' } }, async (req) =>
      svc.updateClaim(ctx, currentUser(req), req.params.id, req.body),
    );

    app.delete('/claims/:id', { schema: { tags, params: IdParam, description: '删除草稿' } }, async (req, reply) => {
      await svc.deleteClaim(ctx, currentUser(req), req.params.id);
      return reply.code(204).send();
    });

    app.post(
      '/claims/:id/transitions',
      {
        schema: {
          tags,
          params: IdParam,
          body: TransitionBody,
          description: '提交 / 学校审核通过 / 区县审核通过（可核减学时，须写理由；疑似重复须写仍然通过的理由）/ 退回 / 驳回 / 教师撤回',
        },
      },
      async (req) =>
        svc.transition(ctx, currentUser(req), req.params.id, req.body.action, req.body.comment, {
          hours: req.body.hours,
          duplicateReason: req.body.duplicateReason,
        }),
    );

    app.post(
      '/claims/:id/files',
      { schema: { tags, params: IdParam, consumes: ['multipart/form-data'], description: '上传证明材料（字段 file；PDF/PNG/JPEG，≤ 10 MB，每条最多 5 个）' } },
      async (req, reply) => {
        const user = currentUser(req);
        const part = await req.file();
        if (!part) throw badRequest('请选择要上传的证明材料', [{ field: 'file', message: '请选择文件' }]);
        const f = await svc.addEvidence(ctx, user, req.params.id, part);
        reply.code(201);
        return f;
      },
    );

    app.delete('/claims/:id/files/:fileId', { schema: { tags, params: FileParam } }, async (req, reply) => {
      await svc.removeEvidence(ctx, currentUser(req), req.params.id, req.params.fileId);
      return reply.code(204).send();
    });

    app.get(
      '/claims/:id/files/:fileId',
      { schema: { tags, params: FileParam, querystring: FileQuery, description: '下载证明材料（inline=1：在审核页内预览）' } },
      async (req, reply) => {
        const d = await svc.downloadEvidence(ctx, currentUser(req), req.params.id, req.params.fileId);
        if (req.query.inline !== '1') return sendDownload(reply, d);
        // The preview frames this response in the app's own page: this response alone may be framed by the
        // app's origin (and hold the browser's PDF viewer); it runs no script of ours.
        reply
          .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'")
          .header('x-frame-options', 'SAMEORIGIN');
        return sendDownload(reply, d, { inline: true });
      },
    );
  };
