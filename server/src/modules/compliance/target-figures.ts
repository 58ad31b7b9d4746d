/**
 * The figures a region `target` rule reads, per year (issue 13 item 6). `registry` metrics are counted from the
 * teachers and enrolments; `records` metrics from the growth modules' own function (studios founded, key teachers
 * tracked) — never by reading their tables here. For a records metric a manual figure on 目标与经费数据 overrides the
 * platform's figure of its year (data from outside the platform); the override carries who, when and why so every
 * place that shows the result can say 手工填报（覆盖平台记录）.
 */
import type { Queryable } from '../../db/db.js';
import { TARGET_METRICS, type TargetMetric } from '../policies/policy.format.js';
import { studiosFoundedByYear } from '../studios/figures.js';
import { keyTeachersTrackedByYear } from '../key-teachers/figures.js';
import * as repo from './compliance.repository.js';

export type TargetOverride = repo.TargetOverrideRow & { platform: number };

export interface TargetFigures {
  /** The figure that counts per year: the override where there is one, else the platform's. */
  values: Map<number, number>;
  /** The platform's own figure per year (every year from..to that has begun: a missing year is a real zero). */
  platform: Map<number, number>;
  /** Years whose figure is a manual override, with the platform's figure beside it. */
  overrides: Map<number, TargetOverride>;
}

const STUDIO_METRIC = /^studios\.(masterTeacher|masterHomeroom)\.(city|county)$/;

/** The platform's figure of a registry or records metric per year, from..to (years after `on`'s year left out). */
export async function platformTargetValues(
  q: Queryable,
  metric: TargetMetric,
  rootPath: string,
  fromYear: number,
  toYear: number,
  on: string,
): Promise<Map<number, number>> {
  const to = Math.min(toYear, Number(on.slice(0, 4)));
  let counted: Map<number, number>;
  const studio = STUDIO_METRIC.exec(metric);
  if (metric === 'teachersHired') counted = await repo.hiresByYear(q, rootPath, fromYear, to);
  else if (metric === 'outboundTraining') counted = await repo.outboundByYear(q, rootPath, fromYear, to);
  else if (studio) counted = await studiosFoundedByYear(q, { rootPath, kind: studio[1], level: studio[2], fromYear, toYear: to, on });
  else counted = await keyTeachersTrackedByYear(q, { rootPath, fromYear, toYear: to, on });
  const out = new Map<number, number>();
  for (let y = fromYear; y <= to; y++) out.set(y, counted.get(y) ?? 0);
  return out;
}

/** Platform figures, overrides (records metrics only) and the figure that counts, for one region. */
export async function targetFigures(
  q: Queryable,
  metric: TargetMetric,
  region: { id: number; path: string },
  fromYear: number,
  toYear: number,
  on: string,
): Promise<TargetFigures> {
  const platform = await platformTargetValues(q, metric, region.path, fromYear, toYear, on);
  const values = new Map(platform);
  const overrides = new Map<number, TargetOverride>();
  if (TARGET_METRICS[metric].source === 'records') {
    const to = Math.min(toYear, Number(on.slice(0, 4)));
    for (const [year, o] of await repo.targetOverrides(q, region.id, metric)) {
      if (year < fromYear || year > to) continue;
      overrides.set(year, { ...o, platform: platform.get(year) ?? 0 });
      values.set(year, o.value);
    }
  }
  return { values, platform, overrides };
}
