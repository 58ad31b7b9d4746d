import type { Db } from '../db/db.js';
import type { AppContext } from '../platform/context.js';

// Placeholder: the deterministic demo generator.
export async function isSeeded(db: Db): Promise<boolean> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
  return r.rows[0].n > 0;
}
export async function seedDemo(_ctx: AppContext, _opts: { teachers: number; log?: (m: string) => void }): Promise<void> {}
