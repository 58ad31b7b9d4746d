import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { AnswerInput, FileParam, IdParam, InspectionInput, ScorecardQuery, StatusChangeInput, SurveyAction, SurveyInput } from './evaluations.schema.js';
import * as svc from './evaluations.service.js';
import * as survey from './survey.service.js';
import * as inst from './institutions.service.js';

export const evaluationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['evaluations'];

    // 学员匿名评价 — organiser side
    app.get('/projects/:id/survey', { schema: { tags, params: IdParam, description: '项目的匿名评价问卷（组织方）' } }, async (req) =>
      survey.getProjectSurvey(ctx, currentUser(req), req.params.id),
    );
    app.post('/projects/:id/survey', { schema: { tags, params: IdParam, body: SurveyInput, description: '为项目发布匿名评价问卷' } }, async (req, reply) => {
      const s = await survey.createSurvey(ctx, currentUser(req), req.params.id, req.body);
      reply.code(201);
      return s;
    });
    app.put('/projects/:id/survey', { schema: { tags, params: IdParam, body: SurveyInput } }, async (req) =>
      survey.updateSurvey(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post('/projects/:id/survey/status', { schema: { tags, params: IdParam, body: SurveyAction, description: '结束或重新开放问卷' } }, async (req) =>
      survey.changeSurveyStatus(ctx, currentUser(req), req.params.id, req.body.action),
    );
    app.get('/projects/:id/survey/results', { schema: { tags, params: IdParam, description: '汇总结果：答卷不足 5 份时只返回份数' } }, async (req) =>
      survey.surveyResults(ctx, currentUser(req), req.params.id),
    );

    // 学员匿名评价 — teacher side
    app.get('/my/surveys', { schema: { tags, description: '我可以参加的匿名评价（教师）' } }, async (req) => survey.mySurveys(ctx, currentUser(req)));
    app.get('/surveys/:id', { schema: { tags, params: IdParam } }, async (req) => survey.surveyForTeacher(ctx, currentUser(req), req.params.id));
    app.post('/surveys/:id/answers', { schema: { tags, params: IdParam, body: AnswerInput, description: '提交匿名答卷（每人一次）' } }, async (req, reply) => {
      const r = await survey.submitAnswer(ctx, currentUser(req), req.params.id, req.body);
      reply.code(201);
      return r;
    });

    // 督导检查
    app.get('/projects/:id/inspections', { schema: { tags, params: IdParam } }, async (req) => svc.listInspections(ctx, currentUser(req), req.params.id));
    app.post('/projects/:id/inspections', { schema: { tags, params: IdParam, body: InspectionInput, description: '记录督导检查' } }, async (req, reply) => {
      const i = await svc.recordInspection(ctx, currentUser(req), req.params.id, req.body);
      reply.code(201);
      return i;
    });
    app.post('/inspections/:id/files', { schema: { tags, params: IdParam, description: '上传督导附件（PDF/PNG/JPEG，≤ 10 MB）' } }, async (req, reply) => {
      const user = currentUser(req);
      const part = await req.file();
      if (!part) throw badRequest('请选择要上传的附件', [{ field: 'file', message: '请选择文件' }]);
      const f = await svc.addInspectionFile(ctx, user, req.params.id, part);
      reply.code(201);
      return f;
    });
    app.get('/inspections/:id/files/:fileId', { schema: { tags, params: FileParam } }, async (req, reply) =>
      sendDownload(reply, await svc.inspectionFile(ctx, currentUser(req), req.params.id, req.params.fileId)),
    );

    // 综合得分与机构评估
    app.get('/projects/:id/evaluation', { schema: { tags, params: IdParam, description: '项目综合得分（学员 40%、专家 30%、督导 30%）' } }, async (req) =>
      svc.projectEvaluation(ctx, currentUser(req), req.params.id),
    );
    app.get('/evaluations/institutions', { schema: { tags, querystring: ScorecardQuery, description: '培训机构评估排名' } }, async (req) =>
      inst.scorecard(ctx, currentUser(req), req.query),
    );
    app.get('/evaluations/institutions/:id', { schema: { tags, params: IdParam } }, async (req) =>
      inst.institutionDetail(ctx, currentUser(req), req.params.id),
    );
    app.post(
      '/evaluations/institutions/:id/status',
      { schema: { tags, params: IdParam, body: StatusChangeInput, description: '变更机构资质（准入/警告/暂停）' } },
      async (req) => inst.changeInstitutionStatus(ctx, currentUser(req), req.params.id, req.body),
    );
  };
