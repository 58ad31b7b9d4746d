/**
 * How a 通报 names the teacher of its case, as the publishing bureau chooses: the full name, the surname only
 * (张某某) or nobody in particular (某教师). Rendered once by the server at publication; readers receive only this.
 */
export const NAME_MASKS = ['full', 'surname', 'anonymous'] as const;
export type NameMask = (typeof NAME_MASKS)[number];

export const NAME_MASK_LABELS: Record<NameMask, string> = { full: '实名', surname: '隐去名字（张某某）', anonymous: '不具名（某教师）' };

// Two-character surnames, so that 欧阳明 becomes 欧阳某某 rather than 欧某某.
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '端木', '长孙', '宇文', '司徒', '西门'];

export function renderName(name: string, mask: NameMask): string {
  const n = name.trim();
  if (mask === 'full') return n;
  if (mask === 'anonymous') return '某教师';
  const surname = n.length >= 3 && COMPOUND_SURNAMES.includes(n.slice(0, 2)) ? n.slice(0, 2) : n.slice(0, 1);
  return `${surname}某某`;
}
