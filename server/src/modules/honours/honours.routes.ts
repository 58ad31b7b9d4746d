import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam } from '../../platform/schemas.js';
import { yearInChina } from '../../platform/china-time.js';
import { ActivityBody, DecideBody, NominateBody, RetirementBody, RevokeBody, TypeBody, YearQuery } from './honours.schema.js';
import * as svc from './honours.service.js';

/** 表彰荣誉 (issue 14 item 4): award types, nominations, awards and revocations, 尊师月 activities, 荣退. */
export const honourRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['honours'];
    app.get('/honours/types', { schema: { tags, description: '表彰项目（本单位及上级设立的，辖区设立的）' } }, async (req) =>
      svc.listTypes(ctx, currentUser(req)),
    );
    app.post('/honours/types', { schema: { tags, body: TypeBody, description: '设立表彰项目' } }, async (req, reply) => {
      const r = await svc.createType(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/honours/nominations', { schema: { tags, querystring: YearQuery, description: '表彰推荐（本辖区教师，或本单位设立的项目）' } }, async (req) =>
      svc.listNominations(ctx, currentUser(req), req.query.year ?? yearInChina()),
    );
    app.post('/honours/nominations', { schema: { tags, body: NominateBody, description: '推荐教师参加表彰（师德一票否决的不能推荐）' } }, async (req) =>
      svc.nominate(ctx, currentUser(req), req.body, req.ip),
    );
    app.post(
      '/honours/nominations/:id/decide',
      { schema: { tags, params: IdParam, body: DecideBody, description: '授予（记入教师荣誉）、不予表彰或撤回推荐' } },
      async (req) => svc.decide(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post('/honours/awards/:id/revoke', { schema: { tags, params: IdParam, body: RevokeBody, description: '撤销荣誉（保留记录与原因）' } }, async (req) =>
      svc.revokeHonour(ctx, currentUser(req), req.params.id, req.body.reason, req.ip),
    );
    app.get('/honours/activities', { schema: { tags, querystring: YearQuery, description: '尊师月等尊师重教活动' } }, async (req) =>
      svc.listActivities(ctx, currentUser(req), req.query.year ?? yearInChina()),
    );
    app.post('/honours/activities', { schema: { tags, body: ActivityBody, description: '登记尊师月等活动' } }, async (req, reply) => {
      const r = await svc.addActivity(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/honours/retirements', { schema: { tags, description: '荣退记录与近两年退休待登记的教师' } }, async (req) =>
      svc.listRetirements(ctx, currentUser(req)),
    );
    app.post('/honours/retirements', { schema: { tags, body: RetirementBody, description: '登记荣退（退休日期与教龄取自教师档案）' } }, async (req, reply) => {
      const r = await svc.addRetirement(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/teachers/:id/honours', { schema: { tags, params: IdParam, description: '教师获得的荣誉（含已撤销）与荣退记录' } }, async (req) =>
      svc.teacherHonours(ctx, currentUser(req), req.params.id),
    );
  };
