import type { Queryable } from '../../db/db.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';

/**
 * The to-do centre's counts: one query per kind, each counting the work itself (never unread messages), scoped to
 * the caller's org subtree or to the caller. Each returns how many wait (n) and since when the oldest waits
 * (oldest), and takes one parameter ($1): the caller fact named by `of`.
 */
export interface Waiting {
  n: number;
  oldest: Date | string | null;
}

/** The caller fact a count is scoped by: the data scope, the own org (path or id), the account, the teacher record. */
export type CountParam = 'scopePath' | 'orgPath' | 'orgId' | 'userId' | 'teacherId';

export interface CountQuery {
  of: CountParam;
  sql: string;
}

export const COUNTS = {
  /** Claims at the school step (待学校审核) of teachers in the subtree. */
  claimsAtSchool: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(c.submitted_at) AS oldest
       FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE c.status = 'submitted' AND o.path LIKE $1 || '%'`,
  },

  /**
   * Claims at the county step (待区县审核) whose school has the caller's bureau as its nearest bureau above (the one
   * the claims service notifies): a city does not count the claims its counties review.
   */
  claimsAtCounty: {
    of: 'orgPath',
    sql: `SELECT count(*)::int AS n, min(c.submitted_at) AS oldest
       FROM hour_claims c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE c.status = 'schoolApproved' AND o.path LIKE $1 || '%'
        AND NOT EXISTS (SELECT 1 FROM orgs b WHERE b.kind = 'bureau' AND b.path LIKE $1 || '_%' AND o.path LIKE b.path || '%' AND b.id <> o.id)`,
  },

  /** Self-enrolments (自主报名) waiting for the decision of the teacher's school. */
  enrolmentRequests: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(e.enrolled_at) AS oldest
       FROM enrolments e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE e.status = 'pending' AND o.path LIKE $1 || '%'`,
  },

  /**
   * Projects that gave the org a quota (名额) it has not filled yet — neither nominated nor passed on — while
   * nominating is still possible; "oldest" is the earliest start date (the deadline to nominate by).
   */
  nominations: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min(p.start_date) AS oldest
       FROM project_quotas pq JOIN projects p ON p.id = pq.project_id
      WHERE pq.org_id = $1 AND pq.quota > 0 AND p.status IN ('filed','planReview','open')
        AND (p.start_date IS NULL OR p.start_date >= ${SQL_TODAY_IN_CHINA})
        AND pq.quota > (SELECT count(*) FROM enrolments e WHERE e.project_id = pq.project_id AND e.quota_org_id = pq.org_id AND e.status IN ('approved','pending'))
                     + COALESCE((SELECT sum(c.quota) FROM project_quotas c WHERE c.project_id = pq.project_id AND c.parent_org_id = pq.org_id), 0)`,
  },

  /** Projects whose next move is the org's (立项审批, 备案, 方案审核, 学时认定确认): the 待我审批 inbox. */
  projectApprovals: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min((SELECT max(h.at) FROM project_history h WHERE h.project_id = p.id)) AS oldest
       FROM projects p WHERE p.pending_org_id = $1`,
  },

  /** 学时更正申请 addressed to an org of the subtree, still open. */
  corrections: {
    of: 'orgPath',
    sql: `SELECT count(*)::int AS n, min(r.requested_at) AS oldest
       FROM ledger_correction_requests r JOIN orgs o ON o.id = r.owner_org_id
      WHERE r.status = 'pending' AND o.path LIKE $1 || '%'`,
  },

  /** Record changes (教师档案) teachers of the subtree have sent (报送) for review. */
  recordChanges: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(c.submitted_at) AS oldest
       FROM record_changes c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id
      WHERE c.status = 'pending' AND o.path LIKE $1 || '%'`,
  },

  /** 人员变动 requests the org must approve and has not approved yet. */
  moves: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min(m.filed_at) AS oldest
       FROM teacher_moves m
      WHERE m.status = 'pending' AND $1 = ANY(m.approver_org_ids)
        AND NOT EXISTS (SELECT 1 FROM teacher_move_steps s WHERE s.move_id = m.id AND s.action = 'approve' AND s.org_id = $1)`,
  },

  /** Projects a 评审专家 (through any pool entry linked to the account) is assigned to and has not scored. */
  expertReviews: {
    of: 'userId',
    sql: `SELECT count(*)::int AS n, min(pe.assigned_at) AS oldest
       FROM project_experts pe JOIN experts e ON e.id = pe.expert_id
      WHERE e.user_id = $1
        AND NOT EXISTS (SELECT 1 FROM expert_scores s WHERE s.project_id = pe.project_id AND s.expert_id = pe.expert_id)`,
  },

  /** Open evaluation surveys (培训评价) of projects the teacher attended, not answered yet. */
  surveys: {
    of: 'teacherId',
    sql: `SELECT count(*)::int AS n, min(s.created_at) AS oldest
       FROM surveys s
      WHERE s.status = 'open'
        AND EXISTS (SELECT 1 FROM attendance a JOIN project_sessions ps ON ps.id = a.session_id WHERE ps.project_id = s.project_id AND a.teacher_id = $1)
        AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = s.id AND r.teacher_id = $1)`,
  },

  /** The teacher's claims returned for correction (退回修改). */
  claimsReturned: {
    of: 'teacherId',
    sql: `SELECT count(*)::int AS n, min(c.updated_at) AS oldest FROM hour_claims c WHERE c.teacher_id = $1 AND c.status = 'returned'`,
  },

  /** The teacher's record changes returned by the 信息管理员. */
  recordChangesReturned: {
    of: 'teacherId',
    sql: `SELECT count(*)::int AS n, min(COALESCE(c.decided_at, c.updated_at)) AS oldest FROM record_changes c WHERE c.teacher_id = $1 AND c.status = 'returned'`,
  },

  /** 师德通报 sent to the caller's school and not confirmed yet (not withdrawn). */
  ethicsNotices: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min(n.published_at) AS oldest
       FROM ethics_notice_schools s JOIN ethics_notices n ON n.id = s.notice_id
      WHERE s.school_org_id = $1 AND s.confirmed_at IS NULL AND n.withdrawn_at IS NULL`,
  },

  /**
   * 师德案件 of the subtree waiting for the 师德专干: open, except those told to the teacher whose appeal period still
   * runs (办结 waits for it). Oldest: when the case was opened.
   */
  ethicsCases: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(c.opened_at) AS oldest
       FROM ethics_cases c JOIN orgs o ON o.id = c.handling_org_id
      WHERE o.path LIKE $1 || '%' AND c.stage <> 'closed'
        AND NOT (c.stage = 'notified' AND c.outcome IS DISTINCT FROM 'noViolation'
                 AND c.appeal_by >= (now() AT TIME ZONE 'Asia/Shanghai')::date)`,
  },

  // ---------------------------------------------------------------- 骨干教师 (issue 13 item 2, key-teachers)
  /** Open 骨干教师 rounds where the caller's org has quota left, before the deadline. Oldest: the nearest deadline. */
  keyTeacherNominations: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min(r.nominate_until)::text AS oldest
       FROM key_teacher_rounds r JOIN key_teacher_round_quotas q ON q.round_id = r.id
      WHERE q.org_id = $1 AND r.status = 'nominating' AND r.nominate_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date
        AND q.quota > (SELECT count(*) FROM key_teacher_nominations n WHERE n.round_id = r.id AND n.quota_org_id = q.org_id AND n.status <> 'withdrawn')`,
  },
  /** Nominations waiting for review in the subtree's rounds under review. Oldest: when nominated. */
  keyTeacherReviews: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(n.nominated_at) AS oldest
       FROM key_teacher_nominations n JOIN key_teacher_rounds r ON r.id = n.round_id JOIN orgs o ON o.id = r.org_id
      WHERE o.path LIKE $1 || '%' AND r.status = 'reviewing' AND n.status = 'nominated'`,
  },
  /** 工作室 applications the caller's org names and has not decided yet (申报中, 评审中). */
  studioReviews: {
    of: 'orgId',
    sql: `SELECT count(*)::int AS n, min(s.applied_at) AS oldest FROM studios s WHERE s.naming_org_id = $1 AND s.status IN ('applying', 'reviewing')`,
  },

  // ---------------------------------------------------------------- 课题, 学历提升 (issue 13 item 5, growth)
  /** 课题 applications (已申报) the caller's bureau approves (the devCenter: the bureau it serves). Oldest: when applied. */
  researchReviews: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(p.applied_at) AS oldest
       FROM research_projects p JOIN orgs ao ON ao.id = p.approving_org_id
      WHERE p.status = 'applied' AND ao.path = $1`,
  },
  /** 学历提升 plans of the subtree whose teacher asked to confirm completion and the school has not answered. */
  upgradeCompletions: {
    of: 'scopePath',
    sql: `SELECT count(*)::int AS n, min(r.at) AS oldest
       FROM upgrade_plans p JOIN teachers t ON t.id = p.teacher_id JOIN orgs o ON o.id = t.org_id
       JOIN LATERAL (SELECT g.kind, g.at FROM upgrade_progress g
                      WHERE g.plan_id = p.id AND g.kind IN ('completionRequested','returned','completed')
                      ORDER BY g.id DESC LIMIT 1) r ON true
      WHERE p.status = 'active' AND r.kind = 'completionRequested' AND o.path LIKE $1 || '%'`,
  },
} as const satisfies Record<string, CountQuery>;

/** Runs one count with its parameter. */
export async function countWaiting(q: Queryable, sql: string, param: string | number): Promise<Waiting> {
  const r = await q.query<Waiting>(sql, [param]);
  return r.rows[0] ?? { n: 0, oldest: null };
}
