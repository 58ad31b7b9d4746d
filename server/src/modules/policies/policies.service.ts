import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { findInScope } from '../orgs/orgs.repository.js';
import { OPEN_END, RULE_KINDS, ruleSubject, ruleUnit, type Policy, type Rule } from './policy.format.js';
import { loadPolicy, type PolicyError } from './policy.loader.js';
import * as repo from './policies.repository.js';

/** policies/ at the repository root (this file is server/src/modules/policies/). */
export const POLICY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../policies');

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The version note of a seed file's version: users read the plan's title, not a file name (versions before this said '种子文件 <file>'). */
const SEED_NOTE = '随系统提供的政策文件';
const noteOf = (note: string | null) => (note?.startsWith('种子文件 ') ? SEED_NOTE : note);

// Published versions never change, so their parse is cached by version id (and text hash, since ids restart in a fresh database).
const parsedCache = new Map<string, Policy>();

/** The text is the source of truth: re-parse it (fills defaults the stored JSON may predate). */
function parsedOf(v: repo.VersionRow): Policy {
  const key = `${v.id}:${v.sha256}`;
  const hit = parsedCache.get(key);
  if (hit) return hit;
  const r = loadPolicy(v.text);
  const p = r.ok ? r.policy : (v.parsed as Policy);
  if (parsedCache.size > 500) parsedCache.clear();
  parsedCache.set(key, p);
  return p;
}

export interface SeedReport {
  file: string;
  key: string | null;
  /** 'edited': the file differs from the stored text of the same version (its version number must go up to publish it). */
  action: 'created' | 'newVersion' | 'unchanged' | 'edited' | 'invalid';
  attachedTo: string[];
  errors: PolicyError[];
}

/**
 * Load the policy files of policies/ into the database: a new key becomes a policy at version 1,
 * a file whose version is higher than the stored one becomes a new version (versions published
 * through the API are never overwritten). A file naming an org code that exists is attached to it.
 * Idempotent; safe on every start.
 */
export async function syncSeedPolicies(db: Db, dir = POLICY_DIR): Promise<SeedReport[]> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch {
    return [];
  }
  const reports: SeedReport[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const loaded = loadPolicy(text);
    if (!loaded.ok) {
      reports.push({ file, key: null, action: 'invalid', attachedTo: [], errors: loaded.errors });
      continue;
    }
    const p = loaded.policy;
    const report = await db.tx(async (q) => {
      let row = await repo.findPolicyByKey(q, p.policy);
      let action: SeedReport['action'] = 'unchanged';
      if (!row) {
        const id = await repo.insertPolicy(q, { key: p.policy, title: p.title, origin: 'seed', seedFile: file, createdBy: null });
        await repo.insertVersion(q, { policyId: id, version: p.version, text, parsed: p, sha256: sha256(text), note: SEED_NOTE, publishedBy: null });
        row = (await repo.findPolicy(q, id))!;
        action = 'created';
      } else {
        await repo.lockPolicy(q, row.id);
        const latest = await repo.latestVersion(q, row.id);
        if (!latest || p.version > latest.version) {
          await repo.insertVersion(q, {
            policyId: row.id,
            version: p.version,
            text,
            parsed: p,
            sha256: sha256(text),
            note: SEED_NOTE,
            publishedBy: null,
          });
          await repo.updatePolicyTitle(q, row.id, p.title);
          action = 'newVersion';
        } else if (p.version === latest.version && latest.sha256 !== sha256(text)) {
          action = 'edited';
        }
      }
      const attachedTo: string[] = [];
      if (p.appliesTo.org) {
        const org = await repo.findOrgByCode(q, p.appliesTo.org);
        if (org && (await repo.attach(q, row.id, org.id, null))) attachedTo.push(org.name);
      }
      const errors: PolicyError[] =
        action === 'edited'
          ? [
              {
                path: 'version',
                line: text.split('\n').findIndex((l) => l.startsWith('version:')) + 1,
                column: 1,
                message: `文件内容与已发布的第 ${p.version} 版不同：请把 version 改为 ${p.version + 1} 以发布新版本`,
              },
            ]
          : [];
      return { file, key: p.policy, action, attachedTo, errors };
    });
    reports.push(report);
  }
  return reports;
}

/**
 * The demo city is fictional, so its codes are not the seeds' real region codes. Attach each seed
 * policy that has no attachment yet to a demo org of the matching level: the two province-level 强师计划
 * (the provincial one and Beijing's) to the root province, the city plan to the city, the 高新区 plan to the
 * first county (a 区, the demo county) and 侯马's county-level plan to the third (a 县). Their rules per
 * school apply to the schools below. Returns 'policy key → org code' for what it attached.
 */
export async function attachDemoPolicies(db: Db): Promise<Record<string, string>> {
  await syncSeedPolicies(db);
  const provinces = await repo.bureausByLevel(db, 'province');
  const cities = await repo.bureausByLevel(db, 'city');
  const counties = await repo.bureausByLevel(db, 'county');
  const plan: [string, { id: number; code: string } | undefined][] = [
    ['province-strong-teacher', provinces[0] ?? cities[0]],
    ['bayannur-2023-2025', cities[0]],
    ['alxa-hitech-2025', counties[0]],
    ['houma-2023', counties[2] ?? counties[0]],
    ['beijing-strong-teacher', provinces[0] ?? cities[0]],
  ];
  const out: Record<string, string> = {};
  for (const [key, org] of plan) {
    const p = await repo.findPolicyByKey(db, key);
    if (!p || !org || (await repo.countAttachments(db, p.id)) > 0) continue;
    if (await repo.attach(db, p.id, org.id, null)) out[key] = org.code;
  }
  return out;
}

// Seeds are loaded lazily once per database, so a fresh deployment (or a test database) has them
// without depending on a start-up hook.
const seeded = new WeakMap<Db, Promise<unknown>>();
export async function ensureSeedPolicies(db: Db): Promise<void> {
  let p = seeded.get(db);
  if (!p) {
    p = syncSeedPolicies(db);
    seeded.set(db, p);
  }
  await p;
}

// ---------------------------------------------------------------- presenters

export function presentRule(r: Rule) {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: RULE_KINDS[r.kind],
    title: r.title,
    subject: ruleSubject(r),
    unit: ruleUnit(r),
    atLeast: 'atLeast' in r ? r.atLeast : null,
    openFigure: r.openFigure ?? null,
    assumptions: r.assumptions ?? [],
    note: r.note ?? null,
    cite: r.cite,
  };
}
export type RuleDto = ReturnType<typeof presentRule>;

function presentPeriod(p: Policy['period']) {
  return { from: p.from, to: p.to === OPEN_END ? null : p.to };
}

// ---------------------------------------------------------------- visibility

function relationOf(attachPath: string, orgPath: string): 'here' | 'above' | 'below' {
  if (attachPath === orgPath) return 'here';
  return orgPath.startsWith(attachPath) ? 'above' : 'below';
}

/** The subtree a user reads compliance for: a teacher only their own school. */
export function readScope(user: CurrentUser): string {
  return user.role === 'teacher' ? user.orgPath : user.scopePath;
}

async function visiblePolicy(ctx: AppContext, user: CurrentUser, id: number): Promise<{ policy: repo.PolicyRow; attachments: repo.AttachmentRow[] }> {
  await ensureSeedPolicies(ctx.db);
  const policy = await repo.findPolicy(ctx.db, id);
  if (!policy) throw notFound('政策');
  const attachments = await repo.listAttachments(ctx.db, id);
  const scope = readScope(user);
  const visible =
    attachments.some((a) => user.orgPath.startsWith(a.org_path) || a.org_path.startsWith(scope)) ||
    // An unattached policy (e.g. the provincial seed that names no province) is a library entry bureau admins may attach.
    (attachments.length === 0 && user.role === 'bureauAdmin');
  if (!visible) throw notFound('政策');
  return { policy, attachments };
}

/** Policies that apply to the caller's org (attached here or above) and, for admins, those attached below it. */
export async function listPolicies(ctx: AppContext, user: CurrentUser) {
  await ensureSeedPolicies(ctx.db);
  const around = await repo.attachmentsAround(ctx.db, user.orgPath, readScope(user));
  const all = await repo.listAllPolicies(ctx.db);
  const attachedIds = new Set((await repo.allAttachments(ctx.db)).map((a) => a.policy_id));
  const byPolicy = new Map<number, repo.AttachmentRow[]>();
  for (const a of around) byPolicy.set(a.policy_id, [...(byPolicy.get(a.policy_id) ?? []), a]);
  const items = [];
  for (const p of all) {
    const atts = byPolicy.get(p.id) ?? [];
    const unattached = !attachedIds.has(p.id);
    if (!atts.length && !(unattached && user.role === 'bureauAdmin')) continue;
    const v = await repo.latestVersion(ctx.db, p.id);
    if (!v) continue;
    const parsed = parsedOf(v);
    const relations = atts.map((a) => relationOf(a.org_path, user.orgPath));
    const relation: 'here' | 'above' | 'below' | 'unattached' = relations.includes('here')
      ? 'here'
      : relations.includes('above')
        ? 'above'
        : atts.length
          ? 'below'
          : 'unattached';
    items.push({
      id: p.id,
      key: p.key,
      title: p.title,
      issuer: parsed.issuer ?? null,
      version: v.version,
      versionId: v.id,
      publishedAt: v.published_at,
      period: presentPeriod(parsed.period),
      sourceFile: parsed.source.file,
      /** The seed's own title, shown instead of its file name. */
      sourceTitle: parsed.source.title ?? null,
      ruleCount: parsed.rules.length,
      ruleKinds: [...new Set(parsed.rules.map((r) => r.kind))],
      /** here: attached to the caller's org; above: inherited from a parent; below: a sub-org's own policy. */
      relation,
      inForce: relation === 'here' || relation === 'above',
      attachments: atts.map((a) => ({ orgId: a.org_id, orgCode: a.org_code, orgName: a.org_name, orgLevel: a.org_level })),
    });
  }
  const order = { here: 0, above: 1, below: 2, unattached: 3 } as const;
  items.sort((a, b) => order[a.relation] - order[b.relation] || a.key.localeCompare(b.key));
  return { items };
}

/** One policy with its text, parsed rules and version history; ?version for an old one. */
export async function getPolicy(ctx: AppContext, user: CurrentUser, id: number, version?: number) {
  const { policy, attachments } = await visiblePolicy(ctx, user, id);
  const v = version ? await repo.getVersion(ctx.db, id, version) : await repo.latestVersion(ctx.db, id);
  if (!v) throw notFound('政策版本');
  const parsed = parsedOf(v);
  const versions = await repo.listVersions(ctx.db, id);
  return {
    id: policy.id,
    key: policy.key,
    title: parsed.title,
    issuer: parsed.issuer ?? null,
    origin: policy.origin,
    version: v.version,
    versionId: v.id,
    latestVersion: versions[0]?.version ?? v.version,
    text: v.text,
    source: parsed.source,
    appliesTo: parsed.appliesTo,
    period: presentPeriod(parsed.period),
    notes: parsed.notes ?? [],
    rules: parsed.rules.map(presentRule),
    parsed,
    versions: versions.map((x) => ({
      version: x.version,
      versionId: x.id,
      publishedAt: x.published_at,
      publishedBy: x.published_by_name,
      note: noteOf(x.note),
      sha256: x.sha256,
    })),
    attachments: attachments.map((a) => ({ orgId: a.org_id, orgCode: a.org_code, orgName: a.org_name, orgLevel: a.org_level })),
    canPublish: canPublish(user, attachments),
  };
}

/** Validate text without saving: errors carry line, column and field path. */
export function validatePolicyText(text: string) {
  const r = loadPolicy(text);
  if (!r.ok) return { ok: false as const, errors: r.errors, policy: null };
  return {
    ok: true as const,
    errors: [],
    policy: {
      key: r.policy.policy,
      version: r.policy.version,
      title: r.policy.title,
      period: presentPeriod(r.policy.period),
      rules: r.policy.rules.map(presentRule),
    },
  };
}

function canPublish(user: CurrentUser, attachments: repo.AttachmentRow[]): boolean {
  if (user.role !== 'bureauAdmin') return false;
  // Unattached (library) policies: only a bureau at the top of the tree may edit them.
  if (!attachments.length) return user.orgPath.split('/').filter(Boolean).length === 1;
  return attachments.some((a) => a.org_path.startsWith(user.orgPath));
}

function invalid(errors: PolicyError[]): never {
  throw badRequest(
    `政策文件有 ${errors.length} 处错误：${errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('；')}${errors.length > 3 ? '……' : ''}`,
    errors.map((e) => ({ field: e.path || `line ${e.line}`, message: e.message })),
  );
}

/**
 * Publish a new version of an existing policy (bureau admin of an org it is attached to, or above).
 * The text's `policy` must be this policy's key and its `version` the next number.
 */
export async function publishVersion(ctx: AppContext, user: CurrentUser, id: number, text: string, note: string | null, ip?: string) {
  const { policy, attachments } = await visiblePolicy(ctx, user, id);
  if (!canPublish(user, attachments)) throw forbidden('只有政策所属单位或其上级的教育局管理员可以发布新版本');
  const r = loadPolicy(text);
  if (!r.ok) invalid(r.errors);
  const p = r.policy;
  if (p.policy !== policy.key) throw badRequest(`政策编号应为 ${policy.key}`, [{ field: 'policy', message: `政策编号应为 ${policy.key}，不能在新版本中修改` }]);
  const versionId = await ctx.db.tx(async (q) => {
    await repo.lockPolicy(q, id);
    const latest = await repo.latestVersion(q, id);
    const next = (latest?.version ?? 0) + 1;
    if (p.version !== next) throw conflict(`版本号应为 ${next}（当前最新版本为 ${latest?.version ?? 0}），请修改 version 后再发布`);
    if (latest && latest.sha256 === sha256(text)) throw conflict('内容与最新版本相同，无需发布');
    const vid = await repo.insertVersion(q, { policyId: id, version: next, text, parsed: p, sha256: sha256(text), note, publishedBy: user.id });
    await repo.updatePolicyTitle(q, id, p.title);
    await audit(q, user, 'policy.publish', 'policy', id, { version: next, key: policy.key }, ip);
    return vid;
  });
  return { id, version: p.version, versionId };
}

/** Upload a new policy, attached to an org in the caller's subtree (its appliesTo.org code, or the caller's own org). */
export async function createPolicy(ctx: AppContext, user: CurrentUser, text: string, note: string | null, ip?: string) {
  if (user.role !== 'bureauAdmin') throw forbidden('只有教育局管理员可以上传政策');
  await ensureSeedPolicies(ctx.db);
  const r = loadPolicy(text);
  if (!r.ok) invalid(r.errors);
  const p = r.policy;
  if (p.version !== 1) throw badRequest('新政策的版本号应为 1', [{ field: 'version', message: '新政策的版本号应为 1' }]);
  const org = p.appliesTo.org
    ? await findInScope(ctx.db, user.scopePath, { code: p.appliesTo.org })
    : await findInScope(ctx.db, user.scopePath, { id: user.orgId });
  if (!org)
    throw badRequest(`找不到组织代码 ${p.appliesTo.org}，或该组织不在您的管辖范围内`, [{ field: 'appliesTo.org', message: '组织不存在或不在管辖范围内' }]);
  return ctx.db.tx(async (q) => {
    if (await repo.findPolicyByKey(q, p.policy)) throw conflict(`政策编号 ${p.policy} 已存在；修改已有政策请发布新版本`);
    const pid = await repo.insertPolicy(q, { key: p.policy, title: p.title, origin: 'upload', seedFile: null, createdBy: user.id });
    const vid = await repo.insertVersion(q, { policyId: pid, version: 1, text, parsed: p, sha256: sha256(text), note, publishedBy: user.id });
    await repo.attach(q, pid, org.id, user.id);
    await audit(q, user, 'policy.create', 'policy', pid, { key: p.policy, orgId: org.id }, ip);
    return { id: pid, version: 1, versionId: vid };
  });
}

/** Attach a policy to an org of the caller's subtree (bureau admins). */
export async function attachPolicy(ctx: AppContext, user: CurrentUser, id: number, orgId: number, ip?: string) {
  if (user.role !== 'bureauAdmin') throw forbidden('只有教育局管理员可以挂接政策');
  await visiblePolicy(ctx, user, id);
  const org = await findInScope(ctx.db, user.scopePath, { id: orgId });
  if (!org) throw notFound('组织');
  const added = await repo.attach(ctx.db, id, orgId, user.id);
  if (added) await audit(ctx.db, user, 'policy.attach', 'policy', id, { orgId }, ip);
  return { attached: added };
}

// ---------------------------------------------------------------- used by compliance

export interface LoadedPolicy {
  id: number;
  key: string;
  versionId: number;
  version: number;
  policy: Policy;
  attachments: repo.AttachmentRow[];
}

/** A visible policy's parsed version (latest unless given), for evaluation. */
export async function policyForEvaluation(ctx: AppContext, user: CurrentUser, id: number, version?: number): Promise<LoadedPolicy> {
  const { policy, attachments } = await visiblePolicy(ctx, user, id);
  const v = version ? await repo.getVersion(ctx.db, id, version) : await repo.latestVersion(ctx.db, id);
  if (!v) throw notFound('政策版本');
  return { id: policy.id, key: policy.key, versionId: v.id, version: v.version, policy: parsedOf(v), attachments };
}

/** Policies in force at an org path (attached on it or an ancestor), latest versions. */
export async function policiesInForceAt(q: Queryable, orgPath: string): Promise<LoadedPolicy[]> {
  const rows = await repo.inForceWithLatest(q, orgPath);
  const out: LoadedPolicy[] = [];
  for (const r of rows) {
    if (out.some((x) => x.id === r.policy_id)) continue;
    const v = r.version_row;
    out.push({
      id: r.policy_id,
      key: r.key,
      versionId: v.id,
      version: v.version,
      policy: parsedOf(v),
      attachments: rows.filter((a) => a.policy_id === r.policy_id),
    });
  }
  return out;
}

export { repo as policiesRepo };
