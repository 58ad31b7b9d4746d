import type { Queryable } from '../../db/db.js';
import type { Pii } from '../../platform/crypto.js';
import { addDays } from '../policies/policy.windows.js';

/**
 * Demo 案件 of the demo county, handled by its 师德专干 (`ethics.officer`): one just opened (上级交办), one under
 * investigation with its findings, one closed with 批评教育. Cases opened without a report (the reports and their
 * cases come from the intake demo). Teachers are taken from a school of the county other than the demo school, so
 * the demo school's teachers (and the `teacher` login) are untouched. Deterministic: fixed order by id.
 */
export async function seedDemoCases(q: Queryable, pii: Pii, o: { countyBureauId: number; demoSchoolId: number; asOf: string }): Promise<number> {
  const officer = (
    await q.query<{ id: number }>(
      `SELECT user_id AS id FROM user_roles WHERE role = 'ethicsOfficer' AND org_id = $1 AND revoked_at IS NULL ORDER BY id LIMIT 1`,
      [o.countyBureauId],
    )
  ).rows[0]?.id;
  if (!officer) return 0;
  const teachers = (
    await q.query<{ id: number }>(
      `SELECT t.id FROM teachers t JOIN orgs s ON s.id = t.org_id
        WHERE s.parent_id = $1 AND s.kind = 'school' AND s.id <> $2 AND t.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.teacher_id = t.id)
        ORDER BY t.id DESC LIMIT 3`,
      [o.countyBureauId, o.demoSchoolId],
    )
  ).rows.map((r) => r.id);
  if (teachers.length < 3) return 0;
  const at = (days: number) => `${addDays(o.asOf, days)} 09:30:00+08`;
  const open = async (teacherId: number, origin: string, category: string, description: string, days: number) => {
    const id = (
      await q.query<{ id: number }>(
        `INSERT INTO ethics_cases (teacher_id, handling_org_id, category, origin, description_enc, opened_by, opened_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [teacherId, o.countyBureauId, category, origin, pii.encrypt(description), officer, at(days)],
      )
    ).rows[0].id;
    await event(id, 'open', null, 'accepted', days, { origin });
    return id;
  };
  const event = (caseId: number, action: string, from: string | null, to: string | null, days: number, data: Record<string, unknown> = {}) =>
    q.query(`INSERT INTO ethics_case_events (case_id, action, from_stage, to_stage, by_user, at, data) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb)`, [
      caseId,
      action,
      from,
      to,
      officer,
      at(days),
      JSON.stringify(data),
    ]);
  const stage = (id: number, set: string, params: unknown[] = []) => q.query(`UPDATE ethics_cases SET ${set} WHERE id = $1`, [id, ...params]);

  await open(teachers[0], 'assigned', 'tutoring', '市教育局转办：家长反映该教师在校外培训机构兼职授课。', -3);

  const b = await open(teachers[1], 'inspection', 'care', '学期检查发现：课堂上罚学生长时间站立。', -20);
  await event(b, 'investigate', 'accepted', 'investigating', -18, { investigatorId: officer });
  await event(b, 'findings', 'investigating', 'investigating', -10, {
    textEnc: pii.encrypt('经走访学生和家长，情况基本属实，情节较轻，已当面批评。'),
    fileIds: [],
  });
  await stage(b, `stage = 'investigating', investigator_id = $2`, [officer]);

  const c = await open(teachers[2], 'inspection', 'integrity', '节日检查发现：收受家长赠送的购物卡。', -75);
  const decidedOn = addDays(o.asOf, -45);
  await event(c, 'investigate', 'accepted', 'investigating', -72, { investigatorId: officer });
  await event(c, 'findings', 'investigating', 'investigating', -50, {
    textEnc: pii.encrypt('经查，该教师收受购物卡一张（面值 500 元），已退还。'),
    fileIds: [],
  });
  const sanction = (
    await q.query<{ id: number }>(
      `INSERT INTO ethics_sanctions (teacher_id, case_id, kind, decided_on, valid_from, valid_until, decision_no, reason, decided_by_org_id, recorded_by)
       VALUES ($1,$2,'criticism',$3,$3,NULL,'师德处〔演示〕1号','违反十项准则第九条（不得收受礼品礼金），情节较轻，已退还',$4,$5) RETURNING id`,
      [teachers[2], c, decidedOn, o.countyBureauId, officer],
    )
  ).rows[0].id;
  const decision = {
    outcome: 'criticism',
    outcomeLabel: '批评教育',
    decidedOn,
    decisionNo: '师德处〔演示〕1号',
    reason: '违反十项准则第九条（不得收受礼品礼金），情节较轻，已退还',
    validFrom: decidedOn,
    validUntil: null,
    sanctionId: sanction,
  };
  await event(c, 'decide', 'investigating', 'decided', -45, { decision });
  await event(c, 'notify', 'decided', 'notified', -44, { appealBy: addDays(o.asOf, -29) });
  await event(c, 'close', 'notified', 'closed', -25, { effects: null, answered: false });
  await stage(c, `stage = 'closed', investigator_id = $2, outcome = 'criticism', notified_at = $3, appeal_by = $4, closed_at = $5`, [
    officer,
    at(-44),
    addDays(o.asOf, -29),
    at(-25),
  ]);
  return 3;
}
