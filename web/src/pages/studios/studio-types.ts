// Labels mirror server/src/modules/policies/policy.studios.ts and server/src/modules/studios/studios.machine.ts.
export const STUDIO_KIND_OPTIONS = [
  { value: 'masterTeacher', label: '名师工作室' },
  { value: 'masterHomeroom', label: '名班主任工作室' },
  { value: 'principal', label: '名校长工作室' },
  { value: 'dualQualified', label: '双师型名师工作室' },
  { value: 'skillMaster', label: '技能大师工作室' },
];
export const STUDIO_LEVEL_OPTIONS = [
  { value: 'school', label: '校级' },
  { value: 'county', label: '旗县区级' },
  { value: 'city', label: '市级' },
  { value: 'province', label: '省级' },
];
export const ACTIVITY_KIND_OPTIONS = [
  { value: 'curriculum', label: '研课标' },
  { value: 'textbook', label: '研教材' },
  { value: 'polishing', label: '磨课' },
  { value: 'sameLesson', label: '同课异构' },
  { value: 'lecture', label: '讲座' },
  { value: 'research', label: '课题研究' },
  { value: 'demoLesson', label: '示范课' },
  { value: 'other', label: '其他' },
];
export const OUTPUT_KIND_OPTIONS = [
  { value: 'lesson', label: '课例' },
  { value: 'paper', label: '论文' },
  { value: 'research', label: '课题' },
  { value: 'dualQualified', label: '双师型教师培养' },
];
export const GRADE_OPTIONS = [
  { value: 'excellent', label: '优秀' },
  { value: 'pass', label: '合格' },
  { value: 'fail', label: '不合格' },
];

export const statusColor = (s: string): string =>
  ({ named: 'green', warned: 'orange', delisted: 'red', rejected: 'default', ended: 'default', reviewing: 'blue', applying: 'blue' })[s] ?? 'default';

export interface StudioDto {
  id: number;
  name: string;
  kind: string;
  kindLabel: string;
  level: string;
  levelLabel: string;
  namingOrgName: string;
  baseOrgName: string;
  hostTeacherId: number;
  hostName: string;
  subject: string | null;
  status: string;
  statusLabel: string;
  namedOn: string | null;
  termFrom: string | null;
  termUntil: string | null;
  planText: string | null;
  reviewComment: string | null;
  runs: boolean;
  actions: { action: string; label: string; to: string }[];
}

export interface StudioPageDto extends StudioDto {
  members: { id: number; teacherId: number; name: string; orgName: string; role: string; roleLabel: string; joinedOn: string; leftOn: string | null }[];
  history: { action: string; label: string; toLabel: string; onDate: string; comment: string | null; userName: string | null }[];
}
export interface WorkDto {
  plans: { id: number; year: number; body: string; planned: PlannedItem[]; superseded_at: string | null; recorded_at?: string }[];
  activities: {
    id: number;
    kindLabel: string;
    title: string;
    mode: string;
    heldOn: string;
    place: string | null;
    ledByName: string | null;
    sessionId: number | null;
    checkinOpen: boolean;
    attended: number;
    withdrawn: boolean;
  }[];
  outputs: { id: number; kindLabel: string; title: string; producedOn: string; teacherName: string | null; withdrawn: boolean }[];
  assessments: { year: number; gradeLabel: string; outcomeLabel: string; comment: string | null; decided_on: string; duties_met: boolean }[];
  yearProjects: { year: number; projectId: number; status: string; statusLabel: string }[];
}
export interface YearDto {
  year: number;
  items: { key: string; label: string; actual: number; required: number; met: boolean }[];
  dutiesMet: boolean;
  source: string;
  cite: string | null;
}

export interface PlannedItem {
  kind: string;
  title: string;
  month: number;
}
