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
