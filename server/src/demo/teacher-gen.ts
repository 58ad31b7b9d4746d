import type { TeacherInput } from '../modules/teachers/teachers.schema.js';
import type { KEY_CATEGORIES, KEY_LEVELS, MANDARIN_LEVELS, Stage, SUBJECTS, TeacherRole, TITLES } from '../platform/vocab.js';
import { dayOf, isoOf, ymd } from './calendar.js';
import { COUNTIES, GIVEN_FEMALE, GIVEN_MALE, MONGOLIAN_FEMALE, MONGOLIAN_MALE, SURNAMES } from './names.js';
import { makeNationalId } from './national-ids.js';
import type { SchoolSpec } from './org-plan.js';
import { Rng, weightedPicker } from './prng.js';

type Subject = (typeof SUBJECTS)[number];
type Weighted<T> = readonly (readonly [T, number])[];

/** Bit flags of what a teacher is, for choosing who goes to which training. */
export const F = {
  psychFull: 1,
  psychPart: 2,
  ideology: 4,
  key: 8,
  vocationalSubject: 16,
  dualQualified: 32,
  newTeacher: 64,
  mentor: 128,
  active: 256,
} as const;

/**
 * Compact per-teacher facts the training generator needs, in typed arrays so a million teachers
 * fit in a few tens of megabytes. Days are day numbers (calendar.ts); 0 means "none".
 */
export class TeacherTraits {
  readonly school: Int32Array;
  readonly hireDay: Int32Array;
  readonly exitDay: Int32Array;
  readonly homeroomSince: Int32Array;
  readonly flags: Uint16Array;
  /** Probability of attending a session this teacher is enrolled in (before the school's own factor). */
  readonly diligence: Float32Array;
  constructor(readonly n: number) {
    this.school = new Int32Array(n);
    this.hireDay = new Int32Array(n);
    this.exitDay = new Int32Array(n);
    this.homeroomSince = new Int32Array(n);
    this.flags = new Uint16Array(n);
    this.diligence = new Float32Array(n);
  }
}

const SUBJECTS_BY_STAGE: Record<Stage, Weighted<Subject>> = {
  kindergarten: [['学前教育', 1]],
  primary: [
    ['语文', 30],
    ['数学', 25],
    ['英语', 9],
    ['音乐', 5],
    ['体育', 7],
    ['美术', 5],
    ['科学', 5],
    ['道德与法治', 4],
    ['信息技术', 3],
    ['心理健康', 1],
    ['劳动', 2],
    ['综合实践', 3],
  ],
  junior: [
    ['语文', 14],
    ['数学', 14],
    ['英语', 13],
    ['物理', 7],
    ['化学', 5],
    ['生物', 5],
    ['历史', 6],
    ['地理', 5],
    ['道德与法治', 7],
    ['音乐', 3],
    ['体育', 6],
    ['美术', 3],
    ['信息技术', 3],
    ['心理健康', 2],
    ['劳动', 1],
  ],
  senior: [
    ['语文', 13],
    ['数学', 13],
    ['英语', 13],
    ['物理', 9],
    ['化学', 8],
    ['生物', 7],
    ['历史', 6],
    ['地理', 6],
    ['思想政治', 7],
    ['音乐', 2],
    ['体育', 5],
    ['美术', 2],
    ['信息技术', 4],
    ['心理健康', 2],
  ],
  vocational: [
    ['专业课', 52],
    ['语文', 9],
    ['数学', 9],
    ['英语', 7],
    ['思想政治', 6],
    ['体育', 5],
    ['信息技术', 6],
    ['心理健康', 2],
    ['美术', 2],
    ['音乐', 2],
  ],
  special: [
    ['语文', 25],
    ['数学', 22],
    ['音乐', 10],
    ['体育', 12],
    ['美术', 10],
    ['劳动', 12],
    ['心理健康', 9],
  ],
};
const subjectPickers = Object.fromEntries(Object.entries(SUBJECTS_BY_STAGE).map(([s, w]) => [s, weightedPicker(w)])) as Record<Stage, (r: Rng) => Subject>;

/** Subjects whose 科证相符 rate the policies watch: mismatches are more common there. */
const WATCHED = new Set<Subject>(['音乐', '体育', '美术', '劳动', '科学', '心理健康', '信息技术', '综合实践']);
const CORE_CERT_SUBJECTS: Subject[] = ['语文', '数学', '英语', '语文', '数学', '历史', '生物'];

const QUAL_TYPE: Record<Stage, string> = {
  kindergarten: '幼儿园教师资格',
  primary: '小学教师资格',
  junior: '初级中学教师资格',
  senior: '高级中学教师资格',
  vocational: '中等职业学校教师资格',
  special: '小学教师资格',
};

const HOMEROOM_FACTOR: Partial<Record<Subject, number>> = { 语文: 1.75, 数学: 1.45, 英语: 1.1, 学前教育: 1.0, 专业课: 0.9 };

const pickSurname = weightedPicker(SURNAMES);
const PHONE_PREFIXES = [
  '139',
  '138',
  '137',
  '136',
  '135',
  '150',
  '151',
  '152',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '177',
  '180',
  '189',
  '199',
  '191',
];

const MANDARIN_CHINESE: Weighted<keyof typeof MANDARIN_LEVELS | null> = [
  ['1A', 2],
  ['1B', 25],
  ['2A', 60],
  ['2B', 10],
  ['3A', 1],
  [null, 2],
];
const MANDARIN_OTHER: Weighted<keyof typeof MANDARIN_LEVELS | null> = [
  ['1B', 7],
  ['2A', 38],
  ['2B', 45],
  ['3A', 6],
  ['3B', 1],
  [null, 3],
];
const MANDARIN_MONGOLIAN: Weighted<keyof typeof MANDARIN_LEVELS | null> = [
  ['2A', 25],
  ['2B', 50],
  ['3A', 18],
  ['3B', 4],
  [null, 3],
];
const KEY_LEVEL: Weighted<keyof typeof KEY_LEVELS> = [
  ['school', 40],
  ['county', 35],
  ['city', 18],
  ['province', 6],
  ['national', 1],
];
const KEY_CATEGORY: Weighted<keyof typeof KEY_CATEGORIES> = [
  ['keyTeacher', 70],
  ['subjectLeader', 20],
  ['masterTeacher', 10],
];
/**
 * Birth years as years before the reference year (61 … 25): few of the oldest six years (most women born then
 * have retired), many in between, fewer of the youngest three (still studying).
 */
const BIRTH_AGES: Weighted<number> = Array.from({ length: 37 }, (_, k) => [61 - k, k < 6 ? 0.35 : k > 33 ? 0.7 : 1] as const);
const pickBirthAge = weightedPicker(BIRTH_AGES);

export interface TeacherGenContext {
  seed: number;
  /** The reference date ("today" of the demo data, the seed's asOf) as a day number, and the year before it. */
  refDay: number;
  lastYear: number;
  /** Used national-id keys (county, birth day, sequence): ids must be unique. */
  usedIds: Set<number>;
  /** Per-school share of 双师型 among 专业课 teachers (some schools below the 70 % target). */
  dualShare: Map<number, number>;
}

function phone(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

function personName(rng: Rng, gender: 'male' | 'female', mongolian: boolean): string {
  if (mongolian) return rng.pick(gender === 'male' ? MONGOLIAN_MALE : MONGOLIAN_FEMALE);
  const chars = gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.32) ? rng.pick(chars) : rng.pick(chars) + rng.pick(chars);
  return pickSurname(rng) + given;
}

/** A unique valid 身份证号: on a clash (same county, birthday and sequence) the sequence moves on by two. */
function nationalId(ctx: TeacherGenContext, rng: Rng, county: number, birthDay: number, gender: 'male' | 'female'): string {
  let seq = rng.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
  for (;;) {
    const key = (county * 40_000 + (birthDay - dayOf('1950-01-01'))) * 1000 + seq;
    if (!ctx.usedIds.has(key)) {
      ctx.usedIds.add(key);
      break;
    }
    seq = (seq + 2) % 1000;
  }
  return makeNationalId(COUNTIES[county].code, isoOf(birthDay), seq, gender);
}

/**
 * Teacher number `i` (0-based) of the city, who works at `school` as its `k`-th teacher. Pure apart from
 * ctx.usedIds; the same seed gives the same teacher. Writes the training-relevant facts into `traits`.
 */
export function generateTeacher(ctx: TeacherGenContext, traits: TeacherTraits, i: number, school: SchoolSpec, k: number, forceHomeroom: boolean): TeacherInput {
  const rng = Rng.of(ctx.seed, 'teacher', i);
  const stage = school.stage;
  const county = COUNTIES[school.county];
  const femaleShare = { kindergarten: 0.96, primary: 0.76, junior: 0.62, senior: 0.5, vocational: 0.48, special: 0.72 }[stage];
  const gender: 'male' | 'female' = rng.chance(femaleShare) ? 'female' : 'male';
  const mongolian = school.mongolian ? rng.chance(0.6) : county.type === 'banner' ? rng.chance(0.18) : rng.chance(0.02);
  const name = personName(rng, gender, mongolian);

  const refYear = ctx.lastYear + 1;
  const birthYear = refYear - pickBirthAge(rng);
  const birthDay = ymd(birthYear, 1, 1) + rng.int(0, 364);

  // Education first: it decides the age at hiring.
  const young = birthYear >= refYear - 40;
  const education = rng.weighted<'secondary' | 'associate' | 'bachelor' | 'master' | 'doctor'>(
    birthYear < refYear - 51
      ? [
          ['secondary', 5],
          ['associate', 45],
          ['bachelor', 50],
        ]
      : stage === 'kindergarten'
        ? [
            ['associate', 45],
            ['bachelor', 53],
            ['master', 2],
          ]
        : young
          ? [
              ['associate', 7],
              ['bachelor', stage === 'senior' ? 62 : 74],
              ['master', stage === 'senior' ? 30 : 18],
              ['doctor', 1],
            ]
          : [
              ['associate', 20],
              ['bachelor', 72],
              ['master', 8],
            ],
  );
  const hireAge = { secondary: rng.int(18, 20), associate: rng.int(20, 22), bachelor: rng.int(22, 24), master: rng.int(25, 27), doctor: rng.int(28, 30) }[
    education
  ];
  let hireYear = birthYear + hireAge + (rng.chance(0.08) ? rng.int(1, 8) : 0);
  if (hireYear > refYear) hireYear = refYear;
  let hireDay = rng.chance(0.05) && hireYear < refYear ? ymd(hireYear, 3, 1) : rng.chance(0.8) ? ymd(hireYear, 9, 1) : ymd(hireYear, 8, rng.int(15, 31));
  // Nobody is hired after the reference date: this year's new hires, before their September, were hired last year.
  if (hireDay > ctx.refDay) hireDay = ymd(--hireYear, 9, 1);
  const years = refYear - hireYear;

  // Status: women retire at 55, men at 60; about 1 % transferred out in the last two years.
  const retireDay = birthDay + Math.round((gender === 'female' ? 55 : 60) * 365.25);
  let status: 'active' | 'retired' | 'transferred' = 'active';
  let exitDay = 0;
  if (retireDay < ctx.refDay) {
    status = 'retired';
    exitDay = retireDay;
  } else if (years >= 3 && rng.chance(0.01)) {
    status = 'transferred';
    exitDay = ymd(ctx.lastYear - rng.int(0, 1), rng.pick([2, 7, 8]), rng.int(1, 28));
  }

  const main = forceHomeroom
    ? '语文'
    : k === 1 && school.teachers >= 12 && stage !== 'kindergarten' && Rng.of(ctx.seed, 'psych', school.org.id).chance(0.78)
      ? '心理健康'
      : subjectPickers[stage](rng);
  const subjects: Subject[] = [main];
  if (main !== '学前教育' && main !== '心理健康' && rng.chance(0.12)) {
    const second = subjectPickers[stage](rng);
    if (second !== main && second !== '专业课') subjects.push(second);
  }

  // Roles.
  const roles: TeacherInput['roles'] = [];
  let flags = status === 'active' ? F.active : 0;
  let homeroomSince = 0;
  if (main === '心理健康') {
    roles.push({ role: 'psychFullTime', since: isoOf(hireDay) });
    flags |= F.psychFull;
  } else if ((k === 2 || k === 3 || (k > 3 && rng.chance(0.01))) && stage !== 'kindergarten' && rng.chance(0.8)) {
    roles.push({ role: 'psychPartTime', since: isoOf(Math.max(hireDay, ymd(refYear - 7 + rng.int(0, 6), 9, 1))) });
    flags |= F.psychPart;
  }
  const homeroomP = 0.195 * (HOMEROOM_FACTOR[main] ?? 0.42) * (stage === 'senior' ? 1.15 : 1);
  if (status === 'active' && main !== '心理健康' && (forceHomeroom || rng.chance(homeroomP))) {
    // Most start in September; about one in eight started mid-year (pro-rated by the policies).
    const fromYear = Math.max(hireYear, refYear - 18);
    const y = rng.chance(0.45) ? rng.int(Math.max(fromYear, ctx.lastYear - 2), ctx.lastYear) : rng.int(fromYear, ctx.lastYear);
    let since = rng.chance(0.13) ? ymd(y, rng.pick([2, 3, 4]), rng.int(1, 28)) : ymd(y, 9, 1);
    if (forceHomeroom) since = ymd(Math.min(Math.max(fromYear, ctx.lastYear - 4), ctx.lastYear), 9, 1);
    homeroomSince = Math.max(since, hireDay);
    roles.push({ role: 'homeroom', since: isoOf(homeroomSince) });
  }
  if (main === '思想政治' || main === '道德与法治') {
    roles.push({ role: 'ideology', since: isoOf(hireDay) });
    flags |= F.ideology;
  }
  if (main === '专业课') {
    roles.push({ role: 'vocationalSubject', since: isoOf(hireDay) });
    flags |= F.vocationalSubject;
    const share = ctx.dualShare.get(school.org.id) ?? 0.7;
    if (years >= 2 && rng.chance(share)) {
      roles.push({ role: 'dualQualified', since: isoOf(Math.min(ctx.refDay, Math.max(hireDay + 730, ymd(refYear - 10, 1, 1) + rng.int(0, 3000)))) });
      flags |= F.dualQualified;
    }
  }
  const newTeacher = hireDay >= ymd(ctx.lastYear - 2, 1, 1);
  if (newTeacher && status === 'active') {
    roles.push({ role: 'newTeacher', since: isoOf(hireDay) });
    flags |= F.newTeacher;
  }

  // Title by years of service, with the date it was obtained.
  type Title = keyof typeof TITLES;
  const title: Title =
    years < 1
      ? 'none'
      : years <= 3
        ? rng.weighted<Title>([
            ['second', 65],
            ['third', stage === 'kindergarten' ? 20 : 5],
            ['none', 30],
          ])
        : years <= 10
          ? rng.weighted<Title>([
              ['second', 45],
              ['first', 55],
            ])
          : years <= 20
            ? rng.weighted<Title>([
                ['second', 8],
                ['first', 60],
                ['senior', 32],
              ])
            : rng.weighted<Title>([
                ['second', 3],
                ['first', 43],
                ['senior', 52],
                ['fullSenior', 2],
              ]);
  const titleAfter = { none: 0, third: 1, second: 1, first: rng.int(5, 8), senior: rng.int(11, 17), fullSenior: rng.int(22, 28) }[title];
  const titleDay = title === 'none' ? 0 : Math.min(ymd(hireYear + titleAfter, 12, rng.int(1, 28)), ctx.refDay - 30);

  // 教师资格: usually the school's stage and the subject taught; a few hold another subject (科证不符) or none.
  const hasQual = rng.chance(stage === 'kindergarten' ? 0.94 : 0.985);
  const qualStage: Stage = stage === 'special' ? 'primary' : stage === 'junior' && rng.chance(0.08) ? 'senior' : stage;
  const mismatch = WATCHED.has(main) ? rng.chance(0.14) : rng.chance(0.04);
  const qualSubject =
    stage === 'kindergarten'
      ? null
      : mismatch
        ? rng.pick(CORE_CERT_SUBJECTS.filter((s) => s !== main))
        : main === '专业课'
          ? rng.pick(['机电技术应用', '计算机应用', '会计事务', '汽车运用与维修', '畜牧兽医', '旅游服务与管理'])
          : main;
  const certYear = Math.max(hireYear - rng.int(0, 2), birthYear + 19);
  const lapsed = rng.chance(0.06);
  let expiryYear = certYear + 5;
  while (expiryYear < ctx.lastYear) expiryYear += 5;
  if (lapsed) expiryYear = ctx.lastYear - rng.int(0, 1);

  // 普通话: 语文 teachers should reach 二级甲等, others 二级乙等; some do not yet.
  const mandarinLevel = rng.weighted(mongolian ? MANDARIN_MONGOLIAN : main === '语文' ? MANDARIN_CHINESE : MANDARIN_OTHER);

  const certificates: string[] = [];
  if (flags & F.psychFull && rng.chance(0.58)) certificates.push('国家二级心理咨询师');
  if (flags & F.psychPart && rng.chance(0.12)) certificates.push('国家二级心理咨询师');
  if (main === '信息技术' && rng.chance(0.3)) certificates.push('全国计算机等级考试二级');
  if (rng.chance(0.02)) certificates.push('家庭教育指导师');

  // 骨干: about one teacher in ten, only after five years and a 一级 title.
  const isKey = years >= 5 && (title === 'first' || title === 'senior' || title === 'fullSenior') && status === 'active' && rng.chance(0.19);
  if (isKey) {
    flags |= F.key;
    if (years >= 15 && rng.chance(0.4)) {
      roles.push({ role: 'mentor', since: isoOf(ymd(ctx.lastYear - rng.int(0, 3), 9, 1)) });
      flags |= F.mentor;
    }
  }

  // How reliably this teacher turns up: most nearly always, a few rarely (far short of 360 h in five years).
  let diligence = rng.weighted([
    [0.975, 75],
    [0.9, 14],
    [0.65, 7],
    [0.3, 4],
  ]);
  if (forceHomeroom) diligence = 0.975;

  traits.school[i] = school.org.id;
  traits.hireDay[i] = hireDay;
  traits.exitDay[i] = exitDay;
  traits.homeroomSince[i] = homeroomSince;
  traits.flags[i] = flags;
  traits.diligence[i] = diligence;

  const stageDigit = { kindergarten: 1, primary: 2, junior: 3, senior: 4, vocational: 5, special: 2 }[stage];
  const input: TeacherInput = {
    name,
    nationalId: nationalId(ctx, rng, school.county, birthDay, gender),
    phone: rng.chance(0.96) ? phone(rng) : null,
    orgId: school.org.id,
    employment: rng.chance(stage === 'kindergarten' ? 0.34 : 0.1) ? 'contract' : 'staff',
    stage,
    subjects,
    hireDate: isoOf(hireDay),
    education,
    secondDegree:
      education === 'associate' && rng.chance(0.25)
        ? rng.pick(['本科（函授）', '本科（自学考试）'])
        : education === 'bachelor' && rng.chance(0.05)
          ? '研究生（在职）'
          : null,
    title,
    titleDate: titleDay ? isoOf(titleDay) : null,
    qualificationType: hasQual ? (main === '专业课' && rng.chance(0.2) ? '中等职业学校实习指导教师资格' : QUAL_TYPE[stage]) : null,
    qualificationStage: hasQual ? qualStage : null,
    qualificationSubject: hasQual ? qualSubject : null,
    qualificationNo: hasQual ? `${certYear}${county.code}${stageDigit}${String(i % 1_000_000).padStart(6, '0')}` : null,
    qualificationExpiry: hasQual ? isoOf(ymd(expiryYear, 8, 31)) : null,
    mandarinLevel,
    certificates,
    roles: roles.map((r) => ({ role: r.role as TeacherRole, since: r.since })),
    keyLevel: isKey ? rng.weighted(KEY_LEVEL) : null,
    keyCategory: isKey ? rng.weighted(KEY_CATEGORY) : null,
    keyTermEnd: isKey ? isoOf(ymd(rng.chance(0.1) ? ctx.lastYear : ctx.lastYear + rng.int(1, 2), 8, 31)) : null,
    partyMember: rng.chance(birthYear < refYear - 46 ? 0.45 : 0.3),
    status,
  };
  return input;
}
