import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { Category } from '../../platform/vocab.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import type { ProjectRow } from './projects.repository.js';
import * as surveyRepo from './needs-survey.repository.js';
import * as shareRepo from './share-back.repository.js';
import { notifyNewTasks } from './share-back.service.js';
import { approvalChain, checkPlan, COMMENT_REQUIRED, filingNumber, projectMachine, type ProjectAction, type ProjectStatus } from './lifecycle.js';
import { planRuleFor } from './projects.policy.js';
import { managedPath, mayAct, presentProject, projectOr404 } from './projects.service.js';
import { assertWarningsConfirmed, closeWarnings } from './close-checks.js';
import { assertInstitutionActive } from '../evaluations/institutions.service.js';
import { describeMatch, findDuplicates } from '../hour-duplicates/duplicates.service.js';
import { todayInChina } from '../../platform/china-time.js';

const link = (id: number) => `/projects/${id}`;
const DECIDER_ACTIONS: ReadonlySet<ProjectAction> = new Set([
  'approveStep',
  'approve',
  'return',
  'reject',
  'file',
  'approvePlan',
  'returnPlan',
  'confirmRecognition',
  'returnRecognition',
]);

/** The proposer's users: whoever created the proposal (the org's other admins see it in their list). */
const proposerIds = (p: ProjectRow) => (p.created_by ? [p.created_by] : []);

/** Who hears the outcome of a recognition: whoever submitted it, and the proposal's creator. */
async function organisers(q: Queryable, p: ProjectRow): Promise<number[]> {
  const submitter = (await repo.lastHistoryOf(q, p.id, ['submitRecognition']))?.user_id;
  return [...new Set([...proposerIds(p), ...(submitter ? [submitter] : [])])];
}

async function bureauAdmins(q: Queryable, orgId: number): Promise<number[]> {
  return usersAt(q, [orgId], ['bureauAdmin']);
}

/** 400 on the plan field when the plan breaks the plan-content rule of the owner's policy (004 §三(三)1). */
async function assertPlan(q: Queryable, p: ProjectRow): Promise<void> {
  const problem = checkPlan(p.plan, await planRuleFor(q, p.org_path, { form: p.form, level: p.level }));
  if (problem) throw badRequest(problem, [{ field: 'plan', message: problem }]);
}

export interface RecognitionTotals {
  teachers: number;
  /** One per attendance: the ledger entries confirmation will write. */
  entries: number;
  hours: number;
}

export interface TransitionResult {
  project: ReturnType<typeof presentProject>;
  /** Set by submitRecognition: what the approver is asked to confirm. */
  preview?: RecognitionTotals;
  /** Set by confirmRecognition: the hours recognised. */
  recognition?: { entriesCreated: number; teachers: number; hours: number };
}

/**
 * Who confirms the hour recognition: the last bureau of the approval chain (the one that filed the
 * project). A project that never went the approval path (rows written directly, e.g. demo data) gets the
 * bureau its path would end at, else the nearest bureau above its owner.
 */
async function recognitionApprover(q: Queryable, p: ProjectRow): Promise<number> {
  if (p.approval_chain.length) return p.approval_chain[p.approval_chain.length - 1];
  const lineage = await repo.lineage(q, p.org_id);
  const me = lineage.find((o) => o.id === p.org_id);
  const chain = me ? approvalChain(me, lineage, p.level) : null;
  if (chain?.ok) return chain.chain[chain.chain.length - 1].id;
  const nearest = [...lineage].reverse().find((o) => o.kind === 'bureau');
  if (!nearest) throw conflict('找不到负责确认学时认定的教育局');
  return nearest.id;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const totalsOf = (rows: repo.RecognitionPreviewRow[]): RecognitionTotals => ({
  teachers: rows.length,
  entries: rows.reduce((n, r) => n + r.sessions, 0),
  hours: round1(rows.reduce((n, r) => n + r.hours, 0)),
});

/** Totals of the recognition as it stands: attendance is frozen once it is submitted, so this is what confirmation writes. */
async function recognitionTotals(q: Queryable, projectId: number): Promise<RecognitionTotals> {
  return totalsOf(await repo.recognitionPreview(q, projectId));
}

/**
 * Take one action of the project state machine. The row is locked first, the transition checked by the
 * machine (409 with '当前状态「X」不能执行「Y」'), the actor checked against the who-does-what table
 * (403), then the effects, the history row and the notifications happen in the same transaction.
 */
export async function transition(
  ctx: AppContext,
  user: CurrentUser,
  id: number,
  action: ProjectAction,
  comment?: string,
  now = new Date(),
  opts: { confirmWarnings?: boolean } = {},
): Promise<TransitionResult> {
  return ctx.db.tx((q) => transitionIn(q, user, id, action, comment, now, undefined, opts));
}

/**
 * One transition inside the caller's transaction. `combined` (set by fastTrack) marks the history row as
 * one of several steps the same org took in one action, and keeps the notifications that would only tell
 * the actor's own org to do what it is doing (待审批, 待备案, 待审核) from being sent.
 */
async function transitionIn(
  q: Queryable,
  user: CurrentUser,
  id: number,
  action: ProjectAction,
  comment: string | undefined,
  now: Date,
  combined?: string,
  opts: { confirmWarnings?: boolean } = {},
): Promise<TransitionResult> {
  {
    // Combined steps: nobody of the actor's own org is told to do what it is doing in this very action.
    const own = combined ? new Set([user.id, ...(await bureauAdmins(q, user.orgId))]) : null;
    const tell: typeof notify = (qq, to, n) => notify(qq, own ? to.filter((u) => !own.has(u)) : to, n);
    const lock = await repo.lockProject(q, managedPath(user), id, 'update');
    if (!lock) throw notFound('培训项目');
    const p = await projectOr404(q, user, id);
    // The machine first: an illegal move is 409 whoever asks; then whether this caller may make it.
    let to = projectMachine.assertTransition(p.status, action);
    if (!mayAct(p, user, action)) {
      const decides = p.pending_org_id === user.orgId && user.role === 'bureauAdmin';
      if (action === 'approve' && decides) throw conflict('还需报上级审批，请使用「审批通过并报上级」');
      if (action === 'approveStep' && decides) throw conflict('已是最后一级审批，请使用「审批通过」');
      if (DECIDER_ACTIONS.has(action) && p.pending_org_id && !decides) throw forbidden(`该项目正等待「${p.pending_org_name}」处理`);
      throw forbidden('无权执行此操作');
    }
    const text = comment?.trim() || null;
    if (COMMENT_REQUIRED.has(action) && !text) throw badRequest('请填写意见（退回或不予立项时必填）', [{ field: 'comment', message: '请填写意见' }]);

    const detail: Record<string, unknown> = {};
    let recognition: TransitionResult['recognition'];
    let preview: TransitionResult['preview'];
    const proposers = proposerIds(p);
    const name = `「${p.name}」`;

    switch (action) {
      case 'submit': {
        await assertInstitutionActive(q, p.org_id);
        await assertPlan(q, p);
        const lineage = await repo.lineage(q, p.org_id);
        const me = lineage.find((o) => o.id === p.org_id);
        if (!me) throw notFound('申报单位');
        const chain = approvalChain(me, lineage, p.level);
        if (!chain.ok) throw badRequest(chain.message, [{ field: 'level', message: chain.message }]);
        const ids = chain.chain.map((o) => o.id);
        await repo.setStatus(q, id, to, { chain: ids, step: 0, pendingOrgId: ids[0] });
        detail.chain = chain.chain.map((o) => o.name);
        await tell(q, await bureauAdmins(q, ids[0]), {
          kind: 'approval',
          title: `待审批：${name}立项申报`,
          body: `${p.org_name}申报，请审批`,
          link: link(id),
        });
        break;
      }
      case 'withdraw':
        await repo.setStatus(q, id, to, { step: 0, pendingOrgId: null });
        break;
      case 'approveStep': {
        const next = p.approval_chain[p.approval_step + 1];
        await repo.setStatus(q, id, to, { step: p.approval_step + 1, pendingOrgId: next });
        const names = await repo.orgNames(q, [next]);
        detail.forwardedTo = names.get(next);
        await tell(q, await bureauAdmins(q, next), {
          kind: 'approval',
          title: `待审批：${name}立项申报`,
          body: `${user.orgName}已审批通过，报请审批`,
          link: link(id),
        });
        await notify(q, proposers, {
          kind: 'result',
          title: `${name}已通过${user.orgName}审批`,
          body: `已报${names.get(next) ?? '上级'}审批`,
          link: link(id),
        });
        break;
      }
      case 'approve': {
        // The last approver is the filing bureau: filing is its next move.
        await repo.setStatus(q, id, to, { pendingOrgId: user.orgId });
        await tell(q, proposers, { kind: 'result', title: `${name}已通过立项审批`, body: `等待${user.orgName}备案`, link: link(id) });
        break;
      }
      case 'return':
        await repo.setStatus(q, id, to, { step: 0, pendingOrgId: null });
        await notify(q, proposers, { kind: 'result', title: `${name}被退回修改`, body: `${user.orgName}：${text}`, link: link(id) });
        break;
      case 'reject':
        await repo.setStatus(q, id, to, { pendingOrgId: null });
        await notify(q, proposers, { kind: 'result', title: `${name}不予立项`, body: `${user.orgName}：${text}`, link: link(id) });
        break;
      case 'file': {
        const year = Number(todayInChina(now).slice(0, 4));
        const { seq, orgCode } = await repo.nextFilingSeq(q, user.orgId, year);
        const filingNo = filingNumber(year, orgCode, p.level, seq);
        await repo.setStatus(q, id, to, { pendingOrgId: null, filingNo });
        detail.filingNo = filingNo;
        await tell(q, proposers, { kind: 'result', title: `${name}已备案（${filingNo}）`, body: '请完善培训方案并提交方案审核', link: link(id) });
        break;
      }
      case 'submitPlan': {
        await assertPlan(q, p);
        const filer = p.approval_chain[p.approval_chain.length - 1];
        await repo.setStatus(q, id, to, { pendingOrgId: filer });
        await tell(q, await bureauAdmins(q, filer), {
          kind: 'approval',
          title: `待审核：${name}培训方案`,
          body: `${p.org_name}提交培训方案审核`,
          link: link(id),
        });
        break;
      }
      case 'approvePlan':
        await assertPlan(q, p);
        await repo.setStatus(q, id, to, { pendingOrgId: null });
        // The plan is final: the needs survey has done its job.
        if (await surveyRepo.closeForProject(q, id)) detail.surveyClosed = true;
        await tell(q, proposers, { kind: 'result', title: `${name}培训方案审核通过`, body: '项目已开放报名', link: link(id) });
        break;
      case 'returnPlan':
        await repo.setStatus(q, id, to, { pendingOrgId: null });
        await notify(q, proposers, { kind: 'result', title: `${name}培训方案被退回`, body: `${user.orgName}：${text}`, link: link(id) });
        break;
      case 'start':
        await repo.setStatus(q, id, to);
        break;
      case 'submitRecognition': {
        // Attendance freezes here (no longer a running state): the preview is what confirmation will write.
        // Closing early, short of hours or attendance: the organiser confirms the warnings explicitly.
        const warnings = await closeWarnings(q, p, now);
        assertWarningsConfirmed(warnings, opts.confirmWarnings === true);
        if (warnings.length) detail.warningsConfirmed = warnings.map((w) => w.message);
        const approver = await recognitionApprover(q, p);
        preview = await recognitionTotals(q, id);
        await repo.setStatus(q, id, to, { pendingOrgId: approver });
        await repo.shutCheckin(q, id);
        Object.assign(detail, preview);
        await notify(q, await bureauAdmins(q, approver), {
          kind: 'approval',
          title: `待确认：${name}学时认定`,
          body: `${user.orgName}提交学时认定：${preview.teachers} 名教师，${preview.entries} 人次，共 ${preview.hours} 学时`,
          link: link(id),
        });
        break;
      }
      case 'confirmRecognition': {
        recognition = await recogniseHours(q, user, p);
        await repo.markClosed(q, id, user.id);
        if (p.outbound) {
          const trainees = await shareRepo.createTasks(q, id);
          detail.shareBackTasks = trainees.length;
          await notifyNewTasks(q, p.name, trainees);
        }
        Object.assign(detail, recognition);
        await audit(q, user, 'project.close', 'project', id, recognition);
        await notify(q, await organisers(q, p), {
          kind: 'result',
          title: `${name}学时认定已确认`,
          body: `${user.orgName}已确认：为 ${recognition.teachers} 名教师认定 ${recognition.hours} 学时，项目已结项`,
          link: link(id),
        });
        const attendees = await repo.usersOfTeachers(
          q,
          (await repo.recognitionPreview(q, id)).map((r) => r.teacher_id),
        );
        await notify(q, attendees, {
          kind: 'general',
          title: `${name}学时已认定`,
          body: '学时已记入您的学时档案，可在“我的学时”查看，并在“我的证书”下载结业证书。',
          link: '/my/hours',
          dedupeKey: `recognised:${id}`,
        });
        break;
      }
      case 'returnRecognition':
        await repo.setStatus(q, id, to, { pendingOrgId: null });
        await notify(q, await organisers(q, p), { kind: 'result', title: `${name}学时认定被退回`, body: `${user.orgName}：${text}`, link: link(id) });
        break;
      case 'evaluate':
        await repo.setStatus(q, id, to);
        break;
      case 'discard':
        // Kept, not removed: the draft leaves the lists, its history and the audit log stay.
        await repo.setStatus(q, id, to, { pendingOrgId: null });
        await audit(q, user, 'project.delete', 'project', id, { name: p.name, code: p.code });
        break;
    }
    if (action === 'approveStep') to = 'submitted';
    if (combined) detail.combined = combined;
    await repo.insertHistory(q, { projectId: id, userId: user.id, orgId: user.orgId, action, from: p.status, to, comment: text, detail });
    return { project: presentProject(await projectOr404(q, user, id)), preview, recognition };
  }
}

/**
 * 学时认定: every attendance of the project becomes one ledger entry (session hours, category and date).
 * Runs under the project's FOR UPDATE lock, so no check-in can slip in; the per-session-per-teacher
 * dedupe key guards the ledger anyway.
 */
async function recogniseHours(q: Queryable, user: CurrentUser, p: ProjectRow) {
  const rows = await repo.attendanceForRecognition(q, p.id);
  const r = await recordLedgerEntries(
    q,
    rows.map((a) => ({
      teacherId: a.teacher_id,
      hours: a.hours,
      category: a.category as Category,
      occurredOn: a.date,
      sourceType: 'project' as const,
      projectId: p.id,
      sessionId: a.session_id,
      description: `「${p.name}」${a.title}`,
      recognisedBy: user.id,
      dedupeKey: `project:${p.id}:session:${a.session_id}:teacher:${a.teacher_id}`,
    })),
  );
  return { entriesCreated: r.inserted, teachers: r.teachers, hours: r.hours };
}

/**
 * 学时认定 preview: per attending teacher, the sessions attended and the hours recognition gives them
 * (computed from attendance, which is frozen once the recognition is submitted), the totals, who confirms,
 * and where the recognition stands (submitted by whom, confirmed, or returned and why). Each teacher's likely
 * duplicates (the same course already in the ledger from a claim or an import, or a claim under review) are named,
 * so the organiser and the approver see double counting before the hours are written; they point, never block.
 */
export async function recognitionPreview(ctx: AppContext, user: CurrentUser, id: number) {
  const p = await projectOr404(ctx.db, user, id);
  const rows = await repo.recognitionPreview(ctx.db, id);
  const approverId = p.status === 'recognitionPending' && p.pending_org_id ? p.pending_org_id : await recognitionApprover(ctx.db, p).catch(() => null);
  const approverName = approverId ? ((await repo.orgNames(ctx.db, [approverId])).get(approverId) ?? null) : null;
  const last = await repo.lastHistoryOf(ctx.db, id, ['submitRecognition', 'confirmRecognition', 'returnRecognition']);
  const submitted = p.status === 'recognitionPending' ? last : null;
  const returned = last?.action === 'returnRecognition' && (p.status === 'running' || p.status === 'open') ? last : null;
  const who = (h: repo.LastHistoryRow | null) => (h ? { at: h.at, userName: h.user_name, orgName: h.org_name, comment: h.comment } : null);
  const duplicates = await recognitionDuplicates(ctx.db, p, rows);
  return {
    status: p.status,
    statusLabel: projectMachine.stateLabel(p.status),
    /** Attendance can no longer change (submitted, or closed). */
    frozen: p.status !== 'open' && p.status !== 'running',
    approverOrgId: approverId,
    approverOrgName: approverName,
    submitted: who(submitted),
    returned: who(returned),
    confirmed: p.status === 'closed' || p.status === 'evaluated' ? who(await repo.lastHistoryOf(ctx.db, id, ['confirmRecognition'])) : null,
    totals: totalsOf(rows),
    enrolledCount: p.enrolled_count,
    items: rows.map((r) => ({
      teacherId: r.teacher_id,
      name: r.name,
      orgName: r.org_name,
      sessions: r.sessions,
      hours: round1(r.hours),
      duplicates: (duplicates.get(String(r.teacher_id)) ?? []).map(describeMatch),
    })),
    /** Before closing (and for the approver): hours, attendance, sessions not yet held, the planned end. */
    warnings: p.status === 'open' || p.status === 'running' || p.status === 'recognitionPending' ? await closeWarnings(ctx.db, p, new Date()) : [],
  };
}

/** Per attending teacher (key: teacher id), the likely duplicates of the hours this project gives them. */
async function recognitionDuplicates(q: Queryable, p: ProjectRow, rows: repo.RecognitionPreviewRow[]) {
  if (!rows.length) return new Map<string, never[]>();
  // Attendance comes in date order: a teacher's first row is the first day attended, the last row the last.
  const period = new Map<number, { from: string; to: string }>();
  for (const a of await repo.attendanceForRecognition(q, p.id)) period.set(a.teacher_id, { from: period.get(a.teacher_id)?.from ?? a.date, to: a.date });
  return findDuplicates(
    q,
    rows.flatMap((r) => {
      const when = period.get(r.teacher_id);
      return when
        ? [{ key: String(r.teacher_id), teacherId: r.teacher_id, title: p.name, hours: round1(r.hours), date: when.from, dateTo: when.to, projectId: p.id }]
        : [];
    }),
  );
}

const WAITING_FOR: Partial<Record<ProjectStatus, string>> = {
  submitted: '立项审批',
  approved: '备案',
  planReview: '培训方案审核',
  recognitionPending: '学时认定确认',
};

/** 待我审批: projects waiting for the caller's org (approval, filing, plan review, hour recognition). */
export async function approvalInbox(ctx: AppContext, user: CurrentUser) {
  managedPath(user);
  if (user.role !== 'bureauAdmin') return { items: [] };
  const rows = await repo.projectsPendingAt(ctx.db, user.orgId);
  return {
    items: rows.map((p) => ({
      ...presentProject(p),
      step: p.status === 'submitted' ? p.approval_step + 1 : null,
      steps: p.approval_chain.length,
      waitingFor: WAITING_FOR[p.status] ?? projectMachine.stateLabel(p.status),
    })),
  };
}

/**
 * For the evaluation module: mark a closed project evaluated inside the caller's transaction once its
 * three-way evaluation is complete (a no-op unless the project is closed). Returns whether it moved.
 */
export async function markProjectEvaluated(q: Queryable, projectId: number, userId: number | null, orgId: number | null): Promise<boolean> {
  const lock = await repo.lockProject(q, '/', projectId, 'update');
  if (!lock || !projectMachine.can(lock.status, 'evaluate')) return false;
  await repo.setStatus(q, projectId, 'evaluated' satisfies ProjectStatus);
  await repo.insertHistory(q, { projectId, userId, orgId, action: 'evaluate', from: lock.status, to: 'evaluated' });
  return true;
}

// ----------------------------------------------------------------- fast track (issue 11 item 3)

/** How the history labels a step taken as part of one combined action. */
export const COMBINED = '一并办理';

/** The next step the caller's own org takes on this project, if it is the caller's to take now. */
function nextOwnStep(p: ProjectRow, user: CurrentUser): ProjectAction | null {
  const own = p.pending_org_id === user.orgId && user.role === 'bureauAdmin';
  const lastStep = p.approval_step >= p.approval_chain.length - 1;
  const step: ProjectAction | null =
    p.status === 'draft'
      ? 'submit'
      : p.status === 'submitted' && own
        ? lastStep
          ? 'approve'
          : 'approveStep'
        : p.status === 'approved' && own
          ? 'file'
          : p.status === 'filed' && p.approval_chain[p.approval_chain.length - 1] === user.orgId
            ? 'submitPlan'
            : p.status === 'planReview' && own
              ? 'approvePlan'
              : null;
  return step && mayAct(p, user, step) ? step : null;
}

/**
 * What one combined action would do for this caller now, for the button: a bureau's own project goes from
 * draft (or filed) to open in one action; the last approver of someone else's proposal approves and files it
 * together. Null when the next step belongs to another org (a school's or institution's proposal still goes
 * to the bureau) or when the combination would be a single step anyway.
 */
export async function fastTrackOffer(
  q: Queryable,
  p: ProjectRow,
  user: CurrentUser,
): Promise<{ label: string; steps: ProjectAction[]; labels: string[] } | null> {
  if (user.role !== 'bureauAdmin') return null;
  let sim: ProjectRow = p;
  if (p.status === 'draft') {
    if (!mayAct(p, user, 'submit')) return null;
    const lineage = await repo.lineage(q, p.org_id);
    const me = lineage.find((o) => o.id === p.org_id);
    const chain = me ? approvalChain(me, lineage, p.level) : null;
    if (!chain?.ok) return null;
    const ids = chain.chain.map((o) => o.id);
    sim = { ...p, approval_chain: ids, approval_step: 0, pending_org_id: ids[0] ?? null, status: 'submitted' };
  } else if (!nextOwnStep(p, user)) return null;
  const steps: ProjectAction[] = p.status === 'draft' ? ['submit'] : [];
  for (let i = 0; i < 8; i++) {
    const next = nextOwnStep(sim, user);
    if (!next || next === 'submit') break;
    steps.push(next);
    sim = simulate(sim, next, user);
  }
  if (steps.length < 2) return null;
  const label =
    sim.status === 'open' ? (OPEN_LABELS[p.status] ?? '一并办理并开放报名') : steps.includes('file') ? '审批通过并备案' : '提交并审批通过（报上级审批）';
  return { label, steps, labels: steps.map((a) => projectMachine.transitions[a].label) };
}

const OPEN_LABELS: Partial<Record<ProjectStatus, string>> = {
  draft: '提交并开放报名',
  submitted: '审批通过并开放报名',
  approved: '备案并开放报名',
  filed: '提交方案并开放报名',
};

/** The row after a step, as far as nextOwnStep needs it (the real step runs in transitionIn). */
function simulate(p: ProjectRow, action: ProjectAction, user: CurrentUser): ProjectRow {
  const to = projectMachine.assertTransition(p.status, action);
  switch (action) {
    case 'approveStep':
      return { ...p, approval_step: p.approval_step + 1, pending_org_id: p.approval_chain[p.approval_step + 1] ?? null };
    case 'approve':
      return { ...p, status: to, pending_org_id: user.orgId };
    case 'file':
      return { ...p, status: to, pending_org_id: null };
    case 'submitPlan':
      return { ...p, status: to, pending_org_id: p.approval_chain[p.approval_chain.length - 1] ?? null };
    default:
      return { ...p, status: to, pending_org_id: null };
  }
}

/**
 * 提交并开放报名 and the like: take, in one transaction, every next step that is the caller's own org's
 * to take (submit, approve, file, submit and approve the plan), stopping where another org must act.
 * Each step is checked and recorded exactly as if taken alone, its history row labelled 一并办理.
 */
export async function fastTrack(ctx: AppContext, user: CurrentUser, id: number, now = new Date()) {
  return ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), id, 'update');
    if (!lock) throw notFound('培训项目');
    const steps: { action: ProjectAction; label: string }[] = [];
    let last: TransitionResult | null = null;
    for (let i = 0; i < 8; i++) {
      const p = await projectOr404(q, user, id);
      const next = nextOwnStep(p, user);
      if (!next) break;
      last = await transitionIn(q, user, id, next, undefined, now, COMBINED);
      steps.push({ action: next, label: projectMachine.transitions[next].label });
    }
    if (!last || steps.length < 2) {
      if (steps.length === 0) throw conflict('当前没有可由本单位一并办理的步骤');
      // A single step is not a combination: undo by refusing, so the history never shows one "combined" step.
      throw conflict('下一步需由其他单位办理，请使用相应的操作按钮');
    }
    return { project: last.project, steps };
  });
}
