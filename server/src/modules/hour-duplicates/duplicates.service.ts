import type { Queryable } from '../../db/db.js';
import * as repo from './duplicates.repository.js';
import { duplicateScore, NEAR_DAYS } from './similarity.js';

/**
 * The likely-duplicate detector shared by claim review, the platform-import preview and final approval:
 * the same course may arrive through a teacher's claim, a platform import and a project's recognition.
 * It only points: the reviewer (or importer) decides, and the decision is recorded.
 */

const SOURCE_LABELS: Record<string, string> = {
  project: '培训项目',
  claim: '个人申报（已认定）',
  import: '平台导入',
  schoolBased: '校本研修',
  claimPending: '个人申报（审核中）',
};

export interface DuplicateMatch {
  /** 'ledger' = hours already in the teacher's ledger; 'claim' = a claim still under review. */
  kind: 'ledger' | 'claim';
  id: number;
  source: string;
  sourceLabel: string;
  title: string;
  hours: number;
  occurredOn: string;
  /** A project's last session (occurredOn is its first); null for a single-day record. */
  occurredTo: string | null;
  claimId: number | null;
  projectId: number | null;
  /** Title similarity 0–1 (bigram Dice of the normalised titles). */
  similarity: number;
}

export interface DuplicateProbe {
  /** The caller's key for this record (a claim id, an import row key). */
  key: string;
  teacherId: number;
  title: string;
  hours: number;
  /** 'YYYY-MM-DD' */
  date: string;
  /** A record over a period (a project's attended sessions): its last day. */
  dateTo?: string;
  /** The claim being reviewed: neither it nor its own ledger entry is a duplicate of it. */
  claimId?: number;
  /** The project being recognised: its own ledger entries are not duplicates of it. */
  projectId?: number;
}

const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A one-line description of a match for messages and reports: 「title」（平台导入，2025-08-20，10 学时）. */
export const describeMatch = (m: DuplicateMatch) =>
  `「${m.title}」（${m.sourceLabel}，${m.occurredOn}${m.occurredTo ? ` 至 ${m.occurredTo}` : ''}，${m.hours} 学时）`;

/** For each probe, the teacher's records that are likely the same course (best match first); probes without any are left out. */
export async function findDuplicates(q: Queryable, probes: DuplicateProbe[]): Promise<Map<string, DuplicateMatch[]>> {
  const out = new Map<string, DuplicateMatch[]>();
  if (!probes.length) return out;
  const dates = probes.flatMap((p) => [p.date, p.dateTo ?? p.date]).sort();
  const rows = await repo.candidates(q, [...new Set(probes.map((p) => p.teacherId))], shift(dates[0], -NEAR_DAYS), shift(dates[dates.length - 1], NEAR_DAYS));
  const byTeacher = new Map<number, repo.CandidateRow[]>();
  for (const r of rows) byTeacher.set(r.teacher_id, [...(byTeacher.get(r.teacher_id) ?? []), r]);
  for (const p of probes) {
    const matches: DuplicateMatch[] = [];
    for (const r of byTeacher.get(p.teacherId) ?? []) {
      if (p.claimId !== undefined && r.claim_id === p.claimId) continue;
      if (p.projectId !== undefined && r.project_id === p.projectId) continue;
      const score = duplicateScore(p, { title: r.title, hours: r.hours, date: r.occurred_on, dateTo: r.last_on });
      if (score === null) continue;
      matches.push({
        kind: r.kind,
        id: r.id,
        source: r.source_type,
        sourceLabel: SOURCE_LABELS[r.source_type] ?? r.source_type,
        title: r.title,
        hours: Number(r.hours),
        occurredOn: r.occurred_on,
        occurredTo: r.last_on !== r.occurred_on ? r.last_on : null,
        claimId: r.claim_id,
        projectId: r.project_id,
        similarity: Math.round(score * 100) / 100,
      });
    }
    if (matches.length)
      out.set(
        p.key,
        matches.sort((a, b) => b.similarity - a.similarity),
      );
  }
  return out;
}
