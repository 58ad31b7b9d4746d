import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { defineMachine } from '../../platform/state-machine.js';
import { QUALIFICATION_STATUS } from '../../platform/vocab.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './evaluations.repository.js';
import type { ScorecardQuery, StatusChangeInput } from './evaluations.schema.js';
import { scoreOf } from './evaluations.service.js';
import { round1 } from './score.js';

type Qualification = keyof typeof QUALIFICATION_STATUS;

/** 资质准入: admitted ⇄ warning ⇄ suspended, every change with a reason and kept in the history. */
export const qualificationMachine = defineMachine({
  states: QUALIFICATION_STATUS,
  transitions: {
    admit: { from: ['warning', 'suspended'], to: 'admitted', label: '恢复准入' },
    warn: { from: ['admitted', 'suspended'], to: 'warning', label: '警告' },
    suspend: { from: ['admitted', 'warning'], to: 'suspended', label: '暂停资质' },
  },
});
const ACTION_FOR: Record<Qualification, 'admit' | 'warn' | 'suspend'> = { admitted: 'admit', warning: 'warn', suspended: 'suspend' };

/**
 * Refuse new projects from a suspended institution (or from an org under one). The projects module calls
 * this inside its create/propose transaction; 409 with the reason.
 */
export async function assertInstitutionActive(q: Queryable, orgId: number): Promise<void> {
  const s = await repo.suspendedAbove(q, orgId);
  if (s) throw conflict(`「${s.org_name}」的培训资质已暂停，不能申报新的培训项目（原因：${s.reason}）`);
}

const mean = (xs: number[]): number | null => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

interface Acc {
  projects: number;
  scores: number[];
  satisfaction: number[];
  attended: number;
  possible: number;
  byYear: Map<number, { projects: number; scores: number[] }>;
}

/**
 * The institution scorecard of the caller's region: per institution, projects run, average project score,
 * participants' satisfaction (mean rating of surveys with ≥ 5 answers), attendance rate and a per-year
 * trend; ranked by average score (institutions without any score last). Optional year range.
 */
export async function scorecard(ctx: AppContext, user: CurrentUser, f: ScorecardQuery) {
  requirePermission(user, 'evaluations.read');
  const insts = await repo.listInstitutions(ctx.db, user.scopePath);
  const rows = (await repo.institutionProjectInputs(ctx.db, user.scopePath)).filter(
    (r) => (f.fromYear === undefined || r.year >= f.fromYear) && (f.toYear === undefined || r.year <= f.toYear),
  );
  const acc = new Map<number, Acc>(insts.map((i) => [i.id, { projects: 0, scores: [], satisfaction: [], attended: 0, possible: 0, byYear: new Map() }]));
  const years = new Set<number>();
  for (const r of rows) {
    const a = acc.get(r.institution_id);
    if (!a) continue;
    const s = scoreOf(r);
    a.projects++;
    years.add(r.year);
    const y = a.byYear.get(r.year) ?? { projects: 0, scores: [] };
    y.projects++;
    if (s.combined.score !== null) {
      a.scores.push(s.combined.score);
      y.scores.push(s.combined.score);
    }
    a.byYear.set(r.year, y);
    if (s.participants !== null && r.rating_avg !== null) a.satisfaction.push(r.rating_avg);
    a.attended += r.attended;
    a.possible += r.enrolled * r.sessions;
  }
  const items = insts.map((i) => {
    const a = acc.get(i.id) as Acc;
    const sat = a.satisfaction.length ? Math.round((a.satisfaction.reduce((x, y) => x + y, 0) / a.satisfaction.length) * 100) / 100 : null;
    return {
      orgId: i.id,
      name: i.name,
      code: i.code,
      status: i.status,
      statusReason: i.reason,
      statusChangedAt: i.changed_at,
      allowedStatusActions: qualificationMachine.allowedActions(i.status),
      projects: a.projects,
      scoredProjects: a.scores.length,
      averageScore: mean(a.scores),
      satisfaction: sat,
      attendanceRate: a.possible ? Math.round((a.attended / a.possible) * 10000) / 10000 : null,
      trend: [...a.byYear.entries()].sort((x, y) => x[0] - y[0]).map(([year, v]) => ({ year, projects: v.projects, averageScore: mean(v.scores) })),
    };
  });
  items.sort((x, y) => (y.averageScore ?? -1) - (x.averageScore ?? -1) || y.projects - x.projects || x.name.localeCompare(y.name, 'zh-CN'));
  return {
    years: [...years].sort((a, b) => a - b),
    items: items.map((it, idx) => ({ rank: it.averageScore === null ? null : idx + 1, ...it })),
  };
}

async function institutionOr404(q: Queryable, user: CurrentUser, orgId: number) {
  const [i] = await repo.listInstitutions(q, user.scopePath, orgId);
  if (!i) throw notFound('培训机构');
  return i;
}

/** One institution: its projects with their scores, and the history of its qualification status. */
export async function institutionDetail(ctx: AppContext, user: CurrentUser, orgId: number) {
  requirePermission(user, 'evaluations.read');
  const i = await institutionOr404(ctx.db, user, orgId);
  const projects = (await repo.institutionProjectInputs(ctx.db, user.scopePath, i.id)).map((r) => {
    const s = scoreOf(r);
    return {
      id: r.project_id,
      code: r.project_code,
      name: r.project_name,
      status: r.status,
      year: r.year,
      answers: r.answers,
      participants: s.participants,
      experts: s.experts,
      inspection: s.inspection,
      score: s.combined.score,
      renormalised: s.combined.renormalised,
      attendanceRate: s.attendanceRate,
    };
  });
  return {
    orgId: i.id,
    name: i.name,
    status: i.status,
    statusReason: i.reason,
    allowedStatusActions: qualificationMachine.allowedActions(i.status),
    projects,
    history: await statusHistoryOf(ctx.db, i.id),
  };
}

async function statusHistoryOf(q: Queryable, orgId: number) {
  return (await repo.statusHistory(q, orgId)).map((h) => ({
    id: h.id,
    from: h.from_status,
    to: h.to_status,
    reason: h.reason,
    by: h.changed_by_name,
    at: h.changed_at,
  }));
}

/**
 * Change an institution's qualification status (准入 / 警告 / 暂停) with a reason. The change and the
 * history row are written together; the institution's users are told. Same status again is a 409.
 */
export async function changeInstitutionStatus(ctx: AppContext, user: CurrentUser, orgId: number, input: StatusChangeInput) {
  requirePermission(user, 'evaluations.supervise');
  return ctx.db.tx(async (q) => {
    const i = await institutionOr404(q, user, orgId);
    const from = await repo.lockInstitutionStatus(q, i.id);
    const to = qualificationMachine.assertTransition(from, ACTION_FOR[input.status]);
    await repo.setInstitutionStatus(q, i.id, from, to, input.reason, user.id);
    await audit(q, user, 'institution.status', 'org', i.id, { from, to, reason: input.reason });
    await notify(q, await usersAt(q, [i.id], ['institution']), {
      kind: 'general',
      title: `培训资质变更为「${QUALIFICATION_STATUS[to]}」`,
      body: `${user.orgName}：${input.reason}`,
    });
    return {
      orgId: i.id,
      status: to,
      statusReason: input.reason,
      allowedStatusActions: qualificationMachine.allowedActions(to),
      history: await statusHistoryOf(q, i.id),
    };
  });
}
