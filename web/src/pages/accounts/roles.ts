import { ROLE_LABELS, ROLES, type Role } from '../../../../server/src/platform/access';
import type { OrgNode } from '../../api/types';
import { label, ORG_KINDS } from '../../vocab';

/** Role names in Chinese (the server's table) and the options of role pickers. */
export const roleLabel = (r: Role) => ROLE_LABELS[r] ?? r;
export const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export interface OrgOption {
  value: number;
  title: string;
  disabled: boolean;
  children: OrgOption[];
}

/** The org tree for a role's 任职单位 picker: only the kinds the role may be held at are selectable. */
export function orgOptions(nodes: OrgNode[], kinds: readonly string[]): OrgOption[] {
  return nodes.map((n) => ({
    value: n.id,
    title: n.kind === 'school' || n.kind === 'bureau' ? n.name : `${n.name}（${label(ORG_KINDS, n.kind)}）`,
    disabled: !kinds.includes(n.kind),
    children: orgOptions(n.children, kinds),
  }));
}
