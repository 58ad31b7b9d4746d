import type { Queryable } from '../db/db.js';
import type { CurrentUser } from './access.js';

/** Append one line to the audit log (exports, unmasking, logins, imports, corrections). */
export async function audit(
  q: Queryable,
  user: (Pick<CurrentUser, 'id'> & { orgId: number | null }) | null,
  action: string,
  entity: string,
  entityId: string | number | null,
  detail: Record<string, unknown> = {},
  ip?: string,
): Promise<void> {
  await q.query('INSERT INTO audit_log (user_id, org_id, action, entity, entity_id, detail, ip) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
    user?.id ?? null,
    user?.orgId ?? null,
    action,
    entity,
    entityId === null ? null : String(entityId),
    JSON.stringify(detail),
    ip ?? null,
  ]);
}
