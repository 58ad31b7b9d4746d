import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { byCaller, currentUser } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { IdParam } from '../../platform/schemas.js';
import * as bans from './bans.service.js';
import { AppraisalInput, BanInputSchema, BanListQuery, EntryCheckBody, HonourInput, LiftBody, PledgeInput } from './integrity.schema.js';
import * as svc from './integrity.service.js';

/** 准入查询 one account may make in 10 minutes. */
export const ENTRY_CHECK_LIMIT = 30;

/** 诚信档案, 行业禁入 register and 准入查询 (issue 12 items 3–4). */
export const integrityRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['integrity'];

    // ---------------------------------------------------------------- 诚信档案
    app.get(
      '/teachers/:id/integrity',
      { schema: { tags, params: IdParam, description: '教师诚信档案（教育局看全部并留痕；学校只看本校记录的考核、承诺、荣誉）' } },
      async (req) => svc.integrityRecord(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.get('/my/integrity', { schema: { tags, description: '我的诚信档案（教师本人）' } }, async (req) => svc.myIntegrity(ctx, currentUser(req)));
    app.post(
      '/teachers/:id/integrity/appraisals',
      { schema: { tags, params: IdParam, body: AppraisalInput, description: '记录年度师德考核结果（检查一票否决；已有结果须填更正原因）' } },
      async (req, reply) => {
        const r = await svc.recordAppraisal(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/teachers/:id/integrity/pledges',
      { schema: { tags, params: IdParam, body: PledgeInput, description: '记录师德承诺书或入职宣誓' } },
      async (req, reply) => {
        const r = await svc.recordPledge(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post(
      '/teachers/:id/integrity/honours',
      { schema: { tags, params: IdParam, body: HonourInput, description: '记录荣誉（先进典型；检查一票否决）' } },
      async (req, reply) => {
        const r = await svc.recordHonour(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.get(
      '/moves/:id/integrity',
      { schema: { tags, params: IdParam, description: '调动审批：该教师执行中的处分（种类、期限、决定单位；不含事由），留痕' } },
      async (req) => svc.moveIntegrity(ctx, currentUser(req), req.params.id, req.ip),
    );

    // ---------------------------------------------------------------- 行业禁入 register and 准入查询
    app.get(
      '/integrity/bans',
      { schema: { tags, querystring: BanListQuery, description: '行业禁入名单（本单位及下级登记的），最新登记在前，分页' } },
      async (req) => bans.listBans(ctx, currentUser(req), req.query),
    );
    app.post('/integrity/bans', { schema: { tags, body: BanInputSchema, description: '登记外地或其他机关作出的行业禁入决定' } }, async (req, reply) => {
      const r = await bans.registerBan(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.post('/integrity/bans/:id/lift', { schema: { tags, params: IdParam, body: LiftBody, description: '解除禁入（须填原因，不删除记录）' } }, async (req) =>
      bans.liftBan(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    // In the body (never in a URL, which ends up in logs); rate-limited per account; every query audited with the masked ID.
    app.post(
      '/integrity/entry-check',
      {
        schema: { tags, body: EntryCheckBody, description: '准入查询：一个身份证号是否在行业禁入名单中' },
        config: { rateLimit: { max: ENTRY_CHECK_LIMIT, timeWindow: '10 minutes', keyGenerator: byCaller } },
      },
      async (req) => bans.entryCheck(ctx, currentUser(req), req.body.nationalId, req.ip),
    );
  };
