/**
 * 基本功竞赛 (issue 13 item 4; 以赛促训, seed 001 §三(四); 班主任基本功, 000 §二(三)).
 *
 * An edition is organised by an org (a bureau or the 教师发展中心 for the county it serves) for its region:
 * draft → open (entries; last year's non-qualifiers re-entered) → judging (scores, results) → published (awards
 * become honours in the 诚信档案). Who does what:
 *   organiser   competitions.manage, the organiser org inside the caller's scope: rounds, judges, state, scores, results
 *   school      teachers.write: enters its teachers (eligibility from the audience), sees its own entries
 *   everyone else who may see it (held for a region containing the caller): reads it
 */
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { todayInChina } from '../../platform/china-time.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { defineMachine } from '../../platform/state-machine.js';
import { insertHonour } from '../integrity/integrity.service.js';
import { vetoFor, vetoMessage } from '../integrity/veto.service.js';
import type { Queryable } from '../../db/db.js';
import type { z } from 'zod';
import * as repo from './competitions.repository.js';
import {
  AWARD_LABELS,
  type Award,
  COMPETITION_KIND_LABELS,
  type CompetitionInput,
  type EntriesInput,
  type JudgeInput,
  type ResultsInput,
  type RoundInput,
  type ScoresInput,
} from './competitions.schema.js';
import type { Audience } from './competitions.schema.js';

export const competitionMachine = defineMachine({
  states: { draft: '筹备中', open: '报名中', judging: '评审中', published: '已公布' },
  transitions: {
    open: { from: ['draft'], to: 'open', label: '开始报名' },
    judge: { from: ['open'], to: 'judging', label: '开始评审' },
    publish: { from: ['judging'], to: 'published', label: '公布结果' },
  },
});
export type CompetitionAction = keyof typeof competitionMachine.transitions;

const SOURCE_LABELS = { school: '学校报名', reentry: '上届未达线自动报名' } as const;

async function visible(q: Queryable, user: CurrentUser, id: number, lock = false) {
  const c = await repo.findVisible(q, user.scopePath, id, lock);
  if (!c) throw notFound('竞赛');
  return c;
}

/** The organiser's side: the caller manages competitions and the organiser org is inside its scope. */
async function managed(q: Queryable, user: CurrentUser, id: number) {
  requirePermission(user, 'competitions.manage');
  const c = await visible(q, user, id, true);
  if (!c.organiserPath.startsWith(user.scopePath)) throw forbidden('只有主办单位可以管理该竞赛');
  return c;
}

const isOrganiser = (user: CurrentUser, c: repo.CompetitionRow) => can(user, 'competitions.manage') && c.organiserPath.startsWith(user.scopePath);

/** Competitions the caller may see: organised inside its scope or held for a region containing it. */
export async function listCompetitions(ctx: AppContext, user: CurrentUser) {
  if (!can(user, 'competitions.manage') && !can(user, 'teachers.write')) throw forbidden();
  const rows = await repo.listVisible(ctx.db, user.scopePath);
  return rows.map((c) => ({
    id: c.id,
    series: c.series,
    name: c.name,
    kind: c.kind,
    kindLabel: COMPETITION_KIND_LABELS[c.kind as keyof typeof COMPETITION_KIND_LABELS] ?? c.kind,
    year: c.year,
    status: c.status,
    statusLabel: competitionMachine.stateLabel(c.status),
    organiserName: c.organiserName,
    regionName: c.regionName,
    mine: isOrganiser(user, c),
  }));
}

/** Create an edition (draft) for the caller's region; one edition per series and year per organiser. */
export async function createCompetition(ctx: AppContext, user: CurrentUser, b: CompetitionInput, ip?: string) {
  requirePermission(user, 'competitions.manage');
  return ctx.db.tx(async (q) => {
    if (await repo.editionExists(q, user.orgId, b.series, b.year))
      throw new AppError('CONFLICT', `本单位已有 ${b.year} 年度的“${b.series}”`, [{ field: 'year', message: '该年度已有此竞赛' }]);
    const region = await repo.orgIdAtPath(q, user.scopePath);
    if (!region) throw notFound('单位');
    const id = await repo.insertCompetition(q, b, user.orgId, region, user.id);
    await audit(q, user, 'competition.create', 'competition', id, { series: b.series, year: b.year }, ip);
    return { id };
  });
}

/** One edition: rounds, judges, entries (a school sees its own), scores (the organiser) and results. */
export async function getCompetition(ctx: AppContext, user: CurrentUser, id: number) {
  if (!can(user, 'competitions.manage') && !can(user, 'teachers.write')) throw forbidden();
  const c = await visible(ctx.db, user, id);
  const organiser = isOrganiser(user, c);
  const [rounds, judges, entries, results] = await Promise.all([
    repo.rounds(ctx.db, id),
    repo.judges(ctx.db, id),
    repo.entries(ctx.db, id, organiser ? '/' : user.scopePath),
    repo.results(ctx.db, id),
  ]);
  const shown = new Set(entries.map((e) => e.id));
  // Before publication a school sees its entries, not their scores or results.
  const resultsShown = organiser || c.status === 'published';
  return {
    id: c.id,
    series: c.series,
    name: c.name,
    kind: c.kind,
    kindLabel: COMPETITION_KIND_LABELS[c.kind as keyof typeof COMPETITION_KIND_LABELS] ?? c.kind,
    year: c.year,
    audience: c.audience,
    status: c.status,
    statusLabel: competitionMachine.stateLabel(c.status),
    organiserName: c.organiserName,
    regionName: c.regionName,
    publishedOn: c.publishedOn,
    mine: organiser,
    actions: organiser ? competitionMachine.allowedActions(c.status) : [],
    rounds,
    judges: organiser ? judges : [],
    entries: entries.map((e) => ({
      id: e.id,
      teacherId: e.teacherId,
      teacherName: e.teacherName,
      schoolName: e.schoolName,
      source: e.source,
      sourceLabel: SOURCE_LABELS[e.source],
      honourRecorded: e.honourId !== null,
    })),
    scores: organiser ? await repo.scores(ctx.db, id) : [],
    results: resultsShown ? results.filter((r) => shown.has(r.entryId)).map((r) => ({ ...r, awardLabel: r.award ? AWARD_LABELS[r.award] : null })) : [],
  };
}

export async function addRound(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof RoundInput>, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await managed(q, user, id);
    if (c.status !== 'draft' && c.status !== 'open') throw conflict(`竞赛${competitionMachine.stateLabel(c.status)}，不能再增加轮次`);
    const existing = await repo.rounds(q, id);
    if (existing.some((r) => r.seq === b.seq)) throw new AppError('CONFLICT', `第 ${b.seq} 轮已存在`, [{ field: 'seq', message: '该轮次已存在' }]);
    const before = existing.filter((r) => r.seq < b.seq).at(-1);
    const after = existing.find((r) => r.seq > b.seq);
    if ((before && before.heldOn > b.heldOn) || (after && after.heldOn < b.heldOn))
      throw badRequest('轮次日期应按先后顺序', [{ field: 'heldOn', message: '日期早于前一轮或晚于后一轮' }]);
    const roundId = await repo.insertRound(q, id, b.seq, b.name, b.heldOn);
    await audit(q, user, 'competition.round', 'competition', id, { seq: b.seq, heldOn: b.heldOn }, ip);
    return { id: roundId };
  });
}

export async function addJudge(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof JudgeInput>, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await managed(q, user, id);
    if (c.status === 'published') throw conflict('竞赛结果已公布，不能再增加评委');
    if (b.userId && !(await repo.judgeUser(q, b.userId, c.regionPath)))
      throw badRequest('评委账号不存在或不在本地区', [{ field: 'userId', message: '账号不存在或不在本地区' }]);
    const judgeId = await repo.insertJudge(q, id, b.userId ?? null, b.expertName ?? null, user.id);
    await audit(q, user, 'competition.judge', 'competition', id, { judgeId }, ip);
    return { id: judgeId };
  });
}

/** Why a teacher may not enter (null: eligible), as of the first round's date (today when there is none). */
export function ineligibility(a: Audience, t: repo.EntryTeacher, on: string): string | null {
  if (t.status !== 'active') return '不在职';
  if (a.stages?.length && !a.stages.includes(t.stage)) return '学段不在参赛范围内';
  if (a.subjects?.length && !t.subjects.some((s) => (a.subjects as readonly string[]).includes(s))) return '任教学科不在参赛范围内';
  if (a.homeroomOnly && !t.homeroom) return '不是班主任';
  if (a.maxTeachingYears !== undefined) {
    if (!t.hireDate) return '缺少参加工作日期，无法确认教龄';
    const limit = `${Number(on.slice(0, 4)) - a.maxTeachingYears}${on.slice(4)}`;
    if (t.hireDate < limit) return `教龄超过 ${a.maxTeachingYears} 年`;
  }
  return null;
}

/**
 * A school (or the organiser) enters teachers of its subtree inside the region while the edition is open. Every
 * teacher must be eligible; otherwise nothing is entered and each refusal names the teacher. Entering a teacher
 * twice changes nothing.
 */
export async function enterTeachers(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof EntriesInput>, ip?: string) {
  if (!can(user, 'teachers.write') && !can(user, 'competitions.manage')) throw forbidden();
  return ctx.db.tx(async (q) => {
    const c = await visible(q, user, id, true);
    if (c.status !== 'open') throw conflict(`竞赛${competitionMachine.stateLabel(c.status)}，不能报名`);
    // The caller's teachers inside the region: the deeper of the caller's scope and the region.
    const scope = user.scopePath.startsWith(c.regionPath) ? user.scopePath : c.regionPath.startsWith(user.scopePath) ? c.regionPath : null;
    if (!scope) throw forbidden('不在该竞赛的参赛范围内');
    const first = (await repo.rounds(q, id))[0];
    const on = first?.heldOn ?? todayInChina();
    const ids = [...new Set(b.teacherIds)];
    const teachers = await repo.teachersForEntry(q, scope, ids, on);
    const found = new Map(teachers.map((t) => [t.id, t]));
    const errors = ids.flatMap((tid, i) => {
      const t = found.get(tid);
      if (!t) return [{ field: `teacherIds.${i}`, message: '教师不存在或不在本单位' }];
      const why = ineligibility(c.audience, t, on);
      return why ? [{ field: `teacherIds.${i}`, message: `${t.name}：${why}` }] : [];
    });
    if (errors.length) throw badRequest(`有 ${errors.length} 名教师不能报名：${errors.map((e) => e.message).join('；')}`, errors);
    let entered = 0;
    for (const t of teachers) if (await repo.insertEntry(q, id, t.id, t.orgId, 'school', null, user.id)) entered++;
    await audit(q, user, 'competition.enter', 'competition', id, { teacherIds: ids, entered }, ip);
    return { entered, alreadyEntered: ids.length - entered };
  });
}

/**
 * 以赛促训 (001 §三(四)): enter last year's published edition's non-qualifiers (no award in any round) who are
 * still active in the region. Idempotent: a teacher already entered is left alone.
 */
async function reenter(q: Queryable, user: CurrentUser, c: repo.CompetitionRow) {
  const prev = await repo.previousEdition(q, c);
  if (prev?.status !== 'published') return { reentered: 0, previousId: prev?.id ?? null };
  let reentered = 0;
  for (const e of await repo.nonQualifiers(q, prev.id, c.regionPath))
    if (await repo.insertEntry(q, c.id, e.teacherId, e.orgId, 'reentry', e.entryId, user.id)) reentered++;
  return { reentered, previousId: prev.id };
}

/** Re-run the automatic re-entry while open (e.g. last year's results were published after opening). */
export async function rerunReentry(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await managed(q, user, id);
    if (c.status !== 'open') throw conflict(`竞赛${competitionMachine.stateLabel(c.status)}，不能补录上届未晋级教师`);
    const r = await reenter(q, user, c);
    await audit(q, user, 'competition.reentry', 'competition', id, r, ip);
    return r;
  });
}

/** open (re-enters last year's non-qualifiers), judge (needs rounds and entries), publish (awards → honours). */
export async function transition(ctx: AppContext, user: CurrentUser, id: number, action: CompetitionAction, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await managed(q, user, id);
    const to = competitionMachine.assertTransition(c.status, action);
    let detail: Record<string, unknown> = {};
    if (action === 'open') {
      if (!(await repo.rounds(q, id)).length) throw conflict('请先设置比赛轮次（初赛、复赛、决赛及日期）');
      await repo.setStatus(q, id, to);
      detail = await reenter(q, user, { ...c, status: to });
    } else if (action === 'judge') {
      if (!(await repo.entries(q, id)).length) throw conflict('还没有参赛教师，不能开始评审');
      await repo.setStatus(q, id, to);
    } else {
      const publishedOn = todayInChina();
      detail = { honours: await recordAwards(q, user, c, publishedOn, ip) };
      await repo.setStatus(q, id, to, publishedOn);
    }
    await audit(q, user, `competition.${action}`, 'competition', id, detail, ip);
    return { status: to, statusLabel: competitionMachine.stateLabel(to), ...detail };
  });
}

/** Each entry's award (the latest round that gave one) becomes an honour; a vetoed teacher refuses publication. */
async function recordAwards(q: Queryable, user: CurrentUser, c: repo.CompetitionRow, on: string, ip?: string) {
  const best = new Map<number, Award>();
  for (const r of await repo.results(q, c.id)) if (r.award) best.set(r.entryId, r.award);
  const level = (['national', 'province', 'city', 'county', 'school'] as const).find((l) => l === c.organiserLevel) ?? 'county';
  let n = 0;
  for (const e of await repo.entries(q, c.id)) {
    const award = best.get(e.id);
    if (!award || e.honourId) continue;
    try {
      const honourId = await insertHonour(
        q,
        user,
        e.teacherId,
        { title: `${c.year}年${c.name}${AWARD_LABELS[award]}`, level, awardedOn: on, awardingOrg: c.organiserName },
        ip,
      );
      await repo.setHonour(q, e.id, honourId);
      n++;
    } catch (err) {
      if (err instanceof AppError && err.code === 'CONFLICT') throw conflict(`${e.teacherName} 的奖项不能记入荣誉：${err.message}`);
      throw err;
    }
  }
  return n;
}

async function judgingRound(q: Queryable, user: CurrentUser, id: number, roundId: number) {
  const c = await managed(q, user, id);
  if (c.status !== 'judging') throw conflict(`竞赛${competitionMachine.stateLabel(c.status)}，不能录入成绩`);
  const round = (await repo.rounds(q, id)).find((r) => r.id === roundId);
  if (!round) throw badRequest('该竞赛没有这一轮', [{ field: 'roundId', message: '轮次不存在' }]);
  const entries = new Map((await repo.entries(q, id)).map((e) => [e.id, e]));
  return { c, round, entries };
}

/** A judge's scores for one round (a score given again supersedes the earlier one). */
export async function recordScores(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof ScoresInput>, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { entries } = await judgingRound(q, user, id, b.roundId);
    if (!(await repo.judges(q, id)).some((j) => j.id === b.judgeId)) throw badRequest('该竞赛没有这位评委', [{ field: 'judgeId', message: '评委不存在' }]);
    const bad = b.scores.flatMap((s, i) => (entries.has(s.entryId) ? [] : [{ field: `scores.${i}.entryId`, message: '不是本竞赛的参赛教师' }]));
    if (bad.length) throw badRequest('有的参赛记录不属于本竞赛', bad);
    for (const s of b.scores) await repo.recordScore(q, s.entryId, b.roundId, b.judgeId, s.score, user.id);
    await audit(q, user, 'competition.scores', 'competition', id, { roundId: b.roundId, judgeId: b.judgeId, n: b.scores.length }, ip);
    return { recorded: b.scores.length };
  });
}

/**
 * The results of one round: mean score over the judges and the rank by it (computed here), the award and whether
 * the entry goes on to the next round (the organiser's decision). An award for a teacher vetoed for honours on the
 * round's date is refused with the reason. Results given again supersede the earlier ones.
 */
export async function recordResults(ctx: AppContext, user: CurrentUser, id: number, b: z.infer<typeof ResultsInput>, ip?: string) {
  return ctx.db.tx(async (q) => {
    const { round, entries } = await judgingRound(q, user, id, b.roundId);
    const rounds = await repo.rounds(q, id);
    const last = rounds.at(-1)?.id === round.id;
    const errors: { field: string; message: string }[] = [];
    b.results.forEach((r, i) => {
      if (!entries.has(r.entryId)) errors.push({ field: `results.${i}.entryId`, message: '不是本竞赛的参赛教师' });
      if (last && r.qualifies) errors.push({ field: `results.${i}.qualifies`, message: '最后一轮没有下一轮可晋级' });
    });
    if (errors.length) throw badRequest('成绩结果有误', errors);
    for (const [i, r] of b.results.entries()) {
      if (!r.award) continue;
      const e = entries.get(r.entryId);
      if (!e) continue;
      const v = await vetoFor(q, e.teacherId, 'honour', round.heldOn);
      if (v.vetoed)
        throw new AppError('CONFLICT', `${e.teacherName} 不能获奖：${vetoMessage(v, 'honour')}`, [
          { field: `results.${i}.award`, message: vetoMessage(v, 'honour') },
        ]);
    }
    const byEntry = new Map<number, number[]>();
    for (const s of await repo.scores(q, id)) if (s.roundId === round.id) byEntry.set(s.entryId, [...(byEntry.get(s.entryId) ?? []), s.score]);
    const mean = (entryId: number) => {
      const xs = byEntry.get(entryId);
      return xs?.length ? Math.round((xs.reduce((a, x) => a + x, 0) / xs.length) * 100) / 100 : null;
    };
    // Rank among every entry scored in the round (1 = best; equal means share a rank).
    const all = [...byEntry.keys()].map((entryId) => mean(entryId) as number).sort((a, x) => x - a);
    for (const r of b.results) {
      const m = mean(r.entryId);
      const rank = m === null ? null : all.indexOf(m) + 1;
      await repo.recordResult(q, r.entryId, round.id, m, rank, r.award ?? null, r.qualifies, user.id);
    }
    await audit(q, user, 'competition.results', 'competition', id, { roundId: round.id, n: b.results.length }, ip);
    return { recorded: b.results.length };
  });
}

/** 我的竞赛: the teacher's own entries. */
export async function myCompetitions(ctx: AppContext, user: CurrentUser) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看');
  return (await repo.entriesOfTeacher(ctx.db, user.teacherId)).map((e) => ({
    ...e,
    statusLabel: competitionMachine.stateLabel(e.status),
    sourceLabel: SOURCE_LABELS[e.source as keyof typeof SOURCE_LABELS] ?? e.source,
  }));
}
