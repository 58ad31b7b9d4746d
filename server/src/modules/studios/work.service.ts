import QRCode from 'qrcode';
import { todayInChina } from '../../platform/china-time.js';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { type CurrentUser, requirePermission } from '../../platform/access.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { approvalChain, projectMachine } from '../projects/lifecycle.js';
import { insertSession, setCheckinOpen } from '../projects/sessions.repository.js';
import { CHECKIN_PERIOD_SECONDS, issueCheckinToken } from '../projects/checkin-token.js';
import { dutyFor, STUDIO_KINDS, STUDIO_LEVELS } from '../policies/policy.studios.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './studios.repository.js';
import type { ActivityInput, AssessInput, OutputInput, PlanInput } from './studios.schema.js';
import { ACTIVITY_KINDS, GRADES, OUTCOMES, OUTPUT_KINDS, studioMachine } from './studios.machine.js';
import { assertActive, isNamingOrg, readable, running, runs, studiosRulesFor } from './studios.service.js';

/**
 * A studio's yearly work (issue 13 item 1): the annual plan, activities, outputs, and the annual assessment with
 * 动态管理.
 *
 * Attendance and hours: an offline activity with attendance becomes a session of the studio's yearly project — one
 * project per studio and year, owned by the naming org, created (status 'running', no 立项: the naming is the
 * approval) when the year's first such activity is recorded, with every member of that year enrolled (and members
 * who join later enrolled as they join). Members check in with the existing QR machinery (the host opens check-in
 * and shows the code from the studio page); at the year's end the naming org submits and confirms the project's
 * 学时认定 like any project, and the hours reach the ledger. Nothing here writes attendance or the ledger itself.
 */

const CATEGORY_OF_KIND: Record<string, string> = { masterHomeroom: 'homeroom' };

/** The studio's yearly project (created on first use); 409 once its hours are recognised. */
async function yearProject(q: Queryable, s: repo.StudioRow, year: number, user: CurrentUser): Promise<number> {
  const existing = await repo.yearProject(q, s.id, year);
  if (existing) {
    const status = await repo.projectStatus(q, existing);
    if (status !== 'running' && status !== 'open') throw conflict(`${year} 年度的工作室研修项目已提交或完成学时认定，不能再添加签到活动`);
    return existing;
  }
  const lineage = await repo.lineageOf(q, s.naming_org_id);
  const naming = lineage[lineage.length - 1];
  const chain = approvalChain(naming, lineage, s.level);
  if (!chain.ok) throw conflict(`无法为工作室建立年度研修项目：${chain.message}`);
  const id = await repo.insertYearProject(q, {
    studioId: s.id,
    year,
    orgId: s.naming_org_id,
    name: `${s.name}${year}年度研修`,
    level: s.level,
    category: CATEGORY_OF_KIND[s.kind] ?? 'schoolBased',
    userId: user.id,
    chain: chain.chain.map((o) => o.id),
  });
  await repo.enrol(q, id, await repo.membersInYear(q, s.id, year), user.id);
  return id;
}

export async function savePlan(ctx: AppContext, user: CurrentUser, id: number, input: PlanInput) {
  return ctx.db.tx(async (q) => {
    const s = await running(q, user, id);
    assertActive(s);
    await repo.supersedePlan(q, id, input.year);
    return { id: await repo.insertPlan(q, { studioId: id, year: input.year, body: input.body, planned: input.planned, userId: user.id }) };
  });
}

export async function recordActivity(ctx: AppContext, user: CurrentUser, id: number, input: ActivityInput) {
  return ctx.db.tx(async (q) => {
    const s = await running(q, user, id);
    assertActive(s);
    if (s.named_on && input.heldOn < s.named_on)
      throw badRequest('活动日期不能早于工作室命名日期', [{ field: 'heldOn', message: `不能早于命名日期 ${s.named_on}` }]);
    if (input.ledByTeacherId && !(await repo.members(q, id)).some((m) => m.teacher_id === input.ledByTeacherId && !m.left_on))
      throw badRequest('主讲人应为本工作室的在册成员', [{ field: 'ledByTeacherId', message: '请选择本工作室的在册成员' }]);
    let sessionId: number | null = null;
    if (input.attendance) {
      const projectId = await yearProject(q, s, Number(input.heldOn.slice(0, 4)), user);
      sessionId = await insertSession(q, projectId, {
        title: `${ACTIVITY_KINDS[input.kind]}：${input.title}`,
        date: input.heldOn,
        startTime: input.startTime!,
        endTime: input.endTime!,
        place: input.place!.trim(),
        hours: input.hours!,
        category: CATEGORY_OF_KIND[s.kind] ?? 'schoolBased',
      });
    }
    const activityId = await repo.insertActivity(q, {
      studioId: id,
      kind: input.kind,
      title: input.title,
      mode: input.mode,
      heldOn: input.heldOn,
      place: input.place?.trim() || null,
      ledBy: input.ledByTeacherId ?? null,
      sessionId,
      userId: user.id,
    });
    // The members learn of the activity (scheduled or recorded) in their inbox; a check-in activity says so.
    const when = input.attendance ? `${input.heldOn} ${input.startTime}–${input.endTime}` : input.heldOn;
    await notify(q, await repo.memberUsersOn(q, id, input.heldOn), {
      kind: input.attendance ? 'checkin' : 'general',
      title: `「${s.name}」${ACTIVITY_KINDS[input.kind]}：${input.title}`,
      body: `${when} · ${input.mode === 'online' ? '线上' : `线下 · ${input.place?.trim()}`}${input.attendance ? ` · 现场扫码签到，认定 ${input.hours} 学时` : ''}`,
      link: `/studios/${id}`,
    });
    return { id: activityId, sessionId };
  });
}

async function activityOf(q: Queryable, studioId: number, activityId: number) {
  const a = (await repo.activities(q, studioId)).find((x) => x.id === activityId);
  if (!a) throw notFound('活动');
  return a;
}

/** The host (or the naming org) opens or closes QR check-in of an activity's session: the projects module's switch. */
export async function setCheckin(ctx: AppContext, user: CurrentUser, id: number, activityId: number, open: boolean) {
  return ctx.db.tx(async (q) => {
    await running(q, user, id);
    const a = await activityOf(q, id, activityId);
    if (!a.session_id) throw conflict('该活动未设签到');
    if (a.withdrawn_at) throw conflict('该活动已撤回');
    const projectId = (await q.query<{ project_id: number }>('SELECT project_id FROM project_sessions WHERE id = $1', [a.session_id])).rows[0].project_id;
    const status = await repo.projectStatus(q, projectId);
    if (status !== 'running' && status !== 'open') throw conflict('本年度学时认定已提交，签到已关闭');
    await setCheckinOpen(q, a.session_id, 'checkin', open);
    return { sessionId: a.session_id, checkinOpen: open };
  });
}

/** The QR code of the current period for an activity's session (the same token and /m/checkin page as any session). */
export async function checkinCode(ctx: AppContext, user: CurrentUser, id: number, activityId: number, baseUrl: string, now = new Date()) {
  const s = await readable(ctx.db, user, id);
  if (!runs(user, s)) throw forbidden('只有工作室主持人或命名单位可以出示签到码');
  const a = await activityOf(ctx.db, id, activityId);
  if (!a.session_id || !a.checkin_open || a.withdrawn_at) throw conflict('签到未开启');
  const t = issueCheckinToken(ctx.checkinSigner, a.session_id, now, 'in');
  const checkinUrl = `/m/checkin?t=${encodeURIComponent(t.token)}`;
  const qrDataUrl = await QRCode.toDataURL(`${baseUrl}${checkinUrl}`, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
  return {
    token: t.token,
    checkinUrl,
    qrDataUrl,
    issuedAt: t.issuedAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    periodSeconds: CHECKIN_PERIOD_SECONDS,
  };
}

export async function withdrawActivity(ctx: AppContext, user: CurrentUser, id: number, activityId: number, reason: string) {
  return ctx.db.tx(async (q) => {
    await running(q, user, id);
    const a = await activityOf(q, id, activityId);
    if (a.attended > 0) throw conflict(`已有 ${a.attended} 人签到，不能撤回该活动`);
    const r = await repo.withdrawActivity(q, id, activityId, reason);
    if (!r) throw conflict('该活动已撤回');
    if (r.session_id) await setCheckinOpen(q, r.session_id, 'checkin', false);
    return { ok: true as const };
  });
}

export async function recordOutput(ctx: AppContext, user: CurrentUser, id: number, input: OutputInput) {
  return ctx.db.tx(async (q) => {
    const s = await running(q, user, id);
    assertActive(s);
    if (input.teacherId) {
      const m = (await repo.members(q, id)).find(
        (x) => x.teacher_id === input.teacherId && x.joined_on <= input.producedOn && (!x.left_on || x.left_on >= input.producedOn),
      );
      if (!m) throw badRequest('成果涉及的教师应为当时的工作室成员', [{ field: 'teacherId', message: '请选择成果日期时在册的工作室成员' }]);
    }
    return {
      id: await repo.insertOutput(q, {
        studioId: id,
        kind: input.kind,
        title: input.title,
        producedOn: input.producedOn,
        teacherId: input.teacherId ?? null,
        userId: user.id,
      }),
    };
  });
}

export async function withdrawOutput(ctx: AppContext, user: CurrentUser, id: number, outputId: number, reason: string) {
  return ctx.db.tx(async (q) => {
    await running(q, user, id);
    const o = (await repo.outputs(q, id)).find((x) => x.id === outputId);
    if (!o) throw notFound('成果');
    if (o.withdrawn_at || !(await repo.withdrawOutput(q, id, outputId, reason))) throw conflict('该成果已撤回');
    return { ok: true as const };
  });
}

/** The year's figures against the duties in force for the naming org at the year's end (or today, if earlier). */
export async function computeYear(q: Queryable, s: repo.StudioRow, year: number, figures?: repo.YearFigures, rulesOf = studiosRulesFor) {
  const day = `${year}-12-31` < todayInChina() ? `${year}-12-31` : todayInChina();
  const rules = await rulesOf(q, s.naming_path, day);
  const duty = dutyFor(rules.studios, s.kind, s.level);
  const f = figures ?? (await repo.yearFigures(q, [s.id], year)).get(s.id)!;
  const items = [
    { key: 'activities', label: '集中教研活动', actual: f.activities, required: duty.activitiesPerYear },
    { key: 'dualQualified', label: '培养双师型教师', actual: f.dual, required: duty.dualQualifiedPerYear },
    ...f.experts.map((e) => ({ key: `expert:${e.teacherId}`, label: `${e.name}示范引领活动`, actual: e.demos, required: duty.expertDemosPerYear })),
  ].map((i) => ({ ...i, met: i.actual >= i.required }));
  return {
    year,
    items,
    dutiesMet: items.every((i) => i.met),
    outputs: Object.fromEntries(Object.keys(OUTPUT_KINDS).map((k) => [k, f.outputs[k] ?? 0])),
    source: rules.source ? `${rules.source.title}${rules.source.cite ? `（${rules.source.cite}）` : ''}` : '平台默认（阿拉善高新区实施方案 三（三））',
    cite: duty.cite ? `§${duty.cite.section}：${duty.cite.text}` : null,
  };
}

export async function yearSummary(ctx: AppContext, user: CurrentUser, id: number, year: number) {
  const s = await readable(ctx.db, user, id);
  return computeYear(ctx.db, s, year);
}

/**
 * 年度考核: the naming org grades the year (the computed figures are kept with it). 动态管理: a failed grade warns
 * a named studio, and de-lists one already warned (failures in a row, as the policy counts them); a passed grade
 * lifts a warning (整改合格). Each is a step in the studio's history.
 */
export async function assess(ctx: AppContext, user: CurrentUser, id: number, input: AssessInput) {
  requirePermission(user, 'studios.manage');
  return ctx.db.tx(async (q) => {
    const s = await readable(q, user, id, true);
    if (!isNamingOrg(user, s)) throw forbidden(`只有命名单位「${s.naming_org_name}」或其上级可以考核`);
    assertActive(s);
    const today = todayInChina();
    const decidedOn = input.decidedOn ?? today;
    if (decidedOn > today) throw badRequest('考核日期不能晚于今天', [{ field: 'decidedOn', message: '考核日期不能晚于今天' }]);
    if (s.named_on && input.year < Number(s.named_on.slice(0, 4)))
      throw badRequest('考核年度早于工作室命名年度', [{ field: 'year', message: `工作室于 ${s.named_on} 命名` }]);
    const past = await repo.assessments(q, id);
    if (past.some((a) => a.year === input.year)) throw conflict(`${input.year} 年度已考核`);
    const computed = await computeYear(q, s, input.year);
    const comment = input.comment?.trim() || null;
    if (input.grade !== 'fail' && !computed.dutiesMet && !comment) {
      const message = '未完成年度职责却评为合格以上时，请在考核意见中说明理由';
      throw new AppError('VALIDATION', message, [{ field: 'comment', message }]);
    }
    const rules = (await studiosRulesFor(q, s.naming_path, decidedOn)).studios;
    let failures = 0;
    if (input.grade === 'fail') {
      failures = 1;
      for (const a of [...past].sort((x, y) => y.year - x.year)) {
        if (a.grade !== 'fail') break;
        failures++;
      }
    }
    let outcome: keyof typeof OUTCOMES = 'none';
    if (input.grade === 'fail' && failures >= rules.failuresToDelist) outcome = 'delisted';
    else if (input.grade === 'fail' && failures >= rules.failuresToWarn && s.status === 'named') outcome = 'warned';
    else if (input.grade !== 'fail' && s.status === 'warned') outcome = 'restored';
    const assessmentId = await repo.insertAssessment(q, {
      studioId: id,
      year: input.year,
      computed,
      dutiesMet: computed.dutiesMet,
      grade: input.grade,
      comment,
      outcome,
      decidedOn,
      userId: user.id,
    });
    if (outcome !== 'none') {
      const action = outcome === 'warned' ? 'warn' : outcome === 'delisted' ? 'delist' : 'restore';
      const to = studioMachine.assertTransition(s.status, action);
      await repo.setStatus(q, id, to);
      if (to === 'delisted') await repo.endAllMemberships(q, id, decidedOn);
      await repo.insertHistory(q, {
        studioId: id,
        action,
        from: s.status,
        to,
        onDate: decidedOn,
        comment: `${input.year} 年度考核${GRADES[input.grade]}${comment ? `：${comment}` : ''}`,
        detail: { assessmentId, failures },
        userId: user.id,
        orgId: user.orgId,
      });
    }
    // The host learns the result (and what follows from it).
    await notify(q, await repo.usersOfTeacher(q, s.host_teacher_id), {
      kind: 'result',
      title: `「${s.name}」${input.year} 年度考核：${GRADES[input.grade]}`,
      body: `${s.naming_org_name}${outcome === 'none' ? '' : `，${OUTCOMES[outcome]}`}${comment ? `：${comment}` : ''}`,
      link: `/studios/${id}`,
    });
    return { id: assessmentId, outcome, outcomeLabel: OUTCOMES[outcome], status: (await repo.studio(q, id))!.status, computed };
  });
}

export async function work(ctx: AppContext, user: CurrentUser, id: number, year?: number) {
  const s = await readable(ctx.db, user, id);
  return {
    plans: await repo.plans(ctx.db, id),
    activities: (await repo.activities(ctx.db, id, year)).map((a) => ({
      id: a.id,
      kind: a.kind,
      kindLabel: ACTIVITY_KINDS[a.kind as keyof typeof ACTIVITY_KINDS] ?? a.kind,
      title: a.title,
      mode: a.mode,
      heldOn: a.held_on,
      place: a.place,
      ledByTeacherId: a.led_by_teacher_id,
      ledByName: a.led_by_name,
      sessionId: a.session_id,
      checkinOpen: a.checkin_open ?? false,
      attended: a.attended,
      withdrawn: a.withdrawn_at !== null,
      withdrawnReason: a.withdrawn_reason,
    })),
    outputs: (await repo.outputs(ctx.db, id, year)).map((o) => ({
      id: o.id,
      kind: o.kind,
      kindLabel: OUTPUT_KINDS[o.kind as keyof typeof OUTPUT_KINDS] ?? o.kind,
      title: o.title,
      producedOn: o.produced_on,
      teacherId: o.teacher_id,
      teacherName: o.teacher_name,
      withdrawn: o.withdrawn_at !== null,
    })),
    assessments: (await repo.assessments(ctx.db, id)).map((a) => ({
      ...a,
      gradeLabel: GRADES[a.grade as keyof typeof GRADES],
      outcomeLabel: OUTCOMES[a.outcome as keyof typeof OUTCOMES],
    })),
    // The yearly projects the check-in activities run on: 学时认定 is done there (link for the host and the naming org).
    yearProjects: runs(user, s)
      ? (await repo.yearProjects(ctx.db, id)).map((y) => ({
          year: y.year,
          projectId: y.project_id,
          status: y.status,
          statusLabel: projectMachine.stateLabel(y.status),
        }))
      : [],
    studioId: s.id,
  };
}

/** 工作室看板: the subtree's studios counted by kind, level and status, and for the year how many meet their duties. */
export async function board(ctx: AppContext, user: CurrentUser, year: number) {
  requirePermission(user, 'studios.manage');
  const rows = await repo.studiosUnder(ctx.db, user.orgPath);
  const byKey = new Map<
    string,
    { kind: string; kindLabel: string; level: string; levelLabel: string; counts: Record<string, number>; dutiesMet: number; active: number }
  >();
  const studios = [];
  // The figures of every active studio in one query; the rules once per naming org and day.
  const active = rows.filter((s) => s.status === 'named' || s.status === 'warned');
  const figures = await repo.yearFigures(
    ctx.db,
    active.map((s) => s.id),
    year,
  );
  const rulesCache = new Map<string, ReturnType<typeof studiosRulesFor>>();
  const rulesOf = (q: Queryable, path: string, day: string) => {
    const key = `${path}|${day}`;
    if (!rulesCache.has(key)) rulesCache.set(key, studiosRulesFor(q, path, day));
    return rulesCache.get(key)!;
  };
  for (const s of rows) {
    const key = `${s.kind}:${s.level}`;
    const g = byKey.get(key) ?? {
      kind: s.kind,
      kindLabel: STUDIO_KINDS[s.kind as keyof typeof STUDIO_KINDS],
      level: s.level,
      levelLabel: STUDIO_LEVELS[s.level as keyof typeof STUDIO_LEVELS],
      counts: {},
      dutiesMet: 0,
      active: 0,
    };
    g.counts[s.status] = (g.counts[s.status] ?? 0) + 1;
    let met: boolean | null = null;
    if (s.status === 'named' || s.status === 'warned') {
      met = (await computeYear(ctx.db, s, year, figures.get(s.id), rulesOf)).dutiesMet;
      g.active++;
      if (met) g.dutiesMet++;
    }
    byKey.set(key, g);
    studios.push({
      id: s.id,
      name: s.name,
      kind: s.kind,
      level: s.level,
      status: s.status,
      statusLabel: studioMachine.stateLabel(s.status),
      namingOrgName: s.naming_org_name,
      hostName: s.host_name,
      dutiesMet: met,
    });
  }
  return { year, groups: [...byKey.values()], studios, statusLabels: studioMachine.states };
}
