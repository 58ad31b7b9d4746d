import type { Queryable } from '../../db/db.js';
import type { Pii } from '../../platform/crypto.js';
import { isoOf, yearOf } from '../../demo/calendar.js';
import { makeNationalId } from '../../demo/national-ids.js';
import type { OrgPlan } from '../../demo/org-plan.js';
import { insertSanction } from './sanctions.repository.js';

/**
 * Demo 诚信档案 (issue 12 items 3–4) of the demo county: last year's 师德考核 and this year's 师德承诺书 at the demo
 * school, two 入职宣誓, two honours, one 警告 in force at another school (its 一票否决 shows on 学员选派 and 师德考核),
 * and two 行业禁入 decisions of other regions registered by the county's 师德专干 (try them on 准入查询).
 */
export async function seedDemoIntegrity(
  q: Queryable,
  pii: Pii,
  o: { plan: OrgPlan; refDay: number; schoolAdmin: number; countyAdmin: number },
): Promise<Record<string, number>> {
  const county = o.plan.counties[o.plan.demoCounty];
  const school = o.plan.demoSchool;
  const other = county.schools.find((s) => s !== school && s.teachers >= 3) ?? school;
  const year = yearOf(o.refDay);
  const today = isoOf(o.refDay);
  const nth = (s: typeof school, k: number) => s.firstTeacher + 1 + (k % s.teachers);
  const n = Math.min(12, school.teachers);
  const signed = `${year}-02-26` <= today ? `${year}-02-26` : `${year - 1}-02-26`;
  const signedYear = signed.slice(0, 4);
  for (let k = 0; k < n; k++) {
    await q.query(`INSERT INTO ethics_appraisals (teacher_id, year, result, recorded_by_org_id, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6)`, [
      nth(school, k),
      year - 1,
      k % 6 === 1 ? 'excellent' : 'pass',
      school.org.id,
      o.schoolAdmin,
      `${year}-01-10T02:00:00Z`,
    ]);
    await q.query(`INSERT INTO ethics_pledges (teacher_id, kind, signed_on, note, recorded_by_org_id, recorded_by) VALUES ($1,'pledge',$2,$3,$4,$5)`, [
      nth(school, k),
      signed,
      `${signedYear} 年度师德承诺书`,
      school.org.id,
      o.schoolAdmin,
    ]);
  }
  for (const k of [n, n + 1])
    await q.query(
      `INSERT INTO ethics_pledges (teacher_id, kind, signed_on, note, recorded_by_org_id, recorded_by) VALUES ($1,'oath',$2,'新教师入职宣誓仪式',$3,$4)`,
      [nth(school, k), `${year - 1}-09-01`, school.org.id, o.schoolAdmin],
    );
  const honours: [number, string, string][] = [
    [nth(school, 1), '旗县级优秀教师', 'county'],
    [nth(school, 7), '市级师德标兵', 'city'],
  ];
  for (const [t, title, level] of honours)
    await q.query(
      `INSERT INTO teacher_honours (teacher_id, title, level, awarded_on, awarding_org, recorded_by_org_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [t, title, level, `${year - 1}-09-10`, level === 'city' ? o.plan.city.name : county.bureau.name, county.bureau.id, o.countyAdmin],
    );
  const decided = isoOf(o.refDay - 40);
  await insertSanction(q, {
    teacherId: nth(other, 2),
    caseId: null,
    kind: 'warning',
    decidedOn: decided,
    validFrom: decided,
    validUntil: isoOf(o.refDay - 40 + 182),
    decisionNo: `${county.bureau.name.slice(0, 2)}教师德〔${yearOf(o.refDay - 40)}〕3号`,
    reason: '违规组织有偿补课（违反新时代中小学教师职业行为十项准则第九条）',
    decidedByOrgId: county.bureau.id,
    recordedBy: o.countyAdmin,
  });
  const bans: [string, string, string][] = [
    [makeNationalId('150203', '1979-04-18', 9001, 'male'), '王某', '塞南市教育局行业禁入决定（塞南教发〔2024〕17号）'],
    [makeNationalId('150404', '1986-11-02', 9002, 'female'), '李某', '北疆自治区某区人民法院刑事判决（从业禁止）'],
  ];
  for (const [nid, name, source] of bans)
    await q.query(
      `INSERT INTO ethics_bans (national_id_idx, national_id_enc, name_enc, source, decided_on, valid_from, registered_by_org_id, registered_by)
       VALUES ($1,$2,$3,$4,$5,$5,$6,$7)`,
      [pii.blindIndex(nid), pii.encrypt(nid), pii.encrypt(name), source, `${year - 1}-06-18`, county.bureau.id, o.countyAdmin],
    );
  return { integrityRecords: n * 2 + 4, sanctions: 1, bans: bans.length };
}
