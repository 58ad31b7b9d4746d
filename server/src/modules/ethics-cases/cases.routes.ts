import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import { IdParam } from '../../platform/schemas.js';
import {
  AcceptReportBody,
  AppealBody,
  CaseFileParam,
  CaseListQuery,
  CloseBody,
  DecideBody,
  FindingsBody,
  InformSchoolBody,
  InvestigateBody,
  OpenCaseBody,
  RedecideBody,
} from './cases.schema.js';
import * as svc from './cases.service.js';
import * as own from './cases.own.service.js';

/** 案件办理 (issue 12 item 2): the 师德专干's cases, the school's informed list, the teacher's own decisions and 申诉. */
export const ethicsCaseRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['ethics-cases'];

    app.post(
      '/ethics/reports/:id/case',
      { schema: { tags, params: IdParam, body: AcceptReportBody, description: '受理举报并立案（须认定被举报教师）' } },
      async (req, reply) => {
        const r = await svc.acceptReport(ctx, currentUser(req), req.params.id, req.body, req.ip);
        reply.code(201);
        return r;
      },
    );
    app.post('/ethics/cases', { schema: { tags, body: OpenCaseBody, description: '无举报立案（上级交办、检查发现）' } }, async (req, reply) => {
      const r = await svc.openCase(ctx, currentUser(req), req.body, req.ip);
      reply.code(201);
      return r;
    });
    app.get('/ethics/cases', { schema: { tags, querystring: CaseListQuery, description: '本辖区的师德案件（查阅留痕）' } }, async (req) =>
      svc.listCases(ctx, currentUser(req), req.query, req.ip),
    );
    app.get('/ethics/cases/:id', { schema: { tags, params: IdParam, description: '案件详情与办理记录（查阅留痕）' } }, async (req) =>
      svc.getCase(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.get('/ethics/cases/:id/investigators', { schema: { tags, params: IdParam, description: '可指定的调查人（受理单位工作人员）' } }, async (req) =>
      svc.investigators(ctx, currentUser(req), req.params.id),
    );
    app.post('/ethics/cases/:id/investigate', { schema: { tags, params: IdParam, body: InvestigateBody, description: '开始调查，指定调查人' } }, async (req) =>
      svc.investigate(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post('/ethics/cases/:id/findings', { schema: { tags, params: IdParam, body: FindingsBody, description: '填写调查结论' } }, async (req) =>
      svc.recordFindings(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/ethics/cases/:id/files',
      { schema: { tags, params: IdParam, consumes: ['multipart/form-data'], description: '上传证据材料（字段 file；PDF/PNG/JPEG，≤ 10 MB）' } },
      async (req, reply) => {
        const part = await req.file();
        if (!part) throw badRequest('请选择要上传的证据材料', [{ field: 'file', message: '请选择文件' }]);
        const f = await svc.addEvidence(ctx, currentUser(req), req.params.id, part, undefined, req.ip);
        reply.code(201);
        return f;
      },
    );
    app.get('/ethics/cases/:id/files/:fileId', { schema: { tags, params: CaseFileParam, description: '下载案件材料（查阅留痕）' } }, async (req, reply) =>
      sendDownload(reply, await svc.downloadFile(ctx, currentUser(req), req.params.id, req.params.fileId, req.ip)),
    );
    app.post(
      '/ethics/cases/:id/decide',
      { schema: { tags, params: IdParam, body: DecideBody, description: '处理决定（不构成违规或处分及其期限）' } },
      async (req) => svc.decide(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post('/ethics/cases/:id/notify', { schema: { tags, params: IdParam, description: '告知教师处理决定（起算申诉期限）' } }, async (req) =>
      svc.notifyTeacher(ctx, currentUser(req), req.params.id, req.ip),
    );
    app.post(
      '/ethics/cases/:id/redecide',
      { schema: { tags, params: IdParam, body: RedecideBody, description: '申诉复核决定：维持、变更或撤销' } },
      async (req) => svc.redecide(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post('/ethics/cases/:id/close', { schema: { tags, params: IdParam, body: CloseBody, description: '办结（答复举报人）' } }, async (req) =>
      svc.closeCase(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
    app.post(
      '/ethics/cases/:id/inform-school',
      { schema: { tags, params: IdParam, body: InformSchoolBody, description: '告知教师所在学校（学校仅见案件存在）' } },
      async (req) => svc.informSchool(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );

    // The school: only that a case concerns one of its teachers, when the bureau chose to tell it.
    app.get('/ethics/school-cases', { schema: { tags, description: '教育局告知本校的师德案件（仅教师姓名与立案日期）' } }, async (req) =>
      own.schoolCases(ctx, currentUser(req), req.ip),
    );

    // The teacher: own cases once told; 申诉 before the deadline.
    app.get('/my/ethics/cases', { schema: { tags, description: '本人的师德案件处理决定（告知后可见）' } }, async (req) =>
      own.myCases(ctx, currentUser(req), req.ip),
    );
    app.get('/my/ethics/cases/:id', { schema: { tags, params: IdParam } }, async (req) => own.myCaseDetail(ctx, currentUser(req), req.params.id, req.ip));
    app.post(
      '/my/ethics/cases/:id/files',
      { schema: { tags, params: IdParam, consumes: ['multipart/form-data'], description: '上传申诉材料（字段 file；PDF/PNG/JPEG，≤ 10 MB）' } },
      async (req, reply) => {
        const part = await req.file();
        if (!part) throw badRequest('请选择要上传的申诉材料', [{ field: 'file', message: '请选择文件' }]);
        const f = await own.addAppealFile(ctx, currentUser(req), req.params.id, part);
        reply.code(201);
        return f;
      },
    );
    app.post('/my/ethics/cases/:id/appeal', { schema: { tags, params: IdParam, body: AppealBody, description: '提出申诉（申诉期限内）' } }, async (req) =>
      own.fileAppeal(ctx, currentUser(req), req.params.id, req.body, req.ip),
    );
  };
