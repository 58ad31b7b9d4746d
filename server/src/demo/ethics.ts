import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import type { Pii } from '../platform/crypto.js';
import { SANCTION_LABELS, insertSanction, type SanctionKind } from '../modules/integrity/sanctions.repository.js';
import { renderName } from '../modules/ethics-notices/name-mask.js';
import { isoOf, stamp } from './calendar.js';
import type { OrgPlan } from './org-plan.js';
import type { DemoUsers } from './training-gen.js';

/** The 师德专干 demo account (users id 8, see seed.ts writeUsers). */
const OFFICER = 8;

/**
 * The demo's tracking code and its secret (only the hash is stored, as intake stores it): printed in the demo log so a
 * tester can follow this anonymous report on the public tracking page. Demo data only.
 */
export const DEMO_TRACKING_CODE = 'DEMQ3RPT';
export const DEMO_TRACKING_SECRET = 'DEMQ7KX4MT9PACHW';
const secretHash = (code: string, secret: string) => createHash('sha256').update(`ethics-report:${code}:${secret}`).digest('hex');
const formatCode = (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`;
const formatSecret = (s: string) => s.match(/.{1,4}/g)?.join('-') ?? s;

interface ReportPlan {
  code: string;
  channel: 'web' | 'phone' | 'letter';
  category: string;
  content: string;
  anonymous: boolean;
  reporter?: { name: string; phone: string; relation: string };
  /** Days before the reference day. */
  ago: number;
  school: number;
  teacher: number | null;
  status: 'received' | 'accepted' | 'rejected' | 'closed';
  respondedAgo?: number;
  answeredAgo?: number;
  answer?: string;
  escalated?: boolean;
  /** The case this report became: its stage now, and its sanction if decided. */
  case?: { stage: 'investigating' | 'decided' | 'notified' | 'closed'; sanction?: { kind: SanctionKind; decidedAgo: number; months: number | null } };
}

/**
 * 师德师风 demo data (issue 12) for the demo county, next to intake's reports and cases' cases (their demo files): a
 * report answered in time whose case ended in a 记过 in force (the 通报's case), a 举报电话 call under investigation, a
 * case told to the teacher (批评教育), a letter past both deadlines and
 * escalated to the city, a fresh anonymous report whose tracking code and secret the log prints, an earlier year's
 * case whose 警告 has ended (integrity's demo registers the 禁入 decisions), one published 通报 that some
 * schools confirmed, and one 警示教育 meeting on the county's latest 师德 session with its check-ins. Content and
 * identities sealed with the app's key (ctx.pii) as the modules seal them. Small: a few dozen rows.
 */
export async function seedDemoEthics(
  q: Queryable,
  o: { plan: OrgPlan; users: DemoUsers; refDay: number; pii: Pii; log: (m: string) => void },
): Promise<Record<string, number>> {
  const { plan, refDay, pii } = o;
  const county = plan.counties[plan.demoCounty];
  const bureau = county.bureau.id;
  const schools = county.schools.filter((s) => s.teachers >= 3).slice(0, 4);
  // A tiny demo (a few dozen teachers, as some browser tests seed) may have no school big enough: nothing to show.
  if (!schools.length) {
    o.log('师德示例数据：示例区县没有 3 名以上教师的学校，跳过');
    return {};
  }
  const teacherOf = (i: number, k: number) => {
    const s = schools[i % schools.length];
    return s.firstTeacher + 1 + ((k + 1) % s.teachers);
  };
  const nameOf = async (teacherId: number) => (await q.query<{ name: string }>('SELECT name FROM teachers WHERE id = $1', [teacherId])).rows[0]?.name ?? '';
  const day = (ago: number) => isoOf(refDay - ago);

  const reports: ReportPlan[] = [
    {
      code: 'DEMQ6TUT',
      channel: 'web',
      category: 'tutoring',
      content: '该教师寒假期间在家中组织本班学生有偿补课，每人每期收费一千二百元，有收费聊天记录截图。',
      anonymous: false,
      reporter: { name: '王建军', phone: '13904781234', relation: '学生家长' },
      ago: 120,
      school: 0,
      teacher: teacherOf(0, 1),
      status: 'closed',
      respondedAgo: 117,
      answeredAgo: 90,
      answer: '经调查，反映的有偿补课问题属实，已给予该教师记过处分，并在全县通报。感谢您的监督。',
      case: { stage: 'closed', sanction: { kind: 'demerit', decidedAgo: 95, months: 12 } },
    },
    {
      code: 'DEMQ9GFT',
      channel: 'phone',
      category: 'integrity',
      content: '来电反映：教师节前该教师暗示家长送购物卡，家长群内有相关聊天记录。',
      anonymous: true,
      ago: 30,
      school: 1,
      teacher: teacherOf(1, 2),
      status: 'accepted',
      respondedAgo: 27,
      case: { stage: 'investigating' },
    },
    {
      code: 'DEMQ4CAR',
      channel: 'web',
      category: 'care',
      content: '孩子因作业未完成被罚站一整节课，并被当众讽刺，回家后情绪低落。',
      anonymous: false,
      reporter: { name: '李秀英', phone: '13847812345', relation: '学生家长' },
      ago: 40,
      school: 2,
      teacher: teacherOf(2, 3),
      status: 'accepted',
      respondedAgo: 37,
      case: { stage: 'notified', sanction: { kind: 'criticism', decidedAgo: 12, months: null } },
    },
    {
      code: 'DEMQ7TTR',
      channel: 'letter',
      category: 'teaching',
      content: '来信反映：该教师长期在校外培训机构兼职授课，上课敷衍，布置作业后即离开教室。',
      anonymous: false,
      reporter: { name: '刘桂兰', phone: '15047816789', relation: '学生家长' },
      ago: 45,
      school: 3,
      teacher: null,
      status: 'received',
      escalated: true,
    },
    {
      code: DEMO_TRACKING_CODE,
      channel: 'web',
      category: 'culture',
      content: '该教师在班级群转发未经核实的网络谣言，家长中造成恐慌。',
      anonymous: true,
      ago: 3,
      school: 2,
      teacher: null,
      status: 'received',
    },
  ];

  let nReports = 0;
  let nCases = 0;
  let nSanctions = 0;
  let noticeCase: number | null = null;
  for (const r of reports) {
    const received = refDay - r.ago;
    const school = schools[r.school % schools.length].org.id;
    const secret = r.code === DEMO_TRACKING_CODE ? DEMO_TRACKING_SECRET : createHash('sha256').update(`demo-secret:${r.code}`).digest('hex').slice(0, 16);
    const subject = r.teacher ? await nameOf(r.teacher) : null;
    const rep = await q.query<{ id: number }>(
      `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, school_org_id, teacher_id, subject_name_enc,
         category, content_enc, anonymous, reporter_enc, received_at, received_by, respond_by, conclude_by, status, first_response_at,
         escalated_to_org_id, escalated_at, answer, answered_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22) RETURNING id`,
      [
        r.code,
        secretHash(r.code, secret),
        stamp(received + 365, '23:59'),
        r.channel,
        bureau,
        school,
        r.status === 'accepted' || r.status === 'closed' ? r.teacher : null,
        subject ? pii.encrypt(subject) : null,
        r.category,
        pii.encrypt(r.content),
        r.anonymous,
        r.reporter ? pii.encrypt(JSON.stringify(r.reporter)) : null,
        stamp(received, r.channel === 'phone' ? '10:12' : '21:36'),
        r.channel === 'web' ? null : OFFICER,
        // 受理 within 5 working days, 办结 within 30 (the platform defaults), in calendar days here.
        day(r.ago - 7),
        day(r.ago - 42),
        r.status,
        r.respondedAgo !== undefined ? stamp(refDay - r.respondedAgo, '09:30') : r.answeredAgo !== undefined ? stamp(refDay - r.answeredAgo, '16:00') : null,
        r.escalated ? plan.city.id : null,
        r.escalated ? stamp(received + 8, '01:00') : null,
        r.answer ?? null,
        r.answeredAgo !== undefined ? stamp(refDay - r.answeredAgo, '16:00') : null,
      ],
    );
    nReports++;
    if (!r.case || !r.teacher) continue;
    const opened = refDay - (r.respondedAgo ?? r.ago);
    const c = await q.query<{ id: number }>(
      `INSERT INTO ethics_cases (report_id, teacher_id, handling_org_id, category, stage, investigator_id, school_informed, opened_by, opened_at, closed_at,
         origin, outcome, notified_at, appeal_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'report',$11,$12,$13) RETURNING id`,
      [
        rep.rows[0].id,
        r.teacher,
        bureau,
        r.category,
        r.case.stage,
        OFFICER,
        r.case.stage !== 'investigating',
        OFFICER,
        stamp(opened, '09:30'),
        r.case.stage === 'closed' ? stamp(refDay - (r.answeredAgo ?? 0), '16:00') : null,
        r.case.sanction?.kind ?? null,
        r.case.sanction && r.case.stage !== 'decided' ? stamp(refDay - r.case.sanction.decidedAgo + 2, '10:00') : null,
        r.case.sanction && r.case.stage !== 'decided' ? isoOf(refDay - r.case.sanction.decidedAgo + 17) : null,
      ],
    );
    const caseId = c.rows[0].id;
    nCases++;
    const ev = async (action: string, from: string | null, to: string, ago: number, data: object = {}, comment: string | null = null) =>
      q.query('INSERT INTO ethics_case_events (case_id, action, from_stage, to_stage, by_user, at, comment, data) VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb)', [
        caseId,
        action,
        from,
        to,
        OFFICER,
        stamp(refDay - ago, '10:00'),
        comment,
        JSON.stringify(data),
      ]);
    const openedAgo = refDay - opened;
    await ev('open', null, 'accepted', openedAgo, { reportId: rep.rows[0].id });
    await ev('investigate', 'accepted', 'investigating', openedAgo - 1, { investigatorId: OFFICER, investigatorName: '孙立新' });
    const s = r.case.sanction;
    if (!s) continue;
    await ev('findings', 'investigating', 'investigating', s.decidedAgo + 3, {
      textEnc: pii.encrypt('经走访家长、学生及查阅聊天记录，反映问题基本属实。'),
      fileIds: [],
    });
    const from = refDay - s.decidedAgo;
    const until = s.months === null ? null : isoOf(from + Math.round(s.months * 30.4) - 1);
    const sanctionId = await insertSanction(q, {
      teacherId: r.teacher,
      caseId,
      kind: s.kind,
      decidedOn: isoOf(from),
      validFrom: isoOf(from),
      validUntil: until,
      decisionNo: `${county.bureau.name.slice(0, 3)}教师德〔${isoOf(from).slice(0, 4)}〕${nSanctions + 1}号`,
      reason: r.content.slice(0, 40),
      decidedByOrgId: bureau,
      recordedBy: OFFICER,
    });
    nSanctions++;
    const decision = {
      outcome: s.kind,
      outcomeLabel: SANCTION_LABELS[s.kind],
      decidedOn: isoOf(from),
      decisionNo: null,
      reason: r.content.slice(0, 40),
      validFrom: isoOf(from),
      validUntil: until,
      sanctionId,
    };
    await ev('decide', 'investigating', 'decided', s.decidedAgo, { decision });
    if (r.case.stage === 'decided') continue;
    await ev('notify', 'decided', 'notified', s.decidedAgo - 2, { appealBy: isoOf(from + 17) });
    if (r.case.stage === 'closed') {
      await ev('close', 'notified', 'closed', r.answeredAgo ?? 0, { effects: [], answered: true }, r.answer ?? null);
      noticeCase = caseId;
    }
  }

  // A sanction of an earlier year, ended: a case opened from an inspection (no report), 警告 for six months.
  const oldTeacher = teacherOf(3, 5);
  const old = await q.query<{ id: number }>(
    `INSERT INTO ethics_cases (teacher_id, handling_org_id, category, stage, investigator_id, school_informed, opened_by, opened_at, closed_at, origin, outcome)
     VALUES ($1,$2,'integrity','closed',$3,true,$3,$4,$5,'inspection','warning') RETURNING id`,
    [oldTeacher, bureau, OFFICER, stamp(refDay - 460, '09:00'), stamp(refDay - 420, '16:00')],
  );
  await q.query(
    `INSERT INTO ethics_case_events (case_id, action, from_stage, to_stage, by_user, at, data) VALUES ($1,'open',NULL,'accepted',$2,$3,'{"origin":"inspection"}')`,
    [old.rows[0].id, OFFICER, stamp(refDay - 460, '09:00')],
  );
  await insertSanction(q, {
    teacherId: oldTeacher,
    caseId: old.rows[0].id,
    kind: 'warning',
    decidedOn: day(430),
    validFrom: day(430),
    validUntil: day(430 - 182),
    decisionNo: null,
    reason: '专项检查发现收受学生家长礼品',
    decidedByOrgId: bureau,
    recordedBy: OFFICER,
  });
  nSanctions++;
  nCases++;

  // One 典型问题通报 of the closed case, to every school of the county; some confirmed.
  const caseTeacher = reports[0].teacher as number;
  const notice = await q.query<{ id: number }>(
    `INSERT INTO ethics_notices (publisher_org_id, target_org_id, title, body, case_id, sanction_kind, name_mask, subject_label, published_on, published_by, published_at)
     VALUES ($1,$1,$2,$3,$4,'demerit','surname',$5,$6,$7,$8) RETURNING id`,
    [
      bureau,
      '关于一起教师违规有偿补课问题的通报',
      `各学校：\n近日，我局查处一起教师违规有偿补课问题。${schools[0].org.name}教师${renderName(await nameOf(caseTeacher), 'surname')}在寒假期间组织本班学生有偿补课，违反了《新时代中小学教师职业行为十项准则》第十条。经调查核实，给予其记过处分。\n各学校要以案为鉴，组织全体教师认真学习，开展警示教育，并于收到本通报后确认。`,
      noticeCase,
      renderName(await nameOf(caseTeacher), 'surname'),
      day(60),
      OFFICER,
      stamp(refDay - 60, '15:00'),
    ],
  );
  const noticeId = notice.rows[0].id;
  await q.query(`INSERT INTO ethics_notice_schools (notice_id, school_org_id) SELECT $1, o.id FROM orgs o WHERE o.kind = 'school' AND o.path LIKE $2 || '%'`, [
    noticeId,
    county.bureau.path,
  ]);
  // Two other schools of the county confirmed, each by its admin: the first teacher account there, given the school's
  // 学校管理员 role as school.admin is at the demo school; the demo school has not confirmed yet (school.admin can).
  const confirmers = await q.query<{ user_id: number; org_id: number }>(
    `SELECT DISTINCT ON (t.org_id) u.id AS user_id, t.org_id FROM users u JOIN teachers t ON t.id = u.teacher_id
      WHERE t.org_id = ANY($1::int[]) AND t.status = 'active' ORDER BY t.org_id, u.id`,
    [
      schools
        .filter((x) => x !== plan.demoSchool)
        .slice(0, 2)
        .map((x) => x.org.id),
    ],
  );
  for (const [i, c] of confirmers.rows.entries()) {
    await q.query(`INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, 'schoolAdmin', $2)`, [c.user_id, c.org_id]);
    await q.query('UPDATE ethics_notice_schools SET confirmed_at = $3, confirmed_by = $4 WHERE notice_id = $1 AND school_org_id = $2', [
      noticeId,
      c.org_id,
      stamp(refDay - 59 + i, '09:10'),
      c.user_id,
    ]);
  }
  const confirmed = confirmers;

  // One 警示教育 meeting: the county's latest past 师德 session with check-ins, studying the notice.
  const session = await q.query<{ id: number; date: string; place: string }>(
    `SELECT s.id, s.date::text AS date, s.place FROM project_sessions s JOIN projects p ON p.id = s.project_id JOIN orgs o ON o.id = p.org_id
      WHERE o.path LIKE $1 || '%' AND s.category = 'ethics' AND s.date < $2::date AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id)
      ORDER BY s.date DESC, s.id LIMIT 1`,
    [county.bureau.path, isoOf(refDay)],
  );
  const sess = session.rows[0];
  const meeting = await q.query<{ id: number }>(
    `INSERT INTO ethics_meetings (org_id, held_on, place, topic, session_id, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [
      bureau,
      sess?.date ?? day(50),
      sess?.place ?? '教育局三楼会议室',
      '以案为鉴 警钟长鸣——师德师风警示教育大会',
      sess?.id ?? null,
      OFFICER,
      stamp(refDay - 1, '17:00'),
    ],
  );
  await q.query('INSERT INTO ethics_meeting_notices (meeting_id, notice_id) VALUES ($1,$2)', [meeting.rows[0].id, noticeId]);

  o.log(
    `师德演示数据：举报 ${nReports} 件、案件 ${nCases} 件、处理 ${nSanctions} 项、通报 1 期（${confirmed.rows.length} 所学校已确认）、警示教育会议 1 场；` +
      `匿名举报查询码 ${formatCode(DEMO_TRACKING_CODE)}，查询密码 ${formatSecret(DEMO_TRACKING_SECRET)}（仅演示数据）`,
  );
  return { ethics_reports: nReports, ethics_cases: nCases, ethics_sanctions: nSanctions, ethics_notices: 1, ethics_meetings: 1 };
}
