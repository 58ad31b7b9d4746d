import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { ChangeInput, ChangeListQuery, ChangeUpdate, FileParam, IdParam, PurgeBody, TransitionBody } from './records.schema.js';
import * as svc from './records.service.js';

/** 教师档案自助维护与学校审核 (issue 10 item 4). */
export const teacherRecordRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['records'];

    app.get('/my/record', { schema: { tags, description: '我的档案：各栏目的条目、证明材料、未完成的变更、缺项和变更历史' } }, async (req) =>
      svc.myRecord(ctx, currentUser(req)),
    );

    app.get(
      '/records/changes',
      {
        schema: { tags, querystring: ChangeListQuery, description: '档案变更：教师看自己的；信息管理员等看辖区内已报送的（pending=1：待审核，先报送的在前）' },
      },
      async (req) => svc.listChanges(ctx, currentUser(req), req.query),
    );

    app.post(
      '/records/changes',
      { schema: { tags, body: ChangeInput, description: '教师新建档案变更（草稿）：新增、修改或删除一个条目' } },
      async (req, reply) => {
        const c = await svc.createChange(ctx, currentUser(req), req.body);
        reply.code(201);
        return c;
      },
    );

    app.get('/records/changes/:id', { schema: { tags, params: IdParam, description: '变更详情：逐项对比、证明材料、处理记录' } }, async (req) =>
      svc.getChange(ctx, currentUser(req), req.params.id),
    );

    app.put('/records/changes/:id', { schema: { tags, params: IdParam, body: ChangeUpdate, description: '修改草稿或被退回的变更' } }, async (req) =>
      svc.updateChange(ctx, currentUser(req), req.params.id, req.body),
    );

    app.post(
      '/records/changes/:id/transitions',
      { schema: { tags, params: IdParam, body: TransitionBody, description: '报送 / 撤回（教师）；审核通过 / 退回（学校信息管理员）' } },
      async (req) => svc.transition(ctx, currentUser(req), req.params.id, req.body.action, req.body.comment),
    );

    app.post(
      '/records/changes/:id/files',
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

    app.delete('/records/changes/:id/files/:fileId', { schema: { tags, params: FileParam, description: '去掉一个证明材料' } }, async (req, reply) => {
      await svc.removeEvidence(ctx, currentUser(req), req.params.id, req.params.fileId);
      return reply.code(204).send();
    });

    app.get('/records/changes/:id/files/:fileId', { schema: { tags, params: FileParam, description: '查看证明材料' } }, async (req, reply) =>
      sendDownload(reply, await svc.downloadEvidence(ctx, currentUser(req), req.params.id, req.params.fileId), { inline: true }),
    );

    app.get(
      '/records/teachers/:id',
      { schema: { tags, params: IdParam, description: '一位教师的档案（教师本人；辖区内的信息管理员、管理员）' } },
      async (req) => svc.teacherRecord(ctx, currentUser(req), req.params.id),
    );

    app.get('/records/teachers/:id/files/:fileId', { schema: { tags, params: FileParam, description: '查看档案条目的证明材料' } }, async (req, reply) =>
      sendDownload(reply, await svc.downloadEntryEvidence(ctx, currentUser(req), req.params.id, req.params.fileId), { inline: true }),
    );

    app.post(
      '/records/entries/:id/purge',
      { schema: { tags, params: IdParam, body: PurgeBody, description: '登记错误：信息管理员彻底删除一个条目及其全部版本和材料（记入审计日志）' } },
      async (req) => svc.purgeEntry(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );

    app.get('/records/completeness', { schema: { tags, description: '辖区教师档案完整性：缺学历、教师资格、职称或证明材料的人数与名单' } }, async (req) =>
      svc.completeness(ctx, currentUser(req)),
    );
  };
