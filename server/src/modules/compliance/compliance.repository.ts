/**
 * All SQL of the compliance engine. Every query is limited in SQL to an org subtree
 * (o.path LIKE root || '%'); the service makes sure that root lies inside the caller's scope.
 */
import type { Queryable } from '../../db/db.js';
import { CREDENTIAL_COLUMNS, type TeacherFacts } from '../policies/policy.evaluate.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';

export interface OrgFacts {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
  parentId: number | null;
  path: string;
  publicFundBudget: number | null;
}

/**
 * Which teachers: those employed (在职) on `on` at a school under rootPath on `on` (the roster as of the
 * evaluation date, from the period tables of migration 0033), optionally narrowed by the dashboard filters
 * or to given ids. A teacher moved or retired since still counts where they were then.
 */
export interface Population {
  rootPath: string;
  /** The roster date (the evaluation's clock.on). */
  on: string;
  teacherIds?: number[];
  /** The roster already resolved (rosterIds): aggregates filter on these ids instead of joining the periods again. */
  ids?: number[];
  stage?: string;
  subject?: string;
  role?: string;
}

/** A period (alias a, columns f/u) valid on the date in parameter $n. */
export const validOn = (a: string, n: number | string, f = 'valid_from', u = 'valid_until') =>
  `${a}.superseded_at IS NULL AND (${a}.${f} IS NULL OR ${a}.${f} <= ${typeof n === 'number' ? `$${n}` : n}::date) AND (${a}.${u} IS NULL OR ${a}.${u} >= ${typeof n === 'number' ? `$${n}` : n}::date)`;

/**
 * The roster as of a date for teachers t: `join` replaces "JOIN orgs o ON o.id = t.org_id" (o is the school
 * the teacher belonged to on the date, ta its assignment), `sql` goes into WHERE; params start at $start.
 */
function popWhere(pop: Population, start: number): { join: string; sql: string; params: unknown[] } {
  if (pop.ids) return { join: `JOIN unnest($${start}::int[]) AS pop_ids(id) ON pop_ids.id = t.id`, sql: 'true', params: [pop.ids] };
  const params: unknown[] = [pop.rootPath, pop.on];
  const on = start + 1;
  const join = `JOIN teacher_assignments ta ON ta.teacher_id = t.id AND ${validOn('ta', on)} JOIN orgs o ON o.id = ta.org_id`;
  const conds = [
    `o.path LIKE $${start} || '%'`,
    `EXISTS (SELECT 1 FROM teacher_statuses ts WHERE ts.teacher_id = t.id AND ts.status = 'active' AND ${validOn('ts', on)})`,
  ];
  const add = (f: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(f(start + params.length - 1));
  };
  if (pop.teacherIds) add((n) => `t.id = ANY($${n}::int[])`, pop.teacherIds);
  if (pop.stage) add((n) => `t.stage = $${n}`, pop.stage);
  if (pop.subject) add((n) => `$${n} = ANY(t.subjects)`, pop.subject);
  if (pop.role)
    add((n) => `EXISTS (SELECT 1 FROM teacher_roles rr WHERE rr.teacher_id = t.id AND rr.role = $${n} AND ${validOn('rr', on, 'since', 'until')})`, pop.role);
  return { join, sql: conds.join(' AND '), params };
}

/** The ids of the population (the roster as of its date, with its filters), for aggregates over many rows. */
export async function rosterIds(q: Queryable, pop: Population): Promise<number[]> {
  const w = popWhere({ ...pop, ids: undefined }, 1);
  return (await q.query<{ id: number }>(`SELECT t.id FROM teachers t ${w.join} WHERE ${w.sql}`, w.params)).rows.map((r) => r.id);
}

export async function loadOrgs(q: Queryable, rootPath: string): Promise<OrgFacts[]> {
  const r = await q.query<{
    id: number;
    code: string;
    name: string;
    level: string;
    kind: string;
    stage: string | null;
    parent_id: number | null;
    path: string;
    public_fund_budget: number | null;
  }>(
    `SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, o.path, o.public_fund_budget FROM orgs o WHERE o.path LIKE $1 || '%' AND (o.closed_at IS NULL OR o.path = $1) ORDER BY o.path`,
    [rootPath],
  );
  return r.rows.map((o) => ({
    id: o.id,
    code: o.code,
    name: o.name,
    level: o.level,
    kind: o.kind,
    stage: o.stage,
    parentId: o.parent_id,
    path: o.path,
    publicFundBudget: o.public_fund_budget,
  }));
}

/** One org by id, only if it lies under scopePath. */
export async function loadOrgInScope(q: Queryable, id: number, scopePath: string): Promise<OrgFacts | null> {
  const r = await q.query<{
    id: number;
    code: string;
    name: string;
    level: string;
    kind: string;
    stage: string | null;
    parent_id: number | null;
    path: string;
    public_fund_budget: number | null;
  }>(`SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, o.path, o.public_fund_budget FROM orgs o WHERE o.id = $1 AND o.path LIKE $2 || '%'`, [
    id,
    scopePath,
  ]);
  const o = r.rows[0];
  return o
    ? {
        id: o.id,
        code: o.code,
        name: o.name,
        level: o.level,
        kind: o.kind,
        stage: o.stage,
        parentId: o.parent_id,
        path: o.path,
        publicFundBudget: o.public_fund_budget,
      }
    : null;
}

/** One org by its path (the path is unique). */
export async function loadOrg(q: Queryable, path: string): Promise<OrgFacts | null> {
  const r = await q.query<{
    id: number;
    code: string;
    name: string;
    level: string;
    kind: string;
    stage: string | null;
    parent_id: number | null;
    path: string;
    public_fund_budget: number | null;
  }>(`SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, o.path, o.public_fund_budget FROM orgs o WHERE o.path = $1`, [path]);
  const o = r.rows[0];
  return o
    ? {
        id: o.id,
        code: o.code,
        name: o.name,
        level: o.level,
        kind: o.kind,
        stage: o.stage,
        parentId: o.parent_id,
        path: o.path,
        publicFundBudget: o.public_fund_budget,
      }
    : null;
}

/** A teacher (any status) under scopePath, with their school. */
export async function teacherInScope(
  q: Queryable,
  teacherId: number,
  scopePath: string,
): Promise<{ teacher: { id: number; name: string; org_id: number; path: string }; school: OrgFacts } | null> {
  const r = await q.query<{
    id: number;
    name: string;
    org_id: number;
    path: string;
    code: string;
    oname: string;
    level: string;
    kind: string;
    stage: string | null;
    parent_id: number | null;
    public_fund_budget: number | null;
  }>(
    `SELECT t.id, t.name, t.org_id, o.path, o.code, o.name AS oname, o.level, o.kind, o.stage, o.parent_id, o.public_fund_budget
       FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1 AND o.path LIKE $2 || '%'`,
    [teacherId, scopePath],
  );
  const x = r.rows[0];
  if (!x) return null;
  return {
    teacher: { id: x.id, name: x.name, org_id: x.org_id, path: x.path },
    school: {
      id: x.org_id,
      code: x.code,
      name: x.oname,
      level: x.level,
      kind: x.kind,
      stage: x.stage,
      parentId: x.parent_id,
      path: x.path,
      publicFundBudget: x.public_fund_budget,
    },
  };
}

export interface TeacherRowFacts extends TeacherFacts {
  nationalIdMask: string;
}

type TeacherRow = {
  id: number;
  name: string;
  org_id: number;
  org_path: string;
  stage: string;
  subjects: string[];
  hire_date: string | null;
  employment: string;
  mandarin_level: string | null;
  certificates: string[];
  qualification_stage: string | null;
  qualification_subject: string | null;
  qualification_expiry: string | null;
  key_level: string | null;
  education: string | null;
  national_id_mask: string;
  roles?: { role: string; since: string | null; until: string | null }[];
};

const TEACHER_COLS = `t.id, t.name, ta.org_id, o.path AS org_path, t.stage, t.subjects, t.hire_date, t.employment, t.mandarin_level, t.certificates,
  t.qualification_stage, t.qualification_subject, t.qualification_expiry, t.key_level, t.education, t.national_id_mask`;

/**
 * Teachers with their roles. Few teachers (one school, one person): one query with the roles
 * alongside; many (a county, a city): two set-based queries, a per-row subquery being slow there.
 */
export async function loadTeachers(q: Queryable, pop: Population, small = false): Promise<TeacherRowFacts[]> {
  const w = popWhere({ ...pop, ids: undefined }, 1);
  if (small) {
    const rows = (
      await q.query<TeacherRow>(
        `SELECT ${TEACHER_COLS},
                COALESCE((SELECT json_agg(json_build_object('role', r.role, 'since', r.since, 'until', r.until)) FROM teacher_roles r WHERE r.teacher_id = t.id AND r.superseded_at IS NULL), '[]'::json) AS roles
           FROM teachers t ${w.join} WHERE ${w.sql} ORDER BY t.id`,
        w.params,
      )
    ).rows;
    return withPeriods(
      rows.map((t) => toFacts(t, t.roles ?? [])),
      await credentialsDifferingOn(
        q,
        pop.on,
        CREDENTIAL_FIELDS_READ,
        rows.map((t) => t.id),
      ),
      pop.on,
    );
  }
  const rows = (await q.query<TeacherRow>(`SELECT ${TEACHER_COLS} FROM teachers t ${w.join} WHERE ${w.sql} ORDER BY t.id`, w.params)).rows;
  const ids = rows.map((t) => t.id);
  // By the roster's ids (one hashed array probe per row) rather than joining the roster again.
  const [roles, held] = await Promise.all([
    q
      .query<{ teacher_id: number; role: string; since: string | null; until: string | null }>(
        `SELECT r.teacher_id, r.role, r.since, r.until FROM teacher_roles r WHERE r.teacher_id = ANY($1::int[]) AND r.superseded_at IS NULL`,
        [ids],
      )
      .then((x) => x.rows),
    credentialsDifferingOn(q, pop.on, CREDENTIAL_FIELDS_READ, ids),
  ]);
  const byTeacher = new Map<number, TeacherFacts['roles']>();
  for (const r of roles) {
    const list = byTeacher.get(r.teacher_id);
    const item = { role: r.role, since: r.since, until: r.until };
    if (list) list.push(item);
    else byTeacher.set(r.teacher_id, [item]);
  }
  return withPeriods(
    rows.map((t) => toFacts(t, byTeacher.get(t.id) ?? [])),
    held,
    pop.on,
  );
}

/** The credential fields the evaluation reads (teachers columns = teacher_credentials fields). */
const CREDENTIAL_FIELDS_READ = Object.keys(CREDENTIAL_COLUMNS);

/**
 * Credentials and key designation as they were on the roster date: today's columns (loaded with the teacher),
 * replaced where the value on the date differs (credentialsDifferingOn: null = not held then).
 */
function withPeriods(teachers: TeacherRowFacts[], differing: Map<number, Record<string, unknown>>, on: string): TeacherRowFacts[] {
  for (const t of teachers) {
    // Roles as they stood on the date: one started later is not held yet; one held then is held on (its end, even
    // if recorded, lies after the date: the window's pro-rating treats it as continuing, as it was that day).
    t.roles = t.roles.filter((r) => r.since === null || r.since <= on).map((r) => (r.until !== null && r.until >= on ? { ...r, until: null } : r));
    const h = differing.get(t.id);
    if (!h) continue;
    for (const [col, key] of Object.entries(CREDENTIAL_COLUMNS)) {
      if (!(col in h)) continue;
      const v = h[col];
      if (key === 'certificates') t.certificates = Array.isArray(v) ? (v as string[]) : [];
      else (t as unknown as Record<string, unknown>)[key] = typeof v === 'string' ? v : null;
    }
    if ('key_level' in h) t.keyLevel = typeof h.key_level === 'string' ? h.key_level : null;
  }
  return teachers;
}

/** A jsonb value with "nothing" (SQL NULL, JSON null, an empty list) as SQL NULL, for comparing a period with a column. */
const held = (x: string) => `CASE WHEN ${x} IS NULL OR ${x} = 'null'::jsonb OR ${x} = '[]'::jsonb THEN NULL ELSE ${x} END`;

/**
 * Where the credentials and key designation valid on `on` (periods of migration 0033) differ from the teachers'
 * current columns, for these teachers: per teacher, only the differing fields (null = not held on the date).
 * An evaluation as of a past date reads the current record and only the differences (usually few: the facts
 * that changed between the date and today) instead of every period of every teacher. The comparison is in SQL,
 * so it holds whatever the columns are (it does not rely on them having been brought in line on time).
 */
export async function credentialsDifferingOn(q: Queryable, on: string, fields: string[], ids: number[]): Promise<Map<number, Record<string, unknown>>> {
  const cols = fields.filter((f) => /^[a-z_]+$/.test(f));
  const r = await q.query<{ teacher_id: number; field: string; v: unknown }>(
    `WITH cur AS (
       SELECT t.id, k.field, k.v FROM teachers t
         CROSS JOIN LATERAL (VALUES ${cols.map((f) => `('${f}', to_jsonb(t.${f}))`).join(', ')}) AS k(field, v)
        WHERE t.id = ANY($1::int[]))
     SELECT cur.id AS teacher_id, cur.field, c.value AS v FROM cur
       LEFT JOIN teacher_credentials c ON c.teacher_id = cur.id AND c.field = cur.field AND ${validOn('c', 2)}
      WHERE ${held('c.value')} IS DISTINCT FROM ${held('cur.v')}
     UNION ALL
     SELECT t.id, 'key_level', to_jsonb(d.level) FROM teachers t
       LEFT JOIN teacher_designations d ON d.teacher_id = t.id AND ${validOn('d', 2)}
      WHERE t.id = ANY($1::int[]) AND d.level IS DISTINCT FROM t.key_level`,
    [ids, on],
  );
  const out = new Map<number, Record<string, unknown>>();
  for (const x of r.rows) {
    let m = out.get(x.teacher_id);
    if (!m) out.set(x.teacher_id, (m = {}));
    m[x.field] = x.v;
  }
  return out;
}

function toFacts(t: TeacherRow, roles: TeacherFacts['roles']): TeacherRowFacts {
  return {
    id: t.id,
    name: t.name,
    orgId: t.org_id,
    orgPath: t.org_path,
    stage: t.stage,
    subjects: t.subjects ?? [],
    hireDate: t.hire_date,
    employment: t.employment,
    mandarinLevel: t.mandarin_level,
    certificates: t.certificates ?? [],
    qualificationStage: t.qualification_stage,
    qualificationSubject: t.qualification_subject,
    qualificationExpiry: t.qualification_expiry,
    keyLevel: t.key_level,
    education: t.education,
    roles,
    nationalIdMask: t.national_id_mask,
  };
}

/**
 * The credentials and key-teacher designation of the population valid on `on` (periods of migration 0033):
 * per teacher, every credential field asked for (absent = not held then, null) and key_level. One query.
 */
export async function credentialsOn(
  q: Queryable,
  pop: Population,
  fields: string[],
  /** The population's ids when already loaded (the roster is not joined again). */
  ids?: number[],
): Promise<Map<number, Record<string, unknown>>> {
  const w = popWhere(pop, 2);
  const on = 3;
  const r = ids
    ? await q.query<{ teacher_id: number; field: string; v: unknown }>(
        `SELECT c.teacher_id, c.field, c.value AS v FROM teacher_credentials c
          WHERE c.teacher_id = ANY($3::int[]) AND c.field = ANY($1::text[]) AND ${validOn('c', 2)}
         UNION ALL
         SELECT d.teacher_id, 'key_level', to_jsonb(d.level) FROM teacher_designations d WHERE d.teacher_id = ANY($3::int[]) AND ${validOn('d', 2)}`,
        [fields, pop.on, ids],
      )
    : await q.query<{ teacher_id: number; field: string; v: unknown }>(
        `SELECT c.teacher_id, c.field, c.value AS v FROM teacher_credentials c JOIN teachers t ON t.id = c.teacher_id ${w.join}
          WHERE c.field = ANY($1::text[]) AND ${validOn('c', on)} AND ${w.sql}
         UNION ALL
         SELECT d.teacher_id, 'key_level', to_jsonb(d.level) FROM teacher_designations d JOIN teachers t ON t.id = d.teacher_id ${w.join}
          WHERE ${validOn('d', on)} AND ${w.sql}`,
        [fields, ...w.params],
      );
  const out = new Map<number, Record<string, unknown>>();
  for (const x of r.rows) {
    let m = out.get(x.teacher_id);
    if (!m) out.set(x.teacher_id, (m = {}));
    m[x.field] = x.v;
  }
  return out;
}

/** One measured quantity: net hours of some categories (null = all) between two dates, inclusive. */
export interface HoursMeasure {
  categories: string[] | null;
  from: string;
  to: string;
  /** Only entries recognised from projects of these forms (an hours rule's `forms`; ledger_form_rollups). */
  forms?: string[] | null;
}

type Values = Map<number, number[]>;

function addInto(out: Values, rows: Record<string, unknown>[], n: number, sign: 1 | -1): void {
  for (const r of rows) {
    const id = r.teacher_id as number;
    let v = out.get(id);
    if (!v) out.set(id, (v = new Array<number>(n).fill(0)));
    for (let i = 0; i < n; i++) {
      const x = r[`m${i}`];
      if (x !== null && x !== undefined) v[i] = Math.round((v[i] + sign * Number(x)) * 10) / 10;
    }
  }
}

/**
 * Net hours per teacher for each measure, straight from ledger_entries: one scan of the date range
 * covering all measures, one GROUP BY teacher, one FILTERed sum per measure.
 */
export async function measureFromLedger(q: Queryable, pop: Population, measures: HoursMeasure[], into: Values = new Map(), sign: 1 | -1 = 1): Promise<Values> {
  if (!measures.length) return into;
  const w = popWhere(pop, 1);
  const params = [...w.params];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const cols = measures.map((m, i) => {
    const cat = m.categories ? `e.category = ANY(${p(m.categories)}::text[]) AND ` : '';
    const form = m.forms ? `pf.form = ANY(${p(m.forms)}::text[]) AND ` : '';
    return `sum(e.hours) FILTER (WHERE ${cat}${form}e.occurred_on BETWEEN ${p(m.from)}::date AND ${p(m.to)}::date) AS m${i}`;
  });
  const lo = measures.reduce((a, m) => (m.from < a ? m.from : a), measures[0].from);
  const hi = measures.reduce((a, m) => (m.to > a ? m.to : a), measures[0].to);
  // The project's form only when a measure filters on it (reversals keep the project_id, so they still cancel).
  const forms = measures.some((m) => m.forms) ? 'LEFT JOIN projects pf ON pf.id = e.project_id' : '';
  const sql = `SELECT e.teacher_id, ${cols.join(', ')}
      FROM ledger_entries e JOIN teachers t ON t.id = e.teacher_id ${w.join} ${forms}
     WHERE ${w.sql} AND e.occurred_on BETWEEN ${p(lo)}::date AND ${p(hi)}::date
     GROUP BY e.teacher_id`;
  addInto(into, (await q.query<Record<string, unknown>>(sql, params)).rows, measures.length, sign);
  return into;
}

const isJan1 = (d: string) => d.endsWith('-01-01');
const isDec31 = (d: string) => d.endsWith('-12-31');

/**
 * The same numbers from the per-year roll-ups: whole years from ledger_year_rollups (or, for measures
 * filtered on the project form, ledger_form_rollups), minus the ledger rows after `to` in its last
 * year (usually none: they are dated in the future). Measures whose window does not start on
 * 1 January are measured from the ledger directly.
 */
export async function measureFromRollups(q: Queryable, pop: Population, measures: HoursMeasure[]): Promise<Values> {
  const out: Values = new Map();
  if (!measures.length) return out;
  const aligned = measures.map((m) => isJan1(m.from));
  const n = measures.length;
  const fromTable = async (table: 'ledger_year_rollups' | 'ledger_form_rollups', take: (m: HoursMeasure) => boolean) => {
    const w = popWhere(pop, 1);
    const params = [...w.params];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    // A zero-width placeholder for the measures read elsewhere keeps column numbers stable.
    const mine = measures.map((m, i) => aligned[i] && take(m));
    if (!mine.some(Boolean)) return;
    const cols = measures.map((m, i) => {
      if (!mine[i]) return `NULL::numeric AS m${i}`;
      const cat = m.categories ? `r.category = ANY(${p(m.categories)}::text[]) AND ` : '';
      const form = m.forms ? `r.form = ANY(${p(m.forms)}::text[]) AND ` : '';
      return `sum(r.hours) FILTER (WHERE ${cat}${form}r.year BETWEEN ${p(Number(m.from.slice(0, 4)))}::int AND ${p(Number(m.to.slice(0, 4)))}::int) AS m${i}`;
    });
    const years = measures.filter((_, i) => mine[i]).flatMap((m) => [Number(m.from.slice(0, 4)), Number(m.to.slice(0, 4))]);
    // Per-form rows: only the forms some measure asks for.
    const forms = [...new Set(measures.filter((_, i) => mine[i]).flatMap((m) => m.forms ?? []))];
    const formCond = table === 'ledger_form_rollups' ? ` AND r.form = ANY(${p(forms)}::text[])` : '';
    const sql = `SELECT r.teacher_id, ${cols.join(', ')}
        FROM ${table} r JOIN teachers t ON t.id = r.teacher_id ${w.join}
       WHERE ${w.sql} AND r.year BETWEEN ${p(Math.min(...years))}::int AND ${p(Math.max(...years))}::int${formCond}
       GROUP BY r.teacher_id`;
    addInto(out, (await q.query<Record<string, unknown>>(sql, params)).rows, n, 1);
  };
  await fromTable('ledger_year_rollups', (m) => !m.forms);
  await fromTable('ledger_form_rollups', (m) => !!m.forms);
  const none = (m: HoursMeasure): HoursMeasure => ({ categories: m.categories, from: '2999-12-31', to: '1000-01-01' });
  // Subtract what the roll-ups counted after each aligned measure's end date.
  const tails: HoursMeasure[] = measures.map((m, i) =>
    aligned[i] && !isDec31(m.to) ? { categories: m.categories, forms: m.forms, from: nextDay(m.to), to: `${m.to.slice(0, 4)}-12-31` } : none(m),
  );
  if (tails.some((t) => t.from <= t.to)) await measureFromLedgerSparse(q, pop, tails, out, -1);
  // Unaligned measures come straight from the ledger.
  const direct: HoursMeasure[] = measures.map((m, i) => (aligned[i] ? none(m) : m));
  if (direct.some((d) => d.from <= d.to)) await measureFromLedgerSparse(q, pop, direct, out, 1);
  return out;
}

/** measureFromLedger where some measures are empty ranges (from > to): they contribute nothing. */
async function measureFromLedgerSparse(q: Queryable, pop: Population, measures: HoursMeasure[], into: Values, sign: 1 | -1): Promise<void> {
  const live = measures.map((m, i) => ({ m, i })).filter((x) => x.m.from <= x.m.to);
  const part = await measureFromLedger(
    q,
    pop,
    live.map((x) => x.m),
  );
  for (const [id, vals] of part) {
    let v = into.get(id);
    if (!v) into.set(id, (v = new Array<number>(measures.length).fill(0)));
    live.forEach((x, j) => (v![x.i] = Math.round((v![x.i] + sign * vals[j]) * 10) / 10));
  }
}

function nextDay(d: string): string {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
}

/**
 * Per-teacher windows (e.g. the year after each hire date): hours, or the number of distinct days
 * whose net hours are positive, per teacher.
 */
export async function measurePerTeacherWindows(
  q: Queryable,
  pop: Pick<Population, 'rootPath' | 'on'>,
  windows: { teacherId: number; from: string; to: string }[],
  categories: string[] | null,
  unit: 'hours' | 'days',
  /** Only entries from projects of these forms. */
  forms: string[] | null = null,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!windows.length) return out;
  const params: unknown[] = [windows.map((w) => w.teacherId), windows.map((w) => w.from), windows.map((w) => w.to), pop.rootPath, pop.on];
  let cond = '';
  if (categories) {
    params.push(categories);
    cond += ` AND e.category = ANY($${params.length}::text[])`;
  }
  if (forms) {
    params.push(forms);
    cond += ` AND pf.form = ANY($${params.length}::text[])`;
  }
  const inner = `SELECT e.teacher_id, e.occurred_on, sum(e.hours) AS h
      FROM unnest($1::int[], $2::date[], $3::date[]) AS w(teacher_id, f, t)
      JOIN ledger_entries e ON e.teacher_id = w.teacher_id AND e.occurred_on BETWEEN w.f AND w.t
      JOIN teacher_assignments ta ON ta.teacher_id = e.teacher_id AND ${validOn('ta', 5)} JOIN orgs o ON o.id = ta.org_id
      ${forms ? 'JOIN projects pf ON pf.id = e.project_id' : ''}
     WHERE o.path LIKE $4 || '%'${cond}
     GROUP BY e.teacher_id, e.occurred_on`;
  const sql =
    unit === 'days'
      ? `SELECT teacher_id, count(*) FILTER (WHERE h > 0)::int AS v FROM (${inner}) d GROUP BY teacher_id`
      : `SELECT teacher_id, sum(h) AS v FROM (${inner}) d GROUP BY teacher_id`;
  for (const r of (await q.query<{ teacher_id: number; v: number }>(sql, params)).rows) out.set(r.teacher_id, Number(r.v));
  return out;
}

// ---------------------------------------------------------------- participation

export interface SessionRow {
  sessionId: number;
  date: string;
  title: string;
  projectName: string;
}

export async function qualifyingSessions(
  q: Queryable,
  f: { ownerRootPath: string | null; forms?: string[]; levels?: string[]; from: string; to: string; scopePath: string },
): Promise<SessionRow[]> {
  const params: unknown[] = [f.from, f.to, f.scopePath];
  const conds = [`s.date BETWEEN $1::date AND $2::date`, `po.path LIKE $3 || '%'`];
  if (f.ownerRootPath) {
    params.push(f.ownerRootPath);
    // The region's own trainings: run by its bureau or centres, not by a school.
    conds.push(`po.path LIKE $${params.length} || '%' AND po.kind <> 'school'`);
  }
  if (f.forms) {
    params.push(f.forms);
    conds.push(`p.form = ANY($${params.length}::text[])`);
  }
  if (f.levels) {
    params.push(f.levels);
    conds.push(`p.level = ANY($${params.length}::text[])`);
  }
  const r = await q.query<{ id: number; date: string; title: string; project_name: string }>(
    `SELECT s.id, s.date, s.title, p.name AS project_name
       FROM project_sessions s JOIN projects p ON p.id = s.project_id JOIN orgs po ON po.id = p.org_id
      WHERE ${conds.join(' AND ')} ORDER BY s.date, s.id`,
    params,
  );
  return r.rows.map((x) => ({ sessionId: x.id, date: x.date, title: x.title, projectName: x.project_name }));
}

/** Attendance of the population at the given sessions, per teacher. */
export async function attendanceByTeacher(q: Queryable, pop: Population, sessionIds: number[]): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  if (!sessionIds.length) return out;
  const w = popWhere(pop, 2);
  const r = await q.query<{ teacher_id: number; session_id: number }>(
    `SELECT a.teacher_id, a.session_id FROM attendance a JOIN teachers t ON t.id = a.teacher_id ${w.join}
      WHERE a.session_id = ANY($1::int[]) AND ${w.sql}`,
    [sessionIds, ...w.params],
  );
  for (const x of r.rows) {
    const s = out.get(x.teacher_id);
    if (s) s.add(x.session_id);
    else out.set(x.teacher_id, new Set([x.session_id]));
  }
  return out;
}

// ---------------------------------------------------------------- targets

/** The override of a records metric for one year: the latest target_counts row, unless it clears the override. */
export interface TargetOverrideRow {
  year: number;
  value: number;
  reason: string;
  recordedBy: string | null;
  recordedAt: string;
}

/**
 * Manual figures (target_counts) of one org and metric, per year: the latest row of each year, skipped when it is a
 * 撤销覆盖 (cleared) row. For a records metric these override the platform's figure of that year.
 */
export async function targetOverrides(q: Queryable, orgId: number, metric: string): Promise<Map<number, TargetOverrideRow>> {
  const r = await q.query<{ year: number; value: number | null; cleared: boolean; reason: string; recorded_at: string; name: string | null }>(
    `SELECT x.year, x.value, x.cleared, x.reason, x.recorded_at, u.display_name AS name FROM (
       SELECT DISTINCT ON (year) year, value, cleared, reason, recorded_at, recorded_by FROM target_counts
        WHERE org_id = $1 AND metric = $2 ORDER BY year, recorded_at DESC, id DESC) x
       LEFT JOIN users u ON u.id = x.recorded_by`,
    [orgId, metric],
  );
  const out = new Map<number, TargetOverrideRow>();
  for (const x of r.rows)
    if (!x.cleared && x.value !== null)
      out.set(Number(x.year), {
        year: Number(x.year),
        value: Number(x.value),
        reason: x.reason,
        recordedBy: x.name,
        recordedAt: new Date(x.recorded_at).toISOString(),
      });
  return out;
}

/** Teachers (any status) whose hire date falls in each year, under rootPath (where they were on that date). */
export async function hiresByYear(q: Queryable, rootPath: string, fromYear: number, toYear: number): Promise<Map<number, number>> {
  const r = await q.query<{ y: number; n: number }>(
    `SELECT extract(year FROM t.hire_date)::int AS y, count(*)::int AS n
       FROM teachers t JOIN teacher_assignments ta ON ta.teacher_id = t.id AND ${validOn('ta', 't.hire_date')} JOIN orgs o ON o.id = ta.org_id
      WHERE o.path LIKE $1 || '%' AND t.hire_date BETWEEN make_date($2, 1, 1) AND make_date($3, 12, 31) GROUP BY 1`,
    [rootPath, fromYear, toYear],
  );
  return new Map(r.rows.map((x) => [x.y, x.n]));
}

/**
 * Approved enrolments of the region's teachers in projects run outside the region, by project start
 * year. Pending, rejected, withdrawn and replaced requests are not 外派 (only 'approved' is enrolled).
 */
export async function outboundByYear(q: Queryable, rootPath: string, fromYear: number, toYear: number): Promise<Map<number, number>> {
  const r = await q.query<{ y: number; n: number }>(
    `SELECT extract(year FROM p.start_date)::int AS y, count(*)::int AS n
       FROM enrolments en JOIN projects p ON p.id = en.project_id JOIN orgs po ON po.id = p.org_id
       JOIN teacher_assignments ta ON ta.teacher_id = en.teacher_id AND ${validOn('ta', `COALESCE(p.start_date, ${SQL_TODAY_IN_CHINA})`)} JOIN orgs o ON o.id = ta.org_id
      WHERE en.status = 'approved' AND o.path LIKE $1 || '%' AND po.path NOT LIKE $1 || '%'
        AND p.start_date BETWEEN make_date($2, 1, 1) AND make_date($3, 12, 31) GROUP BY 1`,
    [rootPath, fromYear, toYear],
  );
  return new Map(r.rows.map((x) => [x.y, x.n]));
}

// ---------------------------------------------------------------- funding

/** Latest figure per (org, metric) for a year, for orgs under rootPath. */
export async function fundingFigures(q: Queryable, rootPath: string, year: number, metrics: string[]): Promise<Map<number, Map<string, number>>> {
  const r = await q.query<{ org_id: number; metric: string; amount: number }>(
    `SELECT DISTINCT ON (f.org_id, f.metric) f.org_id, f.metric, f.amount
       FROM funding_figures f JOIN orgs o ON o.id = f.org_id
      WHERE o.path LIKE $1 || '%' AND f.year = $2 AND f.metric = ANY($3::text[])
      ORDER BY f.org_id, f.metric, f.recorded_at DESC, f.id DESC`,
    [rootPath, year, metrics],
  );
  const out = new Map<number, Map<string, number>>();
  for (const x of r.rows) {
    const m = out.get(x.org_id) ?? new Map<string, number>();
    m.set(x.metric, Number(x.amount));
    out.set(x.org_id, m);
  }
  return out;
}

// ---------------------------------------------------------------- plan content

export async function projectsWithModules(
  q: Queryable,
  rootPath: string,
  f: { from: string; to: string; forms?: string[]; levels?: string[] },
): Promise<{ projectId: number; name: string; orgId: number; orgPath: string; startDate: string | null; moduleCategories: string[] }[]> {
  const params: unknown[] = [rootPath, f.from, f.to];
  const conds = [`o.path LIKE $1 || '%'`, `p.start_date BETWEEN $2::date AND $3::date`];
  if (f.forms) {
    params.push(f.forms);
    conds.push(`p.form = ANY($${params.length}::text[])`);
  }
  if (f.levels) {
    params.push(f.levels);
    conds.push(`p.level = ANY($${params.length}::text[])`);
  }
  const r = await q.query<{ id: number; name: string; org_id: number; path: string; start_date: string | null; cats: string[] | null }>(
    `SELECT p.id, p.name, p.org_id, o.path, p.start_date,
            array_agg(s.category ORDER BY s.date, s.start_time, s.id) FILTER (WHERE s.id IS NOT NULL) AS cats
       FROM projects p JOIN orgs o ON o.id = p.org_id LEFT JOIN project_sessions s ON s.project_id = p.id
      WHERE ${conds.join(' AND ')}
      GROUP BY p.id, p.name, p.org_id, o.path, p.start_date ORDER BY p.start_date, p.id`,
    params,
  );
  return r.rows.map((x) => ({ projectId: x.id, name: x.name, orgId: x.org_id, orgPath: x.path, startDate: x.start_date, moduleCategories: x.cats ?? [] }));
}

// ---------------------------------------------------------------- runs, roll-up verification

export async function insertRun(
  q: Queryable,
  r: {
    policyVersionId: number;
    orgId: number;
    asOf: string;
    filters: object;
    trigger: 'api' | 'cli' | 'export' | 'bench' | 'refresh';
    userId: number | null;
    durationMs: number;
    summary: unknown;
  },
): Promise<number> {
  const x = await q.query<{ id: number }>(
    `INSERT INTO compliance_runs (policy_version_id, org_id, as_of, filters, trigger, user_id, duration_ms, summary)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [r.policyVersionId, r.orgId, r.asOf, JSON.stringify(r.filters), r.trigger, r.userId, r.durationMs, JSON.stringify(r.summary)],
  );
  return x.rows[0].id;
}

export async function listRuns(q: Queryable, scopePath: string, orgId: number, policyId: number, limit: number) {
  return (
    await q.query<{ id: number; as_of: string; started_at: string; duration_ms: number; version: number; trigger: string; summary: unknown }>(
      `SELECT r.id, r.as_of, r.started_at, r.duration_ms, v.version, r.trigger, r.summary
         FROM compliance_runs r JOIN policy_versions v ON v.id = r.policy_version_id JOIN orgs o ON o.id = r.org_id
        WHERE r.org_id = $1 AND v.policy_id = $2 AND o.path LIKE $3 || '%'
        ORDER BY r.started_at DESC LIMIT $4`,
      [orgId, policyId, scopePath, limit],
    )
  ).rows;
}

/** Roll-up rows that differ from a fresh GROUP BY over the ledger (empty when they agree). */
/** Roll-up rows (per year, and per year and project form) that differ from a recomputation from the ledger; form is null for the former. */
export async function rollupDifferences(q: Queryable, limit = 20) {
  return (
    await q.query<{ teacher_id: number; year: number; form: string | null; category: string; rollup: number | null; ledger: number | null }>(
      `WITH fresh AS (
         SELECT teacher_id, extract(year FROM occurred_on)::int AS year, category, sum(hours) AS hours, count(*)::int AS entries
           FROM ledger_entries GROUP BY 1, 2, 3),
       fresh_form AS (
         SELECT e.teacher_id, extract(year FROM e.occurred_on)::int AS year, p.form, e.category, sum(e.hours) AS hours, count(*)::int AS entries
           FROM ledger_entries e JOIN projects p ON p.id = e.project_id GROUP BY 1, 2, 3, 4)
       (SELECT COALESCE(f.teacher_id, r.teacher_id) AS teacher_id, COALESCE(f.year, r.year) AS year, NULL::text AS form, COALESCE(f.category, r.category) AS category,
               r.hours AS rollup, f.hours AS ledger
          FROM fresh f FULL OUTER JOIN ledger_year_rollups r ON r.teacher_id = f.teacher_id AND r.year = f.year AND r.category = f.category
         WHERE f.hours IS DISTINCT FROM r.hours OR f.entries IS DISTINCT FROM r.entries
         LIMIT $1)
       UNION ALL
       (SELECT COALESCE(f.teacher_id, r.teacher_id), COALESCE(f.year, r.year), COALESCE(f.form, r.form), COALESCE(f.category, r.category), r.hours, f.hours
          FROM fresh_form f FULL OUTER JOIN ledger_form_rollups r ON r.teacher_id = f.teacher_id AND r.year = f.year AND r.form = f.form AND r.category = f.category
         WHERE f.hours IS DISTINCT FROM r.hours OR f.entries IS DISTINCT FROM r.entries
         LIMIT $1)`,
      [limit],
    )
  ).rows;
}

export async function rollupStats(q: Queryable): Promise<{ rollupRows: number; ledgerRows: number }> {
  const r = await q.query<{ a: number; b: number }>(
    'SELECT ((SELECT count(*) FROM ledger_year_rollups) + (SELECT count(*) FROM ledger_form_rollups))::int AS a, (SELECT count(*) FROM ledger_entries)::int AS b',
  );
  return { rollupRows: r.rows[0].a, ledgerRows: r.rows[0].b };
}
