import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { AttachBody, PolicyGetQuery, PolicyIdParam, PolicyTextBody } from './policies.schema.js';
import * as svc from './policies.service.js';
import { policyJsonSchema } from './policy.format.js';

export const policyRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['policies'];

    app.get('/policies', { schema: { tags, description: '本单位适用的政策（本级、上级挂接）及下级单位自己的政策' } }, async (req) =>
      svc.listPolicies(ctx, currentUser(req)),
    );

    app.get('/policies/schema', { schema: { tags, description: '政策文件格式的 JSON Schema（供编辑器提示）' } }, async (req) => {
      currentUser(req);
      return policyJsonSchema();
    });

    app.get(
      '/policies/:id',
      { schema: { tags, params: PolicyIdParam, querystring: PolicyGetQuery, description: '政策全文、解析后的规则和版本历史' } },
      async (req) => svc.getPolicy(ctx, currentUser(req), req.params.id, req.query.version),
    );

    app.post('/policies/validate', { schema: { tags, body: PolicyTextBody, description: '校验政策文本，错误指明行号和字段' } }, async (req) => {
      currentUser(req);
      return svc.validatePolicyText(req.body.text);
    });

    app.post(
      '/policies',
      { schema: { tags, body: PolicyTextBody, description: '上传新政策（版本 1），挂接到 appliesTo.org 或本单位' } },
      async (req, reply) => {
        const r = await svc.createPolicy(ctx, currentUser(req), req.body.text, req.body.note ?? null, req.ip);
        reply.code(201);
        return r;
      },
    );

    app.post(
      '/policies/:id/versions',
      { schema: { tags, params: PolicyIdParam, body: PolicyTextBody, description: '发布新版本（旧版本及其评估结果保留）' } },
      async (req, reply) => {
        const r = await svc.publishVersion(ctx, currentUser(req), req.params.id, req.body.text, req.body.note ?? null, req.ip);
        reply.code(201);
        return r;
      },
    );

    app.post('/policies/:id/attachments', { schema: { tags, params: PolicyIdParam, body: AttachBody, description: '把政策挂接到本辖区的组织' } }, async (req) =>
      svc.attachPolicy(ctx, currentUser(req), req.params.id, req.body.orgId, req.ip),
    );
  };
