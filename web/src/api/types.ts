/**
 * Response shapes of the server API as the UI uses them. Where a server module declares or infers the
 * shape, it is taken from there (type-only imports, erased at build); the rest are web-only.
 */
import type { FormBody, Returned, Wire } from './wire';
import type { OrgNode as ServerOrgNode } from '../../../server/src/modules/orgs/orgs.routes';
import type { TeacherDto as ServerTeacherDto, teacherHistory, unmaskTeacher } from '../../../server/src/modules/teachers/teachers.service';
import type { TeacherInput as ServerTeacherInput } from '../../../server/src/modules/teachers/teachers.schema';
import type { ProjectInput as ServerProjectInput } from '../../../server/src/modules/projects/projects.schema';
import type { PreviewResult } from '../../../server/src/modules/teachers/teachers.import';
import type { LedgerEntryDto, hoursSummary, teacherHours } from '../../../server/src/modules/ledger/ledger.service';
import type { ProjectDto as ServerProjectDto, SessionDto as ServerSessionDto, getProject, myProjects, projectHistory } from '../../../server/src/modules/projects/projects.service';
import type { TransitionResult as ServerTransitionResult, approvalInbox } from '../../../server/src/modules/projects/lifecycle.service';
import type { enrol, listEnrolments } from '../../../server/src/modules/projects/enrolment.service';
import type { checkinToken, checkIn, sessionAttendance } from '../../../server/src/modules/projects/attendance.service';

export type Role = 'bureauAdmin' | 'schoolAdmin' | 'teacher' | 'institution' | 'devCenter';

export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  orgId: number;
  orgName: string;
  orgLevel: string;
  teacherId: number | null;
  permissions: string[];
}

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

export type LedgerEntry = Wire<LedgerEntryDto>;
export type TeacherHours = Returned<typeof teacherHours>;
export type HoursYear = TeacherHours['years'][number];
export type HoursSummary = Returned<typeof hoursSummary>;
export type HoursSummaryRow = HoursSummary['rows'][number];

export type ImportPreview = Wire<PreviewResult>;
export type ImportRowPreview = ImportPreview['rows'][number];
export type { ImportError, CommitResult as ImportResult } from '../../../server/src/modules/teachers/teachers.import';

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
export type CloseResult = NonNullable<TransitionResult['recognition']>;

/** One enrolled project as the teacher sees it (GET /my/projects). */
export type MyProject = Returned<typeof myProjects>[number];
/** One of the teacher's sessions with their own attendance. */
export type MySession = MyProject['sessions'][number];

// ---- policies and compliance (server/src/modules/policies, server/src/modules/compliance)

/** Where a rule's figure comes from: the seed file, its section and the seed's own words. */
export interface RuleCite {
  file?: string;
  section: string;
  text: string;
}

/** What a rule judges: one teacher, a school, a county bureau, the whole region, or a training project. */
export type RuleSubject = 'teacher' | 'school' | 'county' | 'region' | 'project';
export type RuleKind = 'hours' | 'credential' | 'staffing' | 'target' | 'participation' | 'funding' | 'planContent';
export type ComplianceStatus = 'compliant' | 'shortfall' | 'noData' | 'notApplicable';

/** A rule as the server presents it (presentRule). */
export interface PolicyRule {
  id: string;
  kind: RuleKind;
  kindLabel: string;
  title: string;
  subject: RuleSubject;
  unit: string;
  atLeast: number | null;
  openFigure: string | null;
  assumptions: string[];
  note: string | null;
  cite: RuleCite;
}

export interface PolicyAttachment {
  orgId: number;
  orgCode: string;
  orgName: string;
  orgLevel: string;
}

export interface PolicyPeriod {
  from: string;
  /** null: the seed sets no end date. */
  to: string | null;
}

export interface PolicyListItem {
  id: number;
  key: string;
  title: string;
  issuer: string | null;
  version: number;
  versionId: number;
  publishedAt: string;
  period: PolicyPeriod;
  sourceFile: string;
  ruleCount: number;
  ruleKinds: RuleKind[];
  /** here: attached to the caller's org; above: inherited; below: a sub-org's own; unattached: library entry. */
  relation: 'here' | 'above' | 'below' | 'unattached';
  inForce: boolean;
  attachments: PolicyAttachment[];
}

/** The parsed document's rule: the presented fields plus the raw selector, window and figures. */
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

export interface PolicyVersionDto {
  version: number;
  versionId: number;
  publishedAt: string;
  publishedBy: string | null;
  note: string | null;
  sha256: string;
}

export interface PolicyDetail {
  id: number;
  key: string;
  title: string;
  issuer: string | null;
  origin: string;
  version: number;
  versionId: number;
  latestVersion: number;
  text: string;
  source: { file: string; title?: string; date?: string };
  appliesTo: { org?: string; name?: string; level?: string };
  period: PolicyPeriod;
  notes: string[];
  rules: PolicyRule[];
  parsed: { rules: ParsedRule[]; period: { from: string; to: string } };
  versions: PolicyVersionDto[];
  attachments: PolicyAttachment[];
  canPublish: boolean;
}

/** A validation error: the dotted field path ('' for the document), 1-based line and column. */
export interface PolicyError {
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface PolicyValidation {
  ok: boolean;
  errors: PolicyError[];
  policy: { key: string; version: number; title: string; period: PolicyPeriod; rules: PolicyRule[] } | null;
}

export interface PublishResult {
  id: number;
  version: number;
  versionId: number;
}

export interface ComplianceTotals {
  subjects: number;
  compliant: number;
  shortfall: number;
  overdue: number;
  noData: number;
  notApplicable: number;
  /** compliant ÷ (compliant + shortfall); null when nothing could be judged. */
  share: number | null;
}

export interface ComplianceResult {
  status: ComplianceStatus;
  required: number | null;
  done: number | null;
  shortfall: number | null;
  deadline: string | null;
  overdue: boolean;
  window: string | null;
  explanation: string;
}

export interface ComplianceRuleSummary extends PolicyRule {
  totals: ComplianceTotals;
  result: ComplianceResult | null;
  failing: (ComplianceResult & { subjectType: string; subjectId: number; name: string })[];
}

export interface ComplianceOrgChild {
  type: 'org';
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  totals: Record<string, ComplianceTotals>;
  results: Record<string, ComplianceResult>;
}

export interface ComplianceTeacherChild {
  type: 'teacher';
  id: number;
  name: string;
  nationalIdMask: string;
  stage: string;
  subjects: string[];
  results: Record<string, ComplianceResult>;
}

export interface ComplianceSummary {
  policy: { id: number; key: string; title: string; version: number; versionId: number };
  org: { id: number; code: string; name: string; level: string; kind: string };
  asOf: string;
  policyState: 'notStarted' | 'active' | 'ended';
  evaluatedOn: string;
  filters: { stage?: string; subject?: string; role?: string };
  roots: { id: number; name: string }[];
  runId: number | null;
  durationMs: number;
  computedAt: string;
  cached: boolean;
  /** Data changed since computedAt; the server is recomputing. */
  stale: boolean;
  rules: ComplianceRuleSummary[];
  children: (ComplianceOrgChild | ComplianceTeacherChild)[];
  teachers: { evaluated: number; compliantAll: number; share: number | null };
}

export interface ComplianceTrend {
  policy: { id: number; title: string; version: number };
  org: { id: number; name: string };
  points: {
    asOf: string;
    teachers: { evaluated: number; compliantAll: number; share: number | null };
    rules: Record<string, { share: number | null; compliant: number; shortfall: number; status: ComplianceStatus | null }>;
  }[];
}

/** One requirement of one teacher: the result, its rule, and the seed's words. */
export interface ComplianceWorkItem extends ComplianceResult {
  policyId: number;
  policyTitle: string;
  ruleId: string;
  ruleTitle: string;
  unit: string;
  /** year: this calendar year; cycle: a multi-year period; standing: no window (credentials …). */
  horizon: 'year' | 'cycle' | 'standing';
  cite: RuleCite & { file: string };
  assumptions: string[];
}

export interface ComplianceWorklist {
  org: { id: number; name: string; level: string; kind: string };
  asOf: string;
  policies: { id: number; title: string; version: number }[];
  total: number;
  page: number;
  pageSize: number;
  items: {
    teacher: { id: number; name: string; orgId: number; orgName: string; nationalIdMask: string; stage: string; subjects: string[] };
    items: ComplianceWorkItem[];
    earliestDeadline: string | null;
    overdue: boolean;
  }[];
}

export interface TeacherCompliance {
  teacher: { id: number; name: string; orgId: number; orgName: string };
  asOf: string;
  thisYear: ComplianceWorkItem[];
  thisCycle: ComplianceWorkItem[];
  standing: ComplianceWorkItem[];
  outstanding: number;
  policies: { id: number; key: string; title: string; version: number; items: ComplianceWorkItem[] }[];
}
