import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { badRequest } from '../../platform/errors.js';
import { sendDownload } from '../../platform/files.js';
import {
  ActionInput,
  ActionParam,
  ApologyInput,
  AttendanceMark,
  CheckDirection,
  CandidateQuery,
  CheckinInput,
  CheckinScanInput,
  CheckinTicketInput,
  Comment,
  DecisionParam,
  EnrolInput,
  EnrolmentListQuery,
  EnrolmentParam,
  IdParam,
  NeedsSurveyAction,
  ProjectInput,
  ProjectListQuery,
  QuotaItems,
  ReplaceInput,
  SessionInput,
  SessionTeacherParam,
  WithdrawBody,
} from './projects.schema.js';
import { AnswerInput, SurveyIdParam, SurveyInput } from './needs-survey.schema.js';
import { ShareBackListQuery, ShareBackReview, ShareBackSubmit } from './share-back.schema.js';
import * as svc from './projects.service.js';
import * as life from './lifecycle.service.js';
import * as enr from './enrolment.service.js';
import * as nomination from './nomination.service.js';
import * as requests from './enrol-requests.service.js';
import * as att from './attendance.service.js';
import * as survey from './needs-survey.service.js';
import * as share from './share-back.service.js';
import { publicBaseUrl } from '../../config.js';

export const projectRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['projects'];

    // ------------------------------------------------------------ proposal, approval, lifecycle
    app.get('/projects', { schema: { tags, querystring: ProjectListQuery } }, async (req) => svc.listProjects(ctx, currentUser(req), req.query));

    app.post(
      '/projects',
      { schema: { tags, body: ProjectInput, description: '立项申报：创建项目草稿（培训方案第一个模块须为思想政治和师德师风）' } },
      async (req, reply) => {
        const p = await svc.createProject(ctx, currentUser(req), req.body);
        reply.code(201);
        return p;
      },
    );

    app.get('/projects/:id', { schema: { tags, params: IdParam } }, async (req) => svc.getProject(ctx, currentUser(req), req.params.id));

    app.put('/projects/:id', { schema: { tags, params: IdParam, body: ProjectInput, description: '修改申报（草稿或已备案、方案审核前）' } }, async (req) =>
      svc.updateProject(ctx, currentUser(req), req.params.id, req.body),
    );

    app.get('/projects/:id/history', { schema: { tags, params: IdParam, description: '项目流转记录' } }, async (req) =>
      svc.projectHistory(ctx, currentUser(req), req.params.id),
    );

    app.post(
      '/projects/:id/actions/:action',
      {
        schema: {
          tags,
          params: ActionParam,
          body: ActionInput,
          description: '项目状态流转：提交、审批、退回、不予立项、备案、方案审核、开始实施、提交/确认/退回学时认定、评估',
        },
      },
      async (req) =>
        life.transition(ctx, currentUser(req), req.params.id, req.params.action, req.body?.comment, new Date(), {
          confirmWarnings: req.body?.confirmWarnings,
        }),
    );

    app.get('/approvals/projects', { schema: { tags, description: '待我审批（立项审批、备案、方案审核、学时认定确认）' } }, async (req) =>
      life.approvalInbox(ctx, currentUser(req)),
    );

    app.get(
      '/projects/:id/recognition',
      { schema: { tags, params: IdParam, description: '学时认定预览：每位出勤教师的出勤场次和将认定的学时（提交后考勤冻结）' } },
      async (req) => life.recognitionPreview(ctx, currentUser(req), req.params.id),
    );

    app.post('/projects/:id/sessions', { schema: { tags, params: IdParam, body: SessionInput } }, async (req, reply) => {
      const s = await svc.addSession(ctx, currentUser(req), req.params.id, req.body);
      reply.code(201);
      return s;
    });

    // ------------------------------------------------------------ enrolment, quotas, nomination, self-enrolment
    app.get('/projects/:id/enrolments', { schema: { tags, params: IdParam, querystring: EnrolmentListQuery } }, async (req) =>
      enr.listEnrolments(ctx, currentUser(req), req.params.id, req.query),
    );

    app.post('/projects/:id/enrolments', { schema: { tags, params: IdParam, body: EnrolInput, description: '组织者直接报名' } }, async (req) =>
      enr.enrol(ctx, currentUser(req), req.params.id, req.body.teacherIds),
    );

    app.delete(
      '/projects/:id/enrolments/:teacherId',
      { schema: { tags, params: EnrolmentParam, description: '撤销报名（尚无签到记录时）' } },
      async (req, reply) => {
        await enr.unenrol(ctx, currentUser(req), req.params.id, req.params.teacherId);
        return reply.code(204).send();
      },
    );

    app.post(
      '/projects/:id/enrolments/:teacherId/replace',
      { schema: { tags, params: EnrolmentParam, body: ReplaceInput, description: '替换学员（记录原因）' } },
      async (req) => nomination.replace(ctx, currentUser(req), req.params.id, req.params.teacherId, req.body.newTeacherId, req.body.reason),
    );

    app.post(
      '/projects/:id/enrolments/:teacherId/:decision',
      { schema: { tags, params: DecisionParam, body: Comment, description: '审核自主报名：approve / reject' } },
      async (req) => requests.decide(ctx, currentUser(req), req.params.id, req.params.teacherId, req.params.decision, req.body?.comment),
    );

    app.get('/projects/:id/enrolment-history', { schema: { tags, params: IdParam, description: '报名记录（选派、审核、撤销、替换及原因）' } }, async (req) =>
      enr.enrolmentHistory(ctx, currentUser(req), req.params.id),
    );

    app.get('/enrolment-requests', { schema: { tags, description: '待审核的自主报名（学校）' } }, async (req) =>
      requests.pendingRequests(ctx, currentUser(req)),
    );

    app.get('/projects/:id/quotas', { schema: { tags, params: IdParam } }, async (req) => nomination.getQuotas(ctx, currentUser(req), req.params.id));
    app.put('/projects/:id/quotas', { schema: { tags, params: IdParam, body: QuotaItems, description: '组织者分配名额（区县、学校）' } }, async (req) =>
      nomination.setQuotas(ctx, currentUser(req), req.params.id, req.body.items),
    );
    app.put(
      '/projects/:id/quotas/sub',
      { schema: { tags, params: IdParam, body: QuotaItems, description: '名额持有单位（区县）向下级学校再分配' } },
      async (req) => nomination.splitQuota(ctx, currentUser(req), req.params.id, req.body.items),
    );

    app.get('/nominations/projects', { schema: { tags, description: '本单位有名额的项目（学员选派）' } }, async (req) =>
      nomination.nominationProjects(ctx, currentUser(req)),
    );
    app.get(
      '/projects/:id/nomination/candidates',
      { schema: { tags, params: IdParam, querystring: CandidateQuery, description: '可选派教师及本年度参训负担' } },
      async (req) => nomination.nominationCandidates(ctx, currentUser(req), req.params.id, req.query),
    );
    app.post('/projects/:id/nominations', { schema: { tags, params: IdParam, body: EnrolInput, description: '选派学员（名额内）' } }, async (req) =>
      nomination.nominate(ctx, currentUser(req), req.params.id, req.body.teacherIds),
    );

    app.get('/my/enrollable', { schema: { tags, description: '可报名项目（自主选学）' } }, async (req) => requests.enrollable(ctx, currentUser(req)));
    app.get(
      '/my/enrollable/:id',
      { schema: { tags, params: IdParam, description: '项目详情（教师报名前阅读：目标、内容、场次、地点、学时、名额、截止日期）' } },
      async (req) => requests.enrollableDetail(ctx, currentUser(req), req.params.id),
    );
    app.post('/projects/:id/self-enrol', { schema: { tags, params: IdParam, description: '教师自主报名（待学校审核）' } }, async (req) =>
      requests.selfEnrol(ctx, currentUser(req), req.params.id),
    );
    app.post('/projects/:id/self-enrol/withdraw', { schema: { tags, params: IdParam, body: WithdrawBody } }, async (req) => {
      await requests.selfWithdraw(ctx, currentUser(req), req.params.id);
      return { ok: true };
    });

    // ------------------------------------------------------------ needs survey (训前需求调研)
    app.get('/projects/:id/needs-survey', { schema: { tags, params: IdParam } }, async (req) => survey.getSurvey(ctx, currentUser(req), req.params.id));
    app.put('/projects/:id/needs-survey', { schema: { tags, params: IdParam, body: SurveyInput, description: '编辑需求调研问卷（草稿）' } }, async (req) =>
      survey.saveSurvey(ctx, currentUser(req), req.params.id, req.body),
    );
    app.post('/projects/:id/needs-survey/:action', { schema: { tags, params: NeedsSurveyAction, description: '发布 / 结束需求调研' } }, async (req) =>
      survey.surveyAction(ctx, currentUser(req), req.params.id, req.params.action),
    );
    app.get('/projects/:id/needs-survey/results', { schema: { tags, params: IdParam } }, async (req) =>
      survey.surveyResults(ctx, currentUser(req), req.params.id),
    );
    app.get('/my/needs-surveys', { schema: { tags } }, async (req) => survey.mySurveys(ctx, currentUser(req)));
    app.get('/needs-surveys/:id', { schema: { tags, params: SurveyIdParam } }, async (req) => survey.surveyForTeacher(ctx, currentUser(req), req.params.id));
    app.post(
      '/needs-surveys/:id/answers',
      { schema: { tags, params: SurveyIdParam, body: AnswerInput, description: '填写需求调研（每人一次）' } },
      async (req, reply) => {
        const r = await survey.answerSurvey(ctx, currentUser(req), req.params.id, req.body.answers);
        reply.code(201);
        return r;
      },
    );

    // ------------------------------------------------------------ sessions: check-in/out, attendance, leave
    app.post('/sessions/:id/checkin/open', { schema: { tags, params: IdParam } }, async (req) => att.setCheckin(ctx, currentUser(req), req.params.id, true));
    app.post('/sessions/:id/checkin/close', { schema: { tags, params: IdParam } }, async (req) => att.setCheckin(ctx, currentUser(req), req.params.id, false));
    app.post('/sessions/:id/checkout/open', { schema: { tags, params: IdParam } }, async (req) =>
      att.setCheckin(ctx, currentUser(req), req.params.id, true, 'checkout'),
    );
    app.post('/sessions/:id/checkout/close', { schema: { tags, params: IdParam } }, async (req) =>
      att.setCheckin(ctx, currentUser(req), req.params.id, false, 'checkout'),
    );

    app.get('/sessions/:id/:direction/token', { schema: { tags, params: CheckDirection, description: '当前签到 / 签退二维码（每 30 秒更换）' } }, async (req) =>
      att.checkinToken(ctx, currentUser(req), req.params.id, publicBaseUrl(ctx.config), new Date(), req.params.direction === 'checkout' ? 'out' : 'in'),
    );

    app.post('/checkin', { schema: { tags, body: CheckinInput, description: '教师扫码签到或签退（方向由二维码决定）' } }, async (req) =>
      att.checkIn(ctx, currentUser(req), req.body.token),
    );

    // A check-in that survives a slow login: the scan (no login yet) gives this browser a ticket, the login uses it.
    app.post(
      '/checkin/scan',
      {
        schema: { tags, body: CheckinScanInput, description: '未登录时扫码：记录扫码时刻（10 分钟内登录后凭此签到，仅限本机、仅一次）' },
        config: { public: true },
      },
      async (req) => att.scanCheckin(ctx, req.body.token, req.body.key),
    );
    app.post(
      '/checkin/ticket',
      { schema: { tags, body: CheckinTicketInput, description: '登录后凭本机的扫码记录签到或签退（按扫码时刻记录）' } },
      async (req) => att.checkInWithTicket(ctx, currentUser(req), req.body.ticket, req.body.key),
    );

    app.get('/sessions/:id/attendance', { schema: { tags, params: IdParam } }, async (req) => att.sessionAttendance(ctx, currentUser(req), req.params.id));

    app.put('/sessions/:id/attendance/:teacherId', { schema: { tags, params: SessionTeacherParam, body: AttendanceMark } }, async (req) =>
      att.markAttendance(ctx, currentUser(req), req.params.id, req.params.teacherId, req.body.present),
    );

    app.put('/sessions/:id/apology', { schema: { tags, params: IdParam, body: ApologyInput, description: '请假（场次开始前）' } }, async (req) =>
      att.apologise(ctx, currentUser(req), req.params.id, req.body.reason),
    );
    app.delete('/sessions/:id/apology', { schema: { tags, params: IdParam } }, async (req, reply) => {
      await att.cancelApology(ctx, currentUser(req), req.params.id);
      return reply.code(204).send();
    });

    app.get('/my/projects', { schema: { tags, description: '我的培训项目（教师）' } }, async (req) => svc.myProjects(ctx, currentUser(req)));

    // ------------------------------------------------------------ share-back (返岗分享)
    app.get('/my/share-backs', { schema: { tags } }, async (req) => share.myShareBacks(ctx, currentUser(req)));
    app.post(
      '/share-backs/:id/evidence',
      { schema: { tags, params: IdParam, consumes: ['multipart/form-data'], description: '上传返岗分享证明材料（字段 file；PDF/PNG/JPEG，≤ 10 MB）' } },
      async (req, reply) => {
        const user = currentUser(req);
        const part = await req.file();
        if (!part) throw badRequest('请选择要上传的证明材料', [{ field: 'file', message: '请选择文件' }]);
        const f = await share.uploadEvidence(ctx, user, req.params.id, part);
        reply.code(201);
        return f;
      },
    );
    app.post('/share-backs/:id/submit', { schema: { tags, params: IdParam, body: ShareBackSubmit } }, async (req) =>
      share.submitShareBack(ctx, currentUser(req), req.params.id, req.body),
    );
    app.get('/share-backs', { schema: { tags, querystring: ShareBackListQuery, description: '本校返岗分享（学校确认）' } }, async (req) =>
      share.reviewList(ctx, currentUser(req), req.query.status),
    );
    app.post('/share-backs/:id/review', { schema: { tags, params: IdParam, body: ShareBackReview } }, async (req) =>
      share.reviewShareBack(ctx, currentUser(req), req.params.id, req.body.action, req.body.comment),
    );
    app.get('/share-backs/:id/evidence', { schema: { tags, params: IdParam } }, async (req, reply) =>
      sendDownload(reply, await share.downloadEvidence(ctx, currentUser(req), req.params.id)),
    );
  };
