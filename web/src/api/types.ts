/** Response shapes of the server API as the UI uses them (mirrors server/src/modules/<name>/<name>.routes.ts). */

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

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
  teacherCount: number;
  totalTeachers: number;
  children: OrgNode[];
}

export interface TeacherRoleDto {
  role: string;
  since: string | null;
}

export interface TeacherDto {
  id: number;
  orgId: number;
  orgName: string;
  name: string;
  nationalIdMasked: string;
  phoneMasked: string | null;
  gender: string | null;
  birthDate: string | null;
  employment: string;
  stage: string;
  subjects: string[];
  hireDate: string | null;
  education: string | null;
  secondDegree: string | null;
  title: string | null;
  titleDate: string | null;
  qualificationType: string | null;
  qualificationStage: string | null;
  qualificationSubject: string | null;
  qualificationNo: string | null;
  qualificationExpiry: string | null;
  mandarinLevel: string | null;
  certificates: string[];
  roles: TeacherRoleDto[];
  keyLevel: string | null;
  keyCategory: string | null;
  keyTermEnd: string | null;
  partyMember: boolean;
  status: string;
  version: number;
}

/** What the teacher form sends (POST /teachers, PUT /teachers/:id with version). */
export interface TeacherInput {
  name: string;
  nationalId: string;
  phone?: string | null;
  orgId: number;
  employment: string;
  stage: string;
  subjects: string[];
  hireDate?: string | null;
  education?: string | null;
  secondDegree?: string | null;
  title?: string | null;
  titleDate?: string | null;
  qualificationType?: string | null;
  qualificationStage?: string | null;
  qualificationSubject?: string | null;
  qualificationNo?: string | null;
  qualificationExpiry?: string | null;
  mandarinLevel?: string | null;
  certificates: string[];
  roles: TeacherRoleDto[];
  keyLevel?: string | null;
  keyCategory?: string | null;
  keyTermEnd?: string | null;
  partyMember: boolean;
  status: string;
  version?: number;
}

export interface Unmasked {
  nationalId: string;
  phone: string | null;
}

export interface HistoryEntry {
  id: number;
  at: string;
  source: string;
  userName: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface LedgerEntry {
  id: number;
  hours: number;
  category: string;
  occurredOn: string;
  sourceType: string;
  projectId: number | null;
  projectName: string | null;
  description: string | null;
  sourceRef: string | null;
  recognisedByName: string | null;
  recognisedAt: string | null;
  reversesId: number | null;
  reversedById: number | null;
  reason: string | null;
}

export interface HoursYear {
  year: number;
  total: number;
  byCategory: Record<string, number>;
}

export interface TeacherHours {
  teacher: { id: number; name: string; orgName: string };
  years: HoursYear[];
  entries: LedgerEntry[];
}

export interface HoursSummaryRow {
  id: number;
  name: string;
  kind: 'org' | 'teacher';
  teachers: number;
  totalHours: number;
  avgHours: number;
  byCategory: Record<string, number>;
}

export interface HoursSummary {
  org: { id: number; name: string; level: string };
  year: number;
  rows: HoursSummaryRow[];
}

export interface ImportRowPreview {
  row: number;
  name: string | null;
  nationalIdMasked: string | null;
  orgName: string | null;
  action: 'create' | 'update' | 'unchanged' | 'error';
  messages: string[];
}

export interface ImportError {
  row: number;
  column: string | null;
  field: string | null;
  message: string;
}

export interface ImportPreview {
  batchId: number;
  fileName?: string;
  /** Data rows in the file; `rows` may show only the first few hundred. */
  total?: number;
  counts: { create: number; update: number; unchanged: number; error: number };
  errors: ImportError[];
  rows: ImportRowPreview[];
  columns?: string[];
  ignoredColumns?: string[];
  previouslyCommitted?: { batchId: number; committedAt: string } | null;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface PlanModule {
  title: string;
  hours: number;
  category: string;
}

export interface Audience {
  stages: string[];
  subjects: string[];
  roles: string[];
  titles: string[];
}

export interface ProjectDto {
  id: number;
  code: string;
  name: string;
  level: string;
  form: string;
  categories: string[];
  targetHours: number;
  startDate: string;
  endDate: string;
  /** Lifecycle state (draft … evaluated); statusLabel is its Chinese name. */
  status: string;
  statusLabel: string;
  orgId: number;
  orgName: string;
  audience: Audience;
  audienceText: string;
  capacity: number;
  budget: number;
  plan: PlanModule[];
  selfEnrol: boolean;
  outbound: boolean;
  filingNo: string | null;
  filedAt: string | null;
  pendingOrgId: number | null;
  pendingOrgName: string | null;
  sessionCount: number;
  enrolledCount: number;
  pendingCount: number;
  createdAt: string;
}

/** What the project form sends (POST /projects, PUT /projects/:id). */
export interface ProjectInput {
  name: string;
  level: string;
  form: string;
  audience: Audience;
  capacity: number;
  budget: number;
  plan: PlanModule[];
  startDate: string;
  endDate: string;
  selfEnrol: boolean;
  outbound?: boolean;
}

export interface AllowedAction {
  action: string;
  label: string;
  to: string;
}

export interface SessionDto {
  id: number;
  projectId: number;
  title: string;
  date: string;
  startTime: string;
  endTime: string;
  place: string | null;
  hours: number;
  category: string;
  checkinOpen: boolean;
  checkoutOpen: boolean;
  attendedCount: number;
  checkedOutCount: number;
  excusedCount: number;
  enrolledCount: number;
  /** 0..1 */
  attendanceRate: number;
  threshold: number;
  held: boolean;
  belowThreshold: boolean;
}

export interface ProjectDetail extends ProjectDto {
  approvalChain: { orgId: number; orgName: string; done: boolean; current: boolean }[];
  participationThreshold: { threshold: number; source: string };
  allowedActions: AllowedAction[];
  canEdit: boolean;
  sessions: SessionDto[];
}

export interface ProjectHistoryEntry {
  id: number;
  at: string;
  action: string;
  actionLabel: string;
  from: string | null;
  fromLabel: string | null;
  to: string;
  toLabel: string;
  comment: string | null;
  userName: string | null;
  orgName: string | null;
}

export interface TransitionResult {
  project: ProjectDto;
  recognition?: { entriesCreated: number; teachers: number; hours: number };
}

export interface ApprovalItem extends ProjectDto {
  step: number | null;
  steps: number;
  waitingFor: string;
}

export interface EnrolmentDto {
  teacherId: number;
  name: string;
  orgName: string;
  nationalIdMasked: string;
  stage: string;
  status: string;
  statusLabel: string;
  source: string | null;
  reason: string | null;
  quotaOrgName: string | null;
  enrolledAt: string | null;
  attendedSessions: number;
  totalSessions: number;
}

export interface EnrolResult {
  added: number;
  alreadyEnrolled: number;
  rejected: { teacherId: number; message: string }[];
}

export interface AttendanceRow {
  teacherId: number;
  name: string;
  orgName: string;
  present: boolean;
  method: string | null;
  at: string | null;
  checkedOutAt: string | null;
  /** The leave (请假) reason, if the teacher excused themself. */
  apology: string | null;
}

export interface AttendanceList {
  session: SessionDto;
  items: AttendanceRow[];
}

export interface CheckinToken {
  token: string;
  checkinUrl: string;
  qrDataUrl: string;
  issuedAt: string;
  expiresAt: string;
  periodSeconds: number;
}

export interface CheckinResult {
  ok?: boolean;
  /** 'in' = 签到, 'out' = 签退 (the QR code decides). */
  direction?: 'in' | 'out';
  projectName?: string;
  sessionTitle?: string;
  at?: string;
}

export interface CloseResult {
  entriesCreated: number;
  teachers: number;
  hours: number;
}

/** One of the teacher's sessions with their own attendance (GET /my/projects). */
export interface MySession {
  id: number;
  title: string;
  date: string;
  startTime: string;
  endTime: string;
  place: string | null;
  hours: number;
  category: string;
  checkinOpen: boolean;
  checkoutOpen?: boolean;
  attended: boolean;
  attendedAt: string | null;
  checkedOutAt?: string | null;
  method: string | null;
  apology?: string | null;
}

/** One enrolled project as the teacher sees it. */
export interface MyProject {
  id: number;
  code: string;
  name: string;
  level: string;
  form: string;
  status: string;
  statusLabel?: string;
  startDate: string;
  endDate: string;
  targetHours: number;
  orgName: string;
  outbound?: boolean;
  attendedSessions: number;
  attendedHours: number;
  sessions: MySession[];
}

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
