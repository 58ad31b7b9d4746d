import type { FastifyInstance } from 'fastify';

/**
 * Project test helpers. A new project is a draft (立项申报); enrolment, check-in and recognition need it
 * 'open', which takes the whole approval path: submit → approve at each level → file → submit plan →
 * approve plan. `openProject` walks that path through the real API.
 */

/** A valid proposal: the first plan module is 思想政治和师德师风 (004 §三(三)1). */
export function proposal(over: Record<string, unknown> = {}) {
  return {
    name: '2026年小学班主任能力提升培训',
    level: 'county',
    form: 'inPerson',
    audience: { stages: [], subjects: [], roles: [], titles: [] },
    capacity: 200,
    budget: 50000,
    plan: [
      { title: '师德专题讲座', hours: 6, category: 'ethics' },
      { title: '班级管理实务', hours: 18, category: 'homeroom' },
    ],
    startDate: '2026-03-01',
    endDate: '2026-06-30',
    selfEnrol: false,
    ...over,
  };
}

const STEPS = ['submit', 'approveStep', 'approve', 'file', 'submitPlan', 'approvePlan'];

/**
 * Drive a project to 'open'. `cookies` are the Cookie headers of everyone who may act on the way: the
 * proposer first, then the approving bureaus' admins (bottom-up; the last one files and reviews the plan).
 * For a county admin's county project or a city admin's city project, the proposer alone is enough.
 */
export async function openProject(app: FastifyInstance, projectId: number, cookies: string[]): Promise<void> {
  for (let guard = 0; guard < 20; guard++) {
    let moved = false;
    for (const cookie of cookies) {
      const r = await app.inject({ method: 'GET', url: `/api/projects/${projectId}`, headers: { cookie } });
      if (r.statusCode !== 200) continue;
      const p = r.json() as { status: string; allowedActions: { action: string }[] };
      if (p.status === 'open') return;
      const next = STEPS.find((s) => p.allowedActions.some((a) => a.action === s));
      if (!next) continue;
      const t = await app.inject({ method: 'POST', url: `/api/projects/${projectId}/actions/${next}`, headers: { cookie }, payload: {} });
      if (t.statusCode !== 200) throw new Error(`openProject: ${next} failed: ${t.statusCode} ${t.body}`);
      moved = true;
    }
    if (!moved) throw new Error(`openProject: nobody of the given users can move project ${projectId} on`);
  }
  throw new Error(`openProject: project ${projectId} did not open`);
}

/** Create a proposal as `cookies[0]` and open it; returns the created project. */
export async function createOpenProject(app: FastifyInstance, cookies: string[], over: Record<string, unknown> = {}) {
  const r = await app.inject({ method: 'POST', url: '/api/projects', headers: { cookie: cookies[0] }, payload: proposal(over) });
  if (r.statusCode !== 201) throw new Error(`createOpenProject: ${r.statusCode} ${r.body}`);
  const p = r.json() as { id: number; code: string; orgId: number };
  await openProject(app, p.id, cookies);
  return { ...p, status: 'open' as const };
}

export interface Recognised {
  project: { id: number; status: string };
  recognition: { entriesCreated: number; teachers: number; hours: number };
}

/**
 * 学时认定 in its two steps: the organiser (`organiser` cookie) submits the recognition, then the approver
 * — the bureau that filed the project; the same cookie for a bureau's own project — confirms it. Returns
 * the confirmation's body (the project closed, the ledger entries written).
 */
export async function recogniseHours(app: FastifyInstance, projectId: number, organiser: string, approver = organiser): Promise<Recognised> {
  // Closing confirms the close warnings (hours, attendance, sessions not yet held): tests close early on purpose.
  const act = (action: string, cookie: string) =>
    app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/actions/${action}`,
      headers: { cookie },
      payload: action === 'submitRecognition' ? { confirmWarnings: true } : {},
    });
  const submitted = await act('submitRecognition', organiser);
  if (submitted.statusCode !== 200) throw new Error(`recogniseHours: submitRecognition failed: ${submitted.statusCode} ${submitted.body}`);
  const confirmed = await act('confirmRecognition', approver);
  if (confirmed.statusCode !== 200) throw new Error(`recogniseHours: confirmRecognition failed: ${confirmed.statusCode} ${confirmed.body}`);
  return confirmed.json() as Recognised;
}
