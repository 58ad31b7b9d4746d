import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../platform/errors.js';
import { defineMachine } from '../../platform/state-machine.js';
import { SURVEY_STATUS } from '../../platform/vocab.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './evaluations.repository.js';
import type { SurveyQuestion, SurveyRow } from './evaluations.repository.js';
import { DEFAULT_COMMENT_LABEL, DEFAULT_SURVEY_QUESTIONS, type AnswerInput, type SurveyInput } from './evaluations.schema.js';
import { ownProject } from './project-scope.js';
import { ratingTo100, SURVEY_MIN_ANSWERS, SURVEY_RELEASE_BATCH } from './score.js';

/** The participant survey's own small workflow: collecting answers, or ended (and reopenable). */
export const surveyMachine = defineMachine({
  states: SURVEY_STATUS,
  transitions: {
    close: { from: ['open'], to: 'closed', label: '结束评价' },
    reopen: { from: ['closed'], to: 'open', label: '重新开放' },
  },
});

const questionsOf = (labels: string[]): SurveyQuestion[] => labels.map((label, i) => ({ key: `q${i + 1}`, label }));

function presentSurvey(s: SurveyRow) {
  return {
    id: s.id,
    projectId: s.project_id,
    title: s.title,
    questions: s.questions,
    commentLabel: s.comment_label,
    status: s.status,
    answerCount: s.answer_count,
    /** Answers in released batches (what results show) and those waiting for the next full batch. */
    releasedCount: s.released_count,
    waitingCount: s.answer_count - s.released_count,
    releaseBatch: SURVEY_RELEASE_BATCH,
    allowedActions: surveyMachine.allowedActions(s.status),
    /** Questions can change only while nobody has answered. */
    editable: s.answer_count === 0,
  };
}

/** The organiser's view of a project's survey (null if none yet), with how many attendees may answer. */
export async function getProjectSurvey(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await ownProject(ctx.db, user, projectId);
  const s = await repo.findSurveyByProject(ctx.db, p.id);
  return {
    project: { id: p.id, name: p.name, code: p.code, orgName: p.org_name },
    survey: s ? presentSurvey(s) : null,
    eligibleCount: await repo.countAttendees(ctx.db, p.id),
    threshold: SURVEY_MIN_ANSWERS,
    defaults: { questions: DEFAULT_SURVEY_QUESTIONS, commentLabel: DEFAULT_COMMENT_LABEL },
  };
}

/**
 * Attach the anonymous participant survey to a project (one per project) and tell the teachers who
 * attended. Questions default to 内容实用性 / 专家水平 / 组织管理 / 总体满意度 plus one free-text question.
 */
export async function createSurvey(ctx: AppContext, user: CurrentUser, projectId: number, input: SurveyInput) {
  requirePermission(user, 'projects.manage');
  return ctx.db.tx(async (q) => {
    const p = await ownProject(q, user, projectId);
    const title = input.title ?? `「${p.name}」培训效果匿名评价`;
    const id = await repo.insertSurvey(q, {
      projectId: p.id,
      title,
      questions: questionsOf(input.questions ?? DEFAULT_SURVEY_QUESTIONS),
      commentLabel: input.commentLabel ?? DEFAULT_COMMENT_LABEL,
      createdBy: user.id,
    });
    if (id === null) throw conflict('该项目已有匿名评价问卷');
    await notify(q, await repo.attendeeUserIds(q, p.id), {
      kind: 'evaluation',
      title: `请对「${p.name}」进行匿名评价`,
      body: '问卷为匿名填写，系统不记录答卷人与答卷内容之间的任何关联。',
      link: `/m/surveys/${id}`,
      dedupeKey: `survey:${id}`,
    });
    await audit(q, user, 'survey.create', 'project', p.id, { surveyId: id });
    const s = await repo.findSurvey(q, id);
    if (!s) throw notFound('问卷');
    return presentSurvey(s);
  });
}

/** Change title/questions; refused once an answer exists, since answers refer to the questions. */
export async function updateSurvey(ctx: AppContext, user: CurrentUser, projectId: number, input: SurveyInput) {
  requirePermission(user, 'projects.manage');
  return ctx.db.tx(async (q) => {
    const p = await ownProject(q, user, projectId);
    const cur = await repo.findSurveyByProject(q, p.id);
    if (!cur) throw notFound('问卷');
    const s = await repo.lockSurvey(q, cur.id);
    if (!s) throw notFound('问卷');
    if (s.answer_count > 0) throw conflict('已有学员提交答卷，问卷内容不能再修改');
    await repo.updateSurvey(q, s.id, {
      title: input.title ?? s.title,
      questions: input.questions ? questionsOf(input.questions) : s.questions,
      commentLabel: input.commentLabel ?? s.comment_label,
    });
    const after = await repo.findSurvey(q, s.id);
    if (!after) throw notFound('问卷');
    return presentSurvey(after);
  });
}

/** End the survey or open it again (the survey state machine decides what is legal). */
export async function changeSurveyStatus(ctx: AppContext, user: CurrentUser, projectId: number, action: 'close' | 'reopen') {
  requirePermission(user, 'projects.manage');
  return ctx.db.tx(async (q) => {
    const p = await ownProject(q, user, projectId);
    const cur = await repo.findSurveyByProject(q, p.id);
    if (!cur) throw notFound('问卷');
    const s = await repo.lockSurvey(q, cur.id);
    if (!s) throw notFound('问卷');
    const to = surveyMachine.assertTransition(s.status, action);
    await repo.setSurveyStatus(q, s.id, to);
    await audit(q, user, `survey.${action}`, 'project', p.id, { surveyId: s.id });
    return presentSurvey({ ...s, status: to });
  });
}

/** How many answers the results do not show yet, and the batch size that releases them. */
interface Waiting {
  waiting: number;
  releaseBatch: number;
}

export type SurveyResults =
  | { status: 'none' }
  | ({ status: 'insufficient'; count: number; threshold: number } & Waiting)
  | ({
      status: 'ok';
      /** Released answers: every figure below is computed over these only. */
      count: number;
      threshold: number;
      /** Mean over every rated question, 1–5, and on the 0–100 scale of the project score. */
      average: number;
      score100: number;
      questions: { key: string; label: string; average: number; distribution: Record<'1' | '2' | '3' | '4' | '5', number> }[];
      commentLabel: string;
      /** Free-text answers in random order. */
      comments: string[];
    } & Waiting);

/**
 * Aggregated results over the released answers only (batches of SURVEY_RELEASE_BATCH, the first of which
 * is the 5-answer threshold). Before the first batch nothing but the count is returned: no averages, no
 * distribution, no comments, so a small group's answers cannot be told apart; after it, the figures move
 * only by whole batches, so reading them before and after one answer tells nothing about that answer.
 */
export async function surveyResults(ctx: AppContext, user: CurrentUser, projectId: number): Promise<SurveyResults> {
  const p = await ownProject(ctx.db, user, projectId);
  const s = await repo.findSurveyByProject(ctx.db, p.id);
  if (!s) return { status: 'none' };
  const waiting = { waiting: s.answer_count - s.released_count, releaseBatch: SURVEY_RELEASE_BATCH };
  if (s.released_count < SURVEY_MIN_ANSWERS) return { status: 'insufficient', count: s.answer_count, threshold: SURVEY_MIN_ANSWERS, ...waiting };
  const counts = await repo.ratingCounts(ctx.db, s.id);
  const questions = s.questions.map((qn) => {
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    let sum = 0;
    let n = 0;
    for (const c of counts.filter((x) => x.key === qn.key)) {
      distribution[String(c.value) as keyof typeof distribution] += c.n;
      sum += c.value * c.n;
      n += c.n;
    }
    return { key: qn.key, label: qn.label, average: n ? Math.round((sum / n) * 100) / 100 : 0, distribution };
  });
  const all = counts.filter((c) => s.questions.some((qn) => qn.key === c.key));
  const total = all.reduce((a, c) => a + c.n, 0);
  const average = total ? Math.round((all.reduce((a, c) => a + c.value * c.n, 0) / total) * 100) / 100 : 0;
  return {
    status: 'ok',
    count: s.released_count,
    ...waiting,
    threshold: SURVEY_MIN_ANSWERS,
    average,
    score100: ratingTo100(average),
    questions,
    commentLabel: s.comment_label,
    comments: await repo.comments(ctx.db, s.id),
  };
}

function teacherOf(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅参训教师本人可以填写匿名评价');
  return user.teacherId;
}

/** Surveys of the projects the teacher attended, and whether they have answered each. */
export async function mySurveys(ctx: AppContext, user: CurrentUser) {
  const teacherId = teacherOf(user);
  return (await repo.surveysForTeacher(ctx.db, teacherId)).map((r) => ({
    surveyId: r.survey_id,
    projectId: r.project_id,
    projectName: r.project_name,
    orgName: r.org_name,
    title: r.title,
    status: r.status,
    answered: r.answered,
    canAnswer: r.status === 'open' && !r.answered,
  }));
}

/** One survey as the attending teacher sees it (404 to anyone who did not attend the project). */
export async function surveyForTeacher(ctx: AppContext, user: CurrentUser, surveyId: number) {
  const teacherId = teacherOf(user);
  const [mine] = await repo.surveysForTeacher(ctx.db, teacherId, surveyId);
  const s = mine ? await repo.findSurvey(ctx.db, surveyId) : null;
  if (!mine || !s) throw notFound('问卷');
  return {
    id: s.id,
    projectName: mine.project_name,
    orgName: mine.org_name,
    title: s.title,
    questions: s.questions,
    commentLabel: s.comment_label,
    status: s.status,
    answered: mine.answered,
    canAnswer: s.status === 'open' && !mine.answered,
  };
}

function checkRatings(questions: SurveyQuestion[], ratings: Record<string, number>): Record<string, number> {
  const fields: FieldError[] = [];
  const out: Record<string, number> = {};
  for (const qn of questions) {
    const v = ratings[qn.key];
    if (v === undefined) fields.push({ field: `ratings.${qn.key}`, message: `请为「${qn.label}」打分` });
    else out[qn.key] = v;
  }
  for (const k of Object.keys(ratings)) if (!questions.some((qn) => qn.key === k)) fields.push({ field: `ratings.${k}`, message: '问卷中没有这一题' });
  if (fields.length) throw badRequest(fields[0].message, fields);
  return out;
}

/**
 * Answer the survey, once; a full batch of unreleased answers is released to the results. In one transaction: the "has responded" row (survey, teacher) — whose primary
 * key refuses a second answer — and the anonymous answer row, which carries no user, teacher, IP or time
 * (only the week) and shares no key with the first; the answer set is then reshuffled (see the repository).
 * Nothing about this call is written to the audit log either, since that would link the two.
 */
export async function submitAnswer(ctx: AppContext, user: CurrentUser, surveyId: number, input: AnswerInput): Promise<{ ok: true }> {
  const teacherId = teacherOf(user);
  await ctx.db.tx(async (q) => {
    const s = await repo.lockSurvey(q, surveyId);
    if (!s || !(await repo.hasAttended(q, s.project_id, teacherId))) throw notFound('问卷');
    if (s.status !== 'open') throw conflict('该评价已结束，不能再提交');
    const ratings = checkRatings(s.questions, input.ratings);
    if (!(await repo.insertResponse(q, s.id, teacherId))) throw conflict('您已提交过评价，每人只能评价一次');
    await repo.insertAnswerShuffled(q, s.id, ratings, input.comment ? input.comment : null);
    await repo.releaseFullBatch(q, s.id, SURVEY_RELEASE_BATCH);
  });
  return { ok: true };
}

/** Participants' part of the project score: the mean rating on 0–100, or null below the threshold. */
export function participantsScore(answers: number, ratingAvg: number | null): number | null {
  // Rounded like the results page (two decimals), so both show the same figure.
  return answers >= SURVEY_MIN_ANSWERS && ratingAvg !== null ? ratingTo100(Math.round(ratingAvg * 100) / 100) : null;
}
