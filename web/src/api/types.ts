/**
 * Response shapes of the server API as the UI uses them. Where a server module declares or infers the
 * shape, it is taken from there (type-only imports, erased at build); the rest are web-only.
 */
import type { FormBody, Returned, Wire } from './wire';
import type { OrgNode as ServerOrgNode } from '../../../server/src/modules/orgs/orgs.routes';
import type { me } from '../../../server/src/modules/auth/auth.service';
import type { TeacherDto as ServerTeacherDto, teacherHistory, unmaskTeacher } from '../../../server/src/modules/teachers/teachers.service';
import type { TeacherInput as ServerTeacherInput } from '../../../server/src/modules/teachers/teachers.schema';
import type { ProjectInput as ServerProjectInput } from '../../../server/src/modules/projects/projects.schema';
import type { PreviewResult } from '../../../server/src/modules/teachers/teachers.import';
import type { timeline as teacherTimeline } from '../../../server/src/modules/teachers/teacher-facts.service';
import type { LedgerEntryDto, hoursSummary, teacherHours } from '../../../server/src/modules/ledger/ledger.service';
import type {
  ProjectDto as ServerProjectDto,
  SessionDto as ServerSessionDto,
  getProject,
  myProjects,
  projectHistory,
} from '../../../server/src/modules/projects/projects.service';
import type { TransitionResult as ServerTransitionResult, approvalInbox } from '../../../server/src/modules/projects/lifecycle.service';
import type { enrol, listEnrolments } from '../../../server/src/modules/projects/enrolment.service';
import type { checkinToken, checkIn, scanCheckin, sessionAttendance } from '../../../server/src/modules/projects/attendance.service';
import type { RuleDto, getPolicy, listPolicies, publishVersion, validatePolicyText } from '../../../server/src/modules/policies/policies.service';
import type { SummaryDto, WorkItem, teacherStatus, trend, worklist } from '../../../server/src/modules/compliance/compliance.service';
import type { OrgChild, ResultDto, RuleSummary, TeacherChild, Totals } from '../../../server/src/modules/compliance/compliance.summary';

export type { Role } from '../../../server/src/platform/access';

/** Who is signed in, the role they act in and the others they may switch to. */
export type Me = Returned<typeof me>;
export type MyRole = Me['roles'][number];

export interface DemoAccount {
  username: string;
  password: string;
  label: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

export type OrgNode = Wire<ServerOrgNode>;

export type TeacherDto = Wire<ServerTeacherDto>;
export type TeacherRoleDto = TeacherDto['roles'][number];
/** What the teacher form sends (POST /teachers, PUT /teachers/:id with version). */
export type TeacherInput = FormBody<ServerTeacherInput> & { version?: number };
export type Unmasked = Returned<typeof unmaskTeacher>;
export type HistoryEntry = Returned<typeof teacherHistory>[number];
export type TimelineItem = Returned<typeof teacherTimeline>['items'][number];

export type LedgerEntry = Wire<LedgerEntryDto>;
export type TeacherHours = Returned<typeof teacherHours>;
export type HoursYear = TeacherHours['years'][number];
export type HoursSummary = Returned<typeof hoursSummary>;
export type HoursSummaryRow = HoursSummary['rows'][number];

export type ImportPreview = Wire<PreviewResult>;
export type ImportRowPreview = ImportPreview['rows'][number];
export type { CommitResult as ImportResult } from '../../../server/src/modules/teachers/teachers.import';
export type { ImportError } from '../../../server/src/modules/teachers/teachers.import-columns';

export type { PlanModule, Audience } from '../../../server/src/modules/projects/lifecycle';
export type ProjectDto = Wire<ServerProjectDto>;
/** What the project form sends (POST /projects, PUT /projects/:id). */
export type ProjectInput = FormBody<ServerProjectInput>;
export type SessionDto = Wire<ServerSessionDto>;
export type ProjectDetail = Returned<typeof getProject>;
export type AllowedAction = ProjectDetail['allowedActions'][number];
export type ProjectHistoryEntry = Returned<typeof projectHistory>[number];
export type TransitionResult = Wire<ServerTransitionResult>;
export type ApprovalItem = Returned<typeof approvalInbox>['items'][number];
export type EnrolmentDto = Returned<typeof listEnrolments>['items'][number];
export type EnrolResult = Returned<typeof enrol>;
export type AttendanceList = Returned<typeof sessionAttendance>;
export type AttendanceRow = AttendanceList['items'][number];
export type CheckinToken = Returned<typeof checkinToken>;
/** A scan's answer; fields are optional because the page also holds the empty state before a scan. */
export type CheckinResult = Partial<Returned<typeof checkIn>>;
/** The scan of a teacher not logged in yet: a ticket for this browser (POST /checkin/scan). */
export type CheckinScan = Returned<typeof scanCheckin>;
export type CloseResult = NonNullable<TransitionResult['recognition']>;

/** One enrolled project as the teacher sees it (GET /my/projects). */
export type MyProject = Returned<typeof myProjects>[number];
/** One of the teacher's sessions with their own attendance. */
export type MySession = MyProject['sessions'][number];

// ---- policies and compliance (server/src/modules/policies, server/src/modules/compliance)

/** A rule as the server presents it (presentRule). */
export type PolicyRule = Wire<RuleDto>;
/** Where a rule's figure comes from: the seed file, its section and the seed's own words. */
export type RuleCite = PolicyRule['cite'];
/** What a rule judges: one teacher, a school, a county bureau, the whole region, or a training project. */
export type RuleSubject = PolicyRule['subject'];
export type RuleKind = PolicyRule['kind'];
export type { Status as ComplianceStatus } from '../../../server/src/modules/policies/policy.evaluate';

export type PolicyListItem = Returned<typeof listPolicies>['items'][number];
export type PolicyAttachment = PolicyListItem['attachments'][number];
export type PolicyPeriod = PolicyListItem['period'];

/**
 * The parsed document's rule as the UI reads it: the presented fields plus the raw selector, window and
 * figures, loosely (web-only: the server's Rule is a union the editor does not need to tell apart).
 */
export interface ParsedRule {
  id: string;
  kind: RuleKind;
  title: string;
  label?: string;
  cite: RuleCite;
  openFigure?: string;
  assumptions?: string[];
  note?: string;
  who?: Record<string, unknown>;
  window?: Record<string, unknown>;
  deadline?: string;
  [k: string]: unknown;
}

type ServerPolicyDetail = Returned<typeof getPolicy>;
export type PolicyDetail = Omit<ServerPolicyDetail, 'parsed'> & { parsed: { rules: ParsedRule[]; period: { from: string; to: string } } };
export type PolicyVersionDto = PolicyDetail['versions'][number];

/** A validation error: the dotted field path ('' for the document), 1-based line and column. */
export type { PolicyError } from '../../../server/src/modules/policies/policy.loader';
export type PolicyValidation = Returned<typeof validatePolicyText>;
export type PublishResult = Returned<typeof publishVersion>;

export type ComplianceTotals = Totals;
export type ComplianceResult = ResultDto;
export type ComplianceRuleSummary = Wire<RuleSummary>;
export type ComplianceOrgChild = OrgChild;
export type ComplianceTeacherChild = TeacherChild;
export type ComplianceSummary = Wire<SummaryDto>;
export type ComplianceTrend = Returned<typeof trend>;
/** One requirement of one teacher: the result, its rule, and the seed's words. */
export type ComplianceWorkItem = Wire<WorkItem>;
export type ComplianceWorklist = Returned<typeof worklist>;
export type TeacherCompliance = Returned<typeof teacherStatus>;
