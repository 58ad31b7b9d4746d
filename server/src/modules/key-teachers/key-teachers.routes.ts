import type { FastifyPluginAsync } from 'fastify';
import { todayInChina } from '../../platform/china-time.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { IdParam, IsoDate } from '../../platform/schemas.js';
import {
  AssessBody,
  CreateRoundBody,
  DesignateBody,
  ExitBody,
  NominateBody,
  ObjectionBody,
  PublicizeBody,
  RenewBody,
  ReviewBody,
} from './key-teachers.schema.js';
import * as svc from './key-teachers.service.js';
import * as term from './term.service.js';
import { requirePermission, can } from '../../platform/access.js';
import { forbidden } from '../../platform/errors.js';

/** 骨干教师 三级三类 (issue 13 item 2): rounds, nominations, review, 公示, designation, the term. */
export const keyTeacherRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['key-teachers'];
    app.get(
      '/key-teachers/rules',
      {
        schema: { tags, querystring: z.object({ date: IsoDate.optional() }), description: '本单位适用的骨干教师规则（层级、类别、任期、推荐条件、年度职责）' },
      },
      async (req) => {
        const user = currentUser(req);
        if (!can(user, 'keyTeachers.nominate')) requirePermission(user, 'keyTeachers.manage');
        return svc.rulesFor(ctx, user, req.query.date ?? todayInChina());
      },
    );
    app.get('/key-teachers/rounds', { schema: { tags, description: '骨干教师评选：本单位开展的及上级开展的评选' } }, async (req) =>
      svc.listRounds(ctx, currentUser(req)),
    );
    app.post(
      '/key-teachers/rounds',
      { schema: { tags, body: CreateRoundBody, description: '开展骨干教师评选（层级、类别、基准日、各单位名额）' } },
      async (req) => svc.createRound(ctx, currentUser(req), req.body),
    );
    app.get(
      '/key-teachers/rounds/:id',
      { schema: { tags, params: IdParam, description: '评选详情：名额、推荐人选及推荐条件核查结果、评审、公示' } },
      async (req) => svc.getRound(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/key-teachers/rounds/:id/eligibility',
      { schema: { tags, params: IdParam, body: NominateBody, description: '推荐前核查：每位教师是否符合推荐条件及不符合的原因（不写入）' } },
      async (req) => svc.checkEligibility(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/key-teachers/rounds/:id/nominations',
      { schema: { tags, params: IdParam, body: NominateBody, description: '在本单位名额内推荐教师（任一人不符合条件则全部不推荐）' } },
      async (req) => svc.nominate(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post('/key-teachers/rounds/:id/close', { schema: { tags, params: IdParam, description: '结束推荐，进入评审' } }, async (req) => {
      await svc.closeNominations(ctx, currentUser(req), req.params.id);
      return { ok: true };
    });
    app.post('/key-teachers/rounds/:id/publicize', { schema: { tags, params: IdParam, body: PublicizeBody, description: '公示评审通过人选' } }, async (req) => {
      await svc.publicize(ctx, currentUser(req), req.params.id, req.body);
      return { ok: true };
    });
    app.post(
      '/key-teachers/rounds/:id/designate',
      { schema: { tags, params: IdParam, body: DesignateBody, description: '公示期满后认定：写入教师骨干认定（含任期）' } },
      async (req) => svc.designateRound(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post('/key-teachers/rounds/:id/cancel', { schema: { tags, params: IdParam, description: '撤销评选（认定前）' } }, async (req) => {
      await svc.cancelRound(ctx, currentUser(req), req.params.id);
      return { ok: true };
    });
    app.post(
      '/key-teachers/nominations/:id/review',
      { schema: { tags, params: IdParam, body: ReviewBody, description: '评审：评分、意见、通过与否' } },
      async (req) => {
        await svc.review(ctx, currentUser(req), req.params.id, req.body);
        return { ok: true };
      },
    );
    app.post(
      '/key-teachers/nominations/:id/objections',
      { schema: { tags, params: IdParam, body: ObjectionBody, description: '登记公示异议及核实结果' } },
      async (req) => svc.recordObjection(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/key-teachers/designations/:id/assessments',
      { schema: { tags, params: IdParam, body: AssessBody, description: '任期内年度考核（合格/不合格）' } },
      async (req) => term.assess(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/key-teachers/designations/:id/renew',
      { schema: { tags, params: IdParam, body: RenewBody, description: '期满续任：自任期结束次日起新任期' } },
      async (req) => term.renew(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/key-teachers/designations/:id/exit',
      { schema: { tags, params: IdParam, body: ExitBody, description: '退出：认定自退出日期前一日结束' } },
      async (req) => {
        await term.exitTerm(ctx, currentUser(req), req.params.id, req.body);
        return { ok: true };
      },
    );
    app.get('/teachers/:id/key-teacher', { schema: { tags, params: IdParam, description: '教师的骨干认定、年度考核、续任与退出记录' } }, async (req) =>
      term.keyTeacherView(ctx, currentUser(req), req.params.id),
    );
    app.get('/my/key-teacher', { schema: { tags, description: '本人的骨干认定与年度职责' } }, async (req) => {
      const user = currentUser(req);
      if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看');
      return term.keyTeacherView(ctx, user, user.teacherId);
    });
  };
