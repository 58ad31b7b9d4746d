import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { currentUser } from '../../platform/auth.js';
import { AttendanceMark, CheckinInput, EnrolInput, EnrolmentListQuery, EnrolmentParam, IdParam, ProjectInput, ProjectListQuery, SessionInput } from './projects.schema.js';
import * as svc from './projects.service.js';
import * as att from './attendance.service.js';

/** protocol://host[:port] as the organiser's browser reached us (trustProxy honours X-Forwarded-*). */
const baseUrlOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

const SessionTeacherParam = z.object({ id: IdParam.shape.id, teacherId: IdParam.shape.id });

export const projectRoutes = (ctx: AppContext): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['projects'];

  app.get('/projects', { schema: { tags, querystring: ProjectListQuery } }, async (req) => svc.listProjects(ctx, currentUser(req), req.query));

  app.post('/projects', { schema: { tags, body: ProjectInput } }, async (req, reply) => {
    const p = await svc.createProject(ctx, currentUser(req), req.body);
    reply.code(201);
    return p;
  });

  app.get('/projects/:id', { schema: { tags, params: IdParam } }, async (req) => svc.getProject(ctx, currentUser(req), req.params.id));

  app.post('/projects/:id/sessions', { schema: { tags, params: IdParam, body: SessionInput } }, async (req, reply) => {
    const s = await svc.addSession(ctx, currentUser(req), req.params.id, req.body);
    reply.code(201);
    return s;
  });

  app.get('/projects/:id/enrolments', { schema: { tags, params: IdParam, querystring: EnrolmentListQuery } }, async (req) =>
    svc.listEnrolments(ctx, currentUser(req), req.params.id, req.query),
  );

  app.post('/projects/:id/enrolments', { schema: { tags, params: IdParam, body: EnrolInput } }, async (req) =>
    svc.enrol(ctx, currentUser(req), req.params.id, req.body.teacherIds),
  );

  app.delete('/projects/:id/enrolments/:teacherId', { schema: { tags, params: EnrolmentParam } }, async (req, reply) => {
    await svc.unenrol(ctx, currentUser(req), req.params.id, req.params.teacherId);
    return reply.code(204).send();
  });

  app.post('/projects/:id/close', { schema: { tags, params: IdParam, description: '学时认定并结项：每条签到记录生成一条学时记录' } }, async (req) =>
    svc.closeProject(ctx, currentUser(req), req.params.id),
  );

  app.post('/sessions/:id/checkin/open', { schema: { tags, params: IdParam } }, async (req) => att.setCheckin(ctx, currentUser(req), req.params.id, true));
  app.post('/sessions/:id/checkin/close', { schema: { tags, params: IdParam } }, async (req) => att.setCheckin(ctx, currentUser(req), req.params.id, false));

  app.get('/sessions/:id/checkin/token', { schema: { tags, params: IdParam, description: '当前签到二维码（每 30 秒更换）' } }, async (req) =>
    att.checkinToken(ctx, currentUser(req), req.params.id, baseUrlOf(req)),
  );

  app.post('/checkin', { schema: { tags, body: CheckinInput, description: '教师扫码签到' } }, async (req) => att.checkIn(ctx, currentUser(req), req.body.token));

  app.get('/sessions/:id/attendance', { schema: { tags, params: IdParam } }, async (req) => att.sessionAttendance(ctx, currentUser(req), req.params.id));

  app.put('/sessions/:id/attendance/:teacherId', { schema: { tags, params: SessionTeacherParam, body: AttendanceMark } }, async (req) =>
    att.markAttendance(ctx, currentUser(req), req.params.id, req.params.teacherId, req.body.present),
  );

  app.get('/my/projects', { schema: { tags, description: '我的培训项目（教师）' } }, async (req) => svc.myProjects(ctx, currentUser(req)));
};
