import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { AppError, badRequest, conflict, forbidden, notFound, type FieldError } from '../../platform/errors.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import * as srepo from './needs-survey.repository.js';
import type { SurveyRow } from './needs-survey.repository.js';
import * as erepo from './enrolment.repository.js';
import { eligibilityProblem, projectMachine, SURVEY_STATES, surveyMachine } from './lifecycle.js';
import type { Answer, Question, SurveyInput } from './needs-survey.schema.js';
import { managedPath, projectOr404 } from './projects.service.js';

function presentSurvey(s: SurveyRow) {
  return {
    id: s.id,
    projectId: s.project_id,
    title: s.title,
    questions: s.questions,
    status: s.status,
    statusLabel: surveyMachine.stateLabel(s.status),
    publishedAt: s.published_at,
    closedAt: s.closed_at,
  };
}

const notBeforePlan = (status: string) => conflict(`培训方案已确定（当前状态「${projectMachine.stateLabel(status)}」），不能再发起需求调研`);

/** The project's needs survey for its organiser, with response counts (null survey when none yet). */
export async function getSurvey(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await projectOr404(ctx.db, user, projectId);
  const s = await srepo.findByProject(ctx.db, projectId);
  const editable = SURVEY_STATES.includes(p.status);
  if (!s) return { survey: null, responses: 0, targets: await srepo.countTargets(ctx.db, p.region_path, p.audience), canEdit: editable, allowedActions: [] };
  const responses = (await srepo.listAnswers(ctx.db, s.id)).length;
  return {
    survey: presentSurvey(s),
    responses,
    targets: await srepo.countTargets(ctx.db, p.region_path, p.audience),
    canEdit: editable && s.status === 'draft',
    allowedActions: surveyMachine.allowedActions(s.status).filter((a) => a.action === 'close' || editable),
  };
}

/** Create or edit the draft questionnaire (only before the plan is final and before publishing). */
export async function saveSurvey(ctx: AppContext, user: CurrentUser, projectId: number, input: SurveyInput) {
  await ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'noKeyUpdate');
    if (!lock) throw notFound('培训项目');
    if (!SURVEY_STATES.includes(lock.status)) throw notBeforePlan(lock.status);
    const s = await srepo.findByProject(q, projectId, true);
    if (s && s.status !== 'draft') throw conflict(`问卷${surveyMachine.stateLabel(s.status)}，不能再修改`);
    await srepo.saveDraft(q, projectId, input.title, input.questions, user.id);
  });
  return getSurvey(ctx, user, projectId);
}

/** Publish the questionnaire to the target teachers (region × audience) and notify them; or close it. */
export async function surveyAction(ctx: AppContext, user: CurrentUser, projectId: number, action: 'publish' | 'close') {
  await ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'noKeyUpdate');
    if (!lock) throw notFound('培训项目');
    const s = await srepo.findByProject(q, projectId, true);
    if (!s) throw notFound('需求调研问卷');
    const to = surveyMachine.assertTransition(s.status, action);
    if (action === 'publish') {
      if (!SURVEY_STATES.includes(lock.status)) throw notBeforePlan(lock.status);
      const p = await projectOr404(q, user, projectId);
      const users = await srepo.targetUserIds(q, p.region_path, p.audience);
      await notify(q, users, {
        kind: 'general',
        title: `需求调研：${s.title}`,
        body: `「${p.name}」训前需求调研，请填写问卷`,
        link: `/m/needs-surveys/${s.id}`,
        dedupeKey: `needs-survey:${s.id}`,
      });
    }
    await srepo.setStatus(q, s.id, to);
  });
  return getSurvey(ctx, user, projectId);
}

/** Aggregated answers: counts per option for choice questions, the list of texts (with names: the survey is named). */
export async function surveyResults(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await projectOr404(ctx.db, user, projectId);
  const s = await srepo.findByProject(ctx.db, projectId);
  if (!s) throw notFound('需求调研问卷');
  const rows = await srepo.listAnswers(ctx.db, s.id);
  const questions = s.questions.map((qn, i) => {
    if (qn.type === 'text') {
      const texts = rows
        .map((r) => ({ teacherName: r.teacher_name, orgName: r.org_name, text: r.answers[i] }))
        .filter((x): x is { teacherName: string; orgName: string; text: string } => typeof x.text === 'string' && x.text.trim() !== '');
      return { index: i, type: qn.type, title: qn.title, answered: texts.length, texts };
    }
    const counts = qn.options.map(() => 0);
    let answered = 0;
    for (const r of rows) {
      const a = r.answers[i];
      const picks = Array.isArray(a) ? a : typeof a === 'number' ? [a] : [];
      if (picks.length) answered++;
      for (const k of picks) if (k >= 0 && k < counts.length) counts[k]++;
    }
    return { index: i, type: qn.type, title: qn.title, answered, options: qn.options.map((label, k) => ({ label, count: counts[k] })) };
  });
  return { survey: presentSurvey(s), responses: rows.length, targets: await srepo.countTargets(ctx.db, p.region_path, p.audience), questions };
}

// ----------------------------------------------------------------- teachers

async function teacherFacts(ctx: AppContext, user: CurrentUser) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以填写需求调研');
  const me = (await erepo.teacherFacts(ctx.db, user.orgPath, [user.teacherId])).get(user.teacherId);
  if (!me) throw notFound('教师档案');
  return me;
}

/** Published surveys aimed at the teacher (their region and the project's audience), with whether they answered. */
export async function mySurveys(ctx: AppContext, user: CurrentUser) {
  const me = await teacherFacts(ctx, user);
  const rows = (await srepo.publishedServing(ctx.db, me.org_path)).filter((s) => eligibilityProblem(s.audience, me) === null);
  const done = await srepo.hasAnswered(
    ctx.db,
    rows.map((s) => s.id),
    me.id,
  );
  return { items: rows.map((s) => ({ ...presentSurvey(s), projectName: s.project_name, answered: done.has(s.id) })) };
}

/** One survey for a teacher it is aimed at (404 otherwise). */
export async function surveyForTeacher(ctx: AppContext, user: CurrentUser, surveyId: number) {
  const me = await teacherFacts(ctx, user);
  const s = (await srepo.publishedServing(ctx.db, me.org_path, ['published', 'closed'])).find((x) => x.id === surveyId);
  if (!s || eligibilityProblem(s.audience, me) !== null) throw notFound('问卷');
  const done = await srepo.hasAnswered(ctx.db, [s.id], me.id);
  return { ...presentSurvey(s), projectName: s.project_name, answered: done.has(s.id) };
}

/** The first problem of each answer against its question, as field errors ('answers.3'). */
export function validateAnswers(questions: Question[], answers: Answer[]): FieldError[] {
  const errors: FieldError[] = [];
  if (answers.length !== questions.length) return [{ field: 'answers', message: `应回答 ${questions.length} 道题` }];
  questions.forEach((qn, i) => {
    const a = answers[i];
    const say = (message: string) => errors.push({ field: `answers.${i}`, message: `第 ${i + 1} 题：${message}` });
    const empty = a === null || (Array.isArray(a) && a.length === 0) || (typeof a === 'string' && a.trim() === '');
    if (empty) return qn.required ? say('必答') : undefined;
    if (qn.type === 'single' && !(typeof a === 'number' && a >= 0 && a < qn.options.length)) return say('请选择一个选项');
    if (qn.type === 'multiple') {
      if (!Array.isArray(a) || a.some((k) => k < 0 || k >= qn.options.length)) return say('选项无效');
      if (new Set(a).size !== a.length) return say('选项重复');
    }
    if (qn.type === 'text' && typeof a !== 'string') return say('请填写文字');
  });
  return errors;
}

/** A target teacher answers once (a second answer is 409; the primary key decides, not a read). */
export async function answerSurvey(ctx: AppContext, user: CurrentUser, surveyId: number, answers: Answer[]) {
  const s = await surveyForTeacher(ctx, user, surveyId);
  if (s.answered) throw conflict('您已提交过该问卷');
  if (s.status !== 'published') throw conflict('需求调研已结束');
  const errors = validateAnswers(s.questions, answers);
  if (errors.length) throw badRequest(errors.map((e) => e.message).join('；'), errors);
  const clean = answers.map((a) => (typeof a === 'string' ? a.trim() : a));
  const ok = await ctx.db.tx(async (q) => {
    const cur = await srepo.findById(q, surveyId);
    if (!cur || cur.status !== 'published') throw conflict('需求调研已结束');
    return srepo.insertAnswers(q, surveyId, user.teacherId as number, clean);
  });
  if (!ok) throw new AppError('CONFLICT', '您已提交过该问卷');
  return { ok: true as const };
}
