/**
 * Where and for whom a compliance evaluation runs: the reader check, the displayed org
 * in the caller's scope, and the evaluation roots of a policy's attachments (shared by the summary, the
 * worklist and the teacher status).
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { readScope } from '../policies/policies.service.js';
import type { AttachmentRow } from '../policies/policies.repository.js';
import * as repo from './compliance.repository.js';
import type { OrgFacts } from './compliance.repository.js';

/** Admin roles read compliance of their subtree; institutions do not; teachers only their own status. */
export function requireReader(user: CurrentUser): void {
  if (!can(user, 'hours.readOthers')) throw forbidden('无权查看合规情况');
}

export async function orgInScope(ctx: AppContext, user: CurrentUser, orgId: number | undefined): Promise<OrgFacts> {
  const org = await repo.loadOrgInScope(ctx.db, orgId ?? user.orgId, readScope(user));
  if (!org) throw notFound('组织');
  return org;
}

export async function orgFacts(q: Queryable, path: string): Promise<OrgFacts> {
  const o = await repo.loadOrg(q, path);
  if (!o) throw notFound('组织');
  return o;
}

/**
 * Where to evaluate a policy for a displayed org X: each attachment A inside X is a root of its own
 * (region A); if X lies inside A, X is the root (region A). Unattached policies are previewed at X.
 */
export async function evaluationRoots(
  q: Queryable,
  display: OrgFacts,
  attachments: (Pick<AttachmentRow, 'org_path'> & Partial<AttachmentRow>)[],
): Promise<{ root: OrgFacts; region: OrgFacts }[]> {
  if (!attachments.length) return [{ root: display, region: display }];
  const out: { root: OrgFacts; region: OrgFacts }[] = [];
  const above = attachments.filter((a) => display.path.startsWith(a.org_path)).sort((a, b) => b.org_path.length - a.org_path.length)[0];
  if (above) {
    // The region above is used for its id, name and path only (region targets, the region's own trainings).
    const region =
      above.org_path === display.path
        ? display
        : above.org_id !== undefined && above.org_name !== undefined
          ? {
              id: above.org_id,
              code: above.org_code ?? '',
              name: above.org_name,
              level: above.org_level ?? '',
              kind: 'bureau',
              stage: null,
              parentId: null,
              path: above.org_path,
              publicFundBudget: null,
            }
          : await orgFacts(q, above.org_path);
    out.push({ root: display, region });
  }
  for (const a of attachments) {
    if (a.org_path !== display.path && a.org_path.startsWith(display.path)) {
      // Skip an attachment nested inside another one already covered.
      if (out.some((r) => a.org_path.startsWith(r.root.path))) continue;
      const f = await orgFacts(q, a.org_path);
      out.push({ root: f, region: f });
    }
  }
  return out;
}
