/** Who in the publisher's subtree receives an announcement (no imports: the web form uses it too). */
export const AUDIENCE_LABELS = {
  all: '全体（学校、教师及各单位人员）',
  schools: '仅学校（学校管理人员，不含教师）',
  teachers: '仅教师',
} as const;
export type Audience = keyof typeof AUDIENCE_LABELS;
