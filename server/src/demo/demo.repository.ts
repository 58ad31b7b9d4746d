import type { Queryable } from '../db/db.js';

/** The demo marker: 'started' while seeding, 'completed' after. */
export interface DemoMarker {
  status: 'started' | 'completed';
  seed: number;
  teachers: number;
  years: number[];
  density: number;
  refDate: string;
  cityCode: string;
  startedAt: string;
  completedAt?: string;
  seconds?: number;
  counts?: Record<string, number>;
}

export async function readMarker(q: Queryable): Promise<DemoMarker | null> {
  const r = await q.query<{ value: DemoMarker }>(`SELECT value FROM demo_meta WHERE key = 'seed'`);
  return r.rows[0]?.value ?? null;
}

export async function writeMarker(q: Queryable, m: DemoMarker): Promise<void> {
  await q.query(`INSERT INTO demo_meta (key, value) VALUES ('seed', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [
    JSON.stringify(m),
  ]);
}

export async function countOrgs(q: Queryable): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0].n;
}

/**
 * Remove a half-written demo seed. Only called when the marker says a seed started and never completed,
 * i.e. the database held nothing but demo data; CASCADE reaches every table that references these.
 */
export async function clearDemoData(q: Queryable): Promise<void> {
  await q.query(
    'TRUNCATE ledger_entries, attendance, enrolments, project_sessions, projects, teacher_roles, teacher_changes, auth_sessions, users, teachers, orgs RESTART IDENTITY CASCADE',
  );
  // Per-teacher hour totals kept by a ledger trigger (policies module): derived from the ledger, so cleared with it.
  const rollups = await q.query<{ t: string | null }>(`SELECT to_regclass('ledger_year_rollups')::text AS t`);
  if (rollups.rows[0]?.t) await q.query('TRUNCATE ledger_year_rollups');
}

/**
 * Of `tables`, those that may be bulk-loaded with foreign-key triggers off, each with its enabled
 * user-defined insert triggers (to be kept firing). Needs a superuser (session_replication_role);
 * a table with a replica-only trigger is left out, as that trigger would start firing.
 */
export async function fastLoadTables(q: Queryable, tables: string[]): Promise<Map<string, string[]>> {
  const su = await q.query<{ on: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS on`);
  if (!su.rows[0]?.on) return new Map();
  const r = await q.query<{ relname: string; triggers: string[] }>(
    `SELECT c.relname,
            COALESCE(array_agg(t.tgname::text ORDER BY t.tgname) FILTER (WHERE t.tgenabled = 'O' AND (t.tgtype & 4) <> 0), '{}'::text[]) AS triggers
       FROM pg_class c
       LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
      WHERE c.relname = ANY($1) AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
      GROUP BY c.relname
     HAVING count(*) FILTER (WHERE t.tgenabled = 'R') = 0`,
    [tables],
  );
  return new Map(r.rows.map((x) => [x.relname, x.triggers]));
}

/** Every single-column foreign key of `tables`, checked in bulk: one anti-join each. Returns the violated ones. */
export async function verifyForeignKeys(q: Queryable, tables: string[]): Promise<string[]> {
  const fks = await q.query<{ conname: string; child: string; col: string; parent: string; pcol: string }>(
    `SELECT con.conname, c.relname AS child, a.attname AS col, p.relname AS parent, pa.attname AS pcol
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
      WHERE con.contype = 'f' AND c.relname = ANY($1) AND cardinality(con.conkey) = 1
        AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
      ORDER BY 1`,
    [tables],
  );
  const bad: string[] = [];
  for (const fk of fks.rows) {
    const r = await q.query(
      `SELECT 1 FROM ${fk.child} x WHERE x.${fk.col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${fk.parent} y WHERE y.${fk.pcol} = x.${fk.col}) LIMIT 1`,
    );
    if (r.rows.length) bad.push(fk.conname);
  }
  return bad;
}

/** After loading rows with explicit ids, move each serial sequence past the largest id. */
export async function syncSequences(q: Queryable, tables: string[]): Promise<void> {
  for (const t of tables) {
    await q.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), COALESCE((SELECT max(id) FROM ${t}), 0) + 1, false)`);
  }
}

export async function analyze(q: Queryable, tables: string[]): Promise<void> {
  for (const t of tables) await q.query(`ANALYZE ${t}`);
}
