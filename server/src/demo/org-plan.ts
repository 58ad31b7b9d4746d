import type { Stage } from '../platform/vocab.js';
import { chineseNumber, CITY, COUNTIES, INSTITUTIONS, PROVINCE } from './names.js';
import { Rng } from './prng.js';

/** One org row as the seed inserts it; ids are assigned here so paths need no read-back. */
export interface OrgSpec {
  id: number;
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'school';
  kind: 'bureau' | 'school' | 'devCenter' | 'institution';
  stage: Stage | null;
  parentId: number | null;
  path: string;
  budget: number | null;
}

export interface SchoolSpec {
  org: OrgSpec;
  county: number;
  stage: Stage;
  /** Number of teachers and the index of the first one: a school's teachers are contiguous. */
  teachers: number;
  firstTeacher: number;
  /** Township school: target of 送教下乡. */
  rural: boolean;
  /** A school that lags in training (lower attendance, fewer school-based records). */
  weak: boolean;
  /** Mongolian-medium school (in 旗). */
  mongolian: boolean;
}

export interface CountyOrgs {
  bureau: OrgSpec;
  devCenter: OrgSpec;
  schools: SchoolSpec[];
}

export interface OrgPlan {
  orgs: OrgSpec[];
  province: OrgSpec;
  city: OrgSpec;
  cityDevCenter: OrgSpec;
  institutions: OrgSpec[];
  counties: CountyOrgs[];
  schools: SchoolSpec[];
  /** The county, school and teacher index behind the demo accounts. */
  demoCounty: number;
  demoSchool: SchoolSpec;
}

const STAGE_MIX: [Stage, number][] = [
  ['kindergarten', 24],
  ['primary', 42],
  ['junior', 19],
  ['senior', 8],
  ['vocational', 5],
];
/** Relative teachers per school by stage. */
const STAGE_SIZE: Record<Stage, number> = { kindergarten: 0.45, primary: 1, junior: 1.3, senior: 2.1, vocational: 1.5, special: 0.4 };
/** Yuan of annual public-fund budget per teacher (the 5 % training-budget rule reads this). */
const BUDGET_PER_TEACHER: Record<Stage, number> = { kindergarten: 7000, primary: 11000, junior: 13000, senior: 15500, vocational: 19000, special: 22000 };

/** Split total into integer parts proportional to weights (largest remainder), deterministic. */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

/** Names within one county: 实验小学 first in towns and districts, then 第N; township schools by town. */
class SchoolNamer {
  private n: Record<string, number> = {};
  private towns: Record<string, number> = {};
  constructor(private county: (typeof COUNTIES)[number]) {}
  private next(key: string): number {
    return (this.n[key] = (this.n[key] ?? 0) + 1);
  }
  private town(key: string): string | null {
    const i = (this.towns[key] = (this.towns[key] ?? -1) + 1);
    // Districts keep the first two towns urban (街道); townships start after them.
    const towns = this.county.towns.filter((t) => !t.endsWith('街道'));
    return i < towns.length ? towns[i] : null;
  }
  name(stage: Stage, k: number, rural: boolean, mongolian: boolean): string {
    const c = this.county.name;
    if (mongolian) return stage === 'primary' ? `${c}蒙古族小学` : stage === 'kindergarten' ? `${c}蒙古族幼儿园` : `${c}蒙古族中学`;
    if (rural) {
      const t = this.town(stage === 'junior' || stage === 'senior' ? 'middle' : stage);
      if (t) return stage === 'primary' ? `${t}中心小学` : stage === 'kindergarten' ? `${t}中心幼儿园` : `${t}中学`;
    }
    switch (stage) {
      case 'kindergarten':
        return k === 0 ? `${c}机关幼儿园` : `${c}第${chineseNumber(this.next('kg') + 1)}幼儿园`;
      case 'primary':
        return k === 0 ? `${c}实验小学` : `${c}第${chineseNumber(this.next('primary') + 1)}小学`;
      case 'junior':
      case 'senior':
        return k === 0 && stage === 'junior' ? `${c}实验中学` : `${c}第${chineseNumber(this.next('middle'))}中学`;
      case 'vocational':
        return k === 0 ? `${c}职业中专` : `${c}第${chineseNumber(this.next('voc') + 1)}职业中专`;
      case 'special':
        return k === 0 ? `${c}特殊教育学校` : `${c}第${chineseNumber(this.next('special') + 1)}特殊教育学校`;
    }
  }
}

/**
 * The fictional region for `teachers` teachers: 北疆自治区 → 塞北市 → 7 旗县区, each with an education bureau,
 * a 教师发展中心 and about teachers/50 schools in all, stages mixed like a real county.
 */
export function planOrgs(teachers: number, seed: number): OrgPlan {
  const rng = Rng.of(seed, 'orgs');
  const orgs: OrgSpec[] = [];
  const add = (o: Omit<OrgSpec, 'id' | 'path'>, parent: OrgSpec | null): OrgSpec => {
    const id = orgs.length + 1;
    const spec = { ...o, id, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` };
    orgs.push(spec);
    return spec;
  };
  const province = add({ code: PROVINCE.code, name: PROVINCE.name, level: 'province', kind: 'bureau', stage: null, parentId: null, budget: null }, null);
  const city = add({ code: CITY.code, name: CITY.name, level: 'city', kind: 'bureau', stage: null, parentId: null, budget: null }, province);
  const cityDevCenter = add(
    { code: `${CITY.code}-DC`, name: `${CITY.short}教师发展中心`, level: 'city', kind: 'devCenter', stage: null, parentId: null, budget: null },
    city,
  );
  const institutions = INSTITUTIONS.map((i) => add({ ...i, level: 'city', kind: 'institution', stage: null, parentId: null, budget: null }, city));

  const nSchools = Math.max(10, Math.round(teachers / 50));
  const perCounty = apportion(
    nSchools,
    COUNTIES.map((c) => c.weight),
  ).map((n) => Math.max(1, n));
  const specials = apportion(
    Math.max(1, Math.round(nSchools / 60)),
    COUNTIES.map((c) => c.weight),
  );

  const counties: CountyOrgs[] = [];
  const schools: SchoolSpec[] = [];
  COUNTIES.forEach((cs, ci) => {
    const bureau = add({ code: cs.code, name: `${cs.name}教育局`, level: 'county', kind: 'bureau', stage: null, parentId: null, budget: null }, city);
    const devCenter = add(
      { code: `${cs.code}-DC`, name: `${cs.name}教师发展中心`, level: 'county', kind: 'devCenter', stage: null, parentId: null, budget: null },
      bureau,
    );
    const special = specials[ci];
    const regular = Math.max(1, perCounty[ci] - special);
    // Every county has at least one primary school (the demo county's first school is the demo school).
    const byStage = apportion(
      regular,
      STAGE_MIX.map(([, w]) => w),
    );
    if (byStage[1] === 0) {
      byStage[1] = 1;
      const from = byStage.findIndex((n, i) => i !== 1 && n > 0);
      if (from >= 0) byStage[from]--;
    }
    const namer = new SchoolNamer(cs);
    const list: SchoolSpec[] = [];
    // Senior high schools before junior ones, so they get the low numbers (第一中学 is the 高中).
    const count = (st: Stage) => byStage[STAGE_MIX.findIndex(([s]) => s === st)];
    const plan: [Stage, number][] = (['kindergarten', 'primary', 'senior', 'junior', 'vocational'] as Stage[]).map((st) => [st, count(st)] as [Stage, number]);
    plan.push(['special', special]);
    for (const [stage, count] of plan) {
      for (let k = 0; k < count; k++) {
        // The first school of a stage is in town; later ones are township schools half of the time outside districts.
        const rural =
          k > 0 && (cs.type !== 'district' ? rng.chance(0.65) : rng.chance(0.2)) && stage !== 'vocational' && stage !== 'special' && stage !== 'senior';
        const mongolian = cs.type === 'banner' && k === 1 && (stage === 'primary' || stage === 'junior' || stage === 'kindergarten');
        const name = namer.name(stage, k, rural, mongolian);
        const org = add({ code: '', name, level: 'school', kind: 'school', stage, parentId: null, budget: null }, bureau);
        org.code = `${cs.code}${String(list.length + 1).padStart(4, '0')}`;
        list.push({ org, county: ci, stage, teachers: 0, firstTeacher: 0, rural, weak: false, mongolian });
      }
    }
    counties.push({ bureau, devCenter, schools: list });
    schools.push(...list);
  });

  // Teachers per school: stage size × place × noise, scaled to the requested total; at least 3 each.
  const sizeWeights = schools.map((s) => {
    const place = COUNTIES[s.county].type === 'district' ? 1.2 : COUNTIES[s.county].type === 'county' ? 1 : 0.85;
    return STAGE_SIZE[s.stage] * place * (s.rural ? 0.6 : 1) * (0.6 + rng.next() * 0.8);
  });
  const minEach = Math.min(3, Math.floor(teachers / schools.length));
  const counts = apportion(teachers - minEach * schools.length, sizeWeights).map((n) => n + minEach);
  let first = 0;
  schools.forEach((s, i) => {
    s.teachers = counts[i];
    s.firstTeacher = first;
    first += counts[i];
    s.org.budget = Math.round((s.teachers * BUDGET_PER_TEACHER[s.stage] * (0.85 + rng.next() * 0.3)) / 1000) * 1000;
  });

  const demoCounty = 0;
  const demoSchool = counties[demoCounty].schools.find((s) => s.stage === 'primary')!;
  // About one school in ten lags behind; never the demo school, so its pages look like a normal school.
  for (const s of schools) s.weak = s !== demoSchool && rng.chance(0.1);
  return { orgs, province, city, cityDevCenter, institutions, counties, schools, demoCounty, demoSchool };
}
