import { invalidate } from '../../api/query';

/**
 * A project moved (approved, filed, enrolled, recognised …): its lists, detail and panels, the approvals inbox,
 * and — a confirmed or withdrawn recognition writes hours — the ledgers, summaries, certificates and compliance.
 */
export function projectsChanged(): Promise<void> {
  return invalidate(['projects'], ['approvals'], ['hours'], ['my'], ['compliance']);
}
