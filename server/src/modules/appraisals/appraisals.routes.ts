import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { yearInChina } from '../../platform/china-time.js';
import { IdParam } from '../../platform/schemas.js';
import {
  AcademicReviewBody,
  CorrectBody,
  CreateRoundBody,
  GradeBody,
  HomeVisitBody,
  ObjectionBody,
  PublicizeBody,
  SelfReportBody,
  YearQuery,
} from './appraisals.schema.js';
import * as svc from './appraisals.service.js';
import * as rec from './records.service.js';

/** 年度考核 (issue 14 item 1): rounds, grading within the 优秀 quota, 公示, results; 家访 and 学业述评 records. */
export const appraisalRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['appraisals'];
    app.get(
      '/appraisals/rules',
      { schema: { tags, querystring: YearQuery, description: '本单位适用的年度考核规则（优秀比例、家访、学业述评）' } },
      async (req) => svc.rulesFor(ctx, currentUser(req), req.query.year ?? yearInChina()),
    );
    app.get('/appraisals/rounds', { schema: { tags, description: '年度考核：本单位（及下级）开展的和上级开展的考核' } }, async (req) =>
      svc.listRounds(ctx, currentUser(req)),
    );
    app.post('/appraisals/rounds', { schema: { tags, body: CreateRoundBody, description: '开展年度考核（本单位及下级学校的在职教师）' } }, async (req) =>
      svc.createRound(ctx, currentUser(req), req.body),
    );
    app.get(
      '/appraisals/rounds/:id',
      { schema: { tags, params: IdParam, description: '考核详情：每位教师的述职、平台汇总的考核依据、等次、优秀名额、公示' } },
      async (req) => svc.getRound(ctx, currentUser(req), req.params.id),
    );
    app.post('/appraisals/rounds/:id/publicize', { schema: { tags, params: IdParam, body: PublicizeBody, description: '公示考核结果' } }, async (req) => {
      await svc.publicize(ctx, currentUser(req), req.params.id, req.body);
      return { ok: true };
    });
    app.post('/appraisals/rounds/:id/confirm', { schema: { tags, params: IdParam, description: '公示期满后确认结果，写入教师年度考核结果' } }, async (req) =>
      svc.confirmRound(ctx, currentUser(req), req.params.id),
    );
    app.post('/appraisals/rounds/:id/cancel', { schema: { tags, params: IdParam, description: '撤销考核（确认结果前）' } }, async (req) => {
      await svc.cancelRound(ctx, currentUser(req), req.params.id);
      return { ok: true };
    });
    app.post(
      '/appraisals/entries/:id/grade',
      { schema: { tags, params: IdParam, body: GradeBody, description: '评定教师考核等次（优秀不超过名额，一票否决）' } },
      async (req) => svc.grade(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/appraisals/entries/:id/objections',
      { schema: { tags, params: IdParam, body: ObjectionBody, description: '登记公示异议及核实处理结果' } },
      async (req) => svc.recordObjection(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post(
      '/appraisals/results/:id/correct',
      { schema: { tags, params: IdParam, body: CorrectBody, description: '更正考核结果（新记录取代，须填原因）' } },
      async (req) => svc.correctResult(ctx, currentUser(req), req.params.id, req.body),
    );
    app.get('/appraisals/records', { schema: { tags, querystring: YearQuery, description: '家访与学业述评统计（按教师、班级、学期）' } }, async (req) =>
      rec.recordsTable(ctx, currentUser(req), req.query.year ?? yearInChina()),
    );
    app.get('/teachers/:id/appraisals', { schema: { tags, params: IdParam, description: '教师的年度考核结果（含更正）及本年度家访、学业述评' } }, async (req) =>
      rec.teacherAppraisals(ctx, currentUser(req), req.params.id),
    );
    app.get('/my/appraisal', { schema: { tags, querystring: YearQuery, description: '我的年度考核：述职、考核依据、结果、家访与学业述评记录' } }, async (req) =>
      rec.myAppraisal(ctx, currentUser(req), req.query.year ?? yearInChina()),
    );
    app.post('/my/appraisal/self-report', { schema: { tags, body: SelfReportBody, description: '提交个人述职' } }, async (req) =>
      rec.selfReport(ctx, currentUser(req), req.body),
    );
    app.post('/my/home-visits', { schema: { tags, body: HomeVisitBody, description: '登记家访（班级、户数，不记学生姓名）' } }, async (req) =>
      rec.addHomeVisit(ctx, currentUser(req), req.body),
    );
    app.post(
      '/my/academic-reviews',
      { schema: { tags, body: AcademicReviewBody, description: '登记学业述评（学期、班级、人数）；同班同学期再登记即更正' } },
      async (req) => rec.addAcademicReview(ctx, currentUser(req), req.body),
    );
  };
