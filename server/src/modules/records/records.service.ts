import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { deleteStoredFile, getFiles, openDownload, saveUpload, type Download, type UploadPart } from '../../platform/files.js';
import { piiViewOf, type PiiView } from '../../platform/pii-view.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { applyApprovedChange } from './records.apply.js';
import { changeMachine, EDITABLE, KIND_LABELS, TEACHER_ACTIONS, type ChangeAction } from './records.machine.js';
import * as repo from './records.repository.js';
import type { ChangeRow, VersionRow } from './records.repository.js';
import { MAX_CHANGE_FILES, type ChangeInput, type ChangeListQuery, type ChangeUpdate } from './records.schema.js';
import { diffFields, displayValue, entryTitle, SECTION_KEYS, SECTIONS, validateFields, type EntryFields, type SectionKey } from './records.sections.js';
import { todayInChina } from '../../platform/china-time.js';

const REVIEW_LINK = '/records/review';
/** A teacher's drafts, pending and returned changes at once: enough for a whole record, not a flood. */
const MAX_OPEN_CHANGES = 50;
const MY_LINK = '/my/record';

/** Who is looking: the teacher (their own record only) or a reader of a subtree (信息管理员, 学校/教育局管理员). */
type Viewer = { kind: 'teacher'; teacherId: number } | { kind: 'reader'; scopePath: string };

function viewerOf(user: CurrentUser): Viewer {
  if (user.role === 'teacher' && user.teacherId) return { kind: 'teacher', teacherId: user.teacherId };
  if (can(user, 'records.read')) return { kind: 'reader', scopePath: user.scopePath };
  throw forbidden('无权查看教师档案');
}

function scopeOf(v: Viewer): repo.ChangeScope {
  return v.kind === 'teacher' ? { scopePath: '/', teacherId: v.teacherId } : { scopePath: v.scopePath, excludeDrafts: true };
}

/** The teacher sees their own record in full; others as their role's personal-data view says. */
const viewFor = (user: CurrentUser, teacherId: number): PiiView => (user.role === 'teacher' && user.teacherId === teacherId ? 'full' : piiViewOf(user));

/** The change if the caller may see it (a reader never sees a draft), else 404. */
async function changeOr404(q: Queryable, user: CurrentUser, id: number, lock = false): Promise<ChangeRow> {
  const [c] = await repo.findChanges(q, scopeOf(viewerOf(user)), [id], lock);
  if (!c) throw notFound('档案变更');
  return c;
}

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('只有教师本人可以修改自己的档案');
  return user.teacherId;
}

/** May this user take this action on the change (its state already checked)? */
function actorError(user: CurrentUser, c: ChangeRow, action: ChangeAction) {
  if (TEACHER_ACTIONS.includes(action)) return user.role === 'teacher' && user.teacherId === c.teacher_id ? null : forbidden('只有教师本人可以报送或撤回');
  if (!can(user, 'records.review')) return forbidden('无权审核档案变更');
  if (user.orgLevel !== 'school') return forbidden('档案变更由教师所在学校的信息管理员审核');
  if (!c.org_path.startsWith(user.orgPath)) return forbidden('档案变更由教师所在学校的信息管理员审核');
  if (user.teacherId === c.teacher_id) return forbidden('不能审核本人的档案变更');
  return null;
}

/** A field's value as this viewer may see it (certificate numbers hidden from the 'limited' view). */
function shown(section: SectionKey, key: string, v: string | null, view: PiiView): string {
  const f = SECTIONS[section].fields.find((x) => x.key === key);
  if (!f) return v ?? '—';
  if (f.secret && view === 'limited' && v) return '（不可见）';
  return displayValue(f, v);
}

/** Field by field: label, before, after, changed (display values). */
function compareRows(section: SectionKey, before: EntryFields | null, after: EntryFields | null, view: PiiView) {
  return SECTIONS[section].fields.map((f) => ({
    key: f.key,
    label: f.label,
    before: before ? shown(section, f.key, before[f.key] ?? null, view) : null,
    after: after ? shown(section, f.key, after[f.key] ?? null, view) : null,
    changed: (before?.[f.key] ?? null) !== (after?.[f.key] ?? null),
  }));
}

const visibleFields = (section: SectionKey, fields: EntryFields, view: PiiView): EntryFields =>
  view === 'full'
    ? fields
    : Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECTIONS[section].fields.find((f) => f.key === k)?.secret && v ? null : v]));

export function presentChange(c: ChangeRow, user: CurrentUser) {
  const view = viewFor(user, c.teacher_id);
  const after = c.kind === 'remove' ? null : c.fields;
  return {
    id: c.id,
    teacherId: c.teacher_id,
    teacherName: c.teacher_name,
    orgName: c.org_name,
    entryId: c.entry_id,
    section: c.section,
    sectionLabel: SECTIONS[c.section].label,
    kind: c.kind,
    kindLabel: KIND_LABELS[c.kind],
    title: entryTitle(c.section, c.kind === 'remove' ? (c.base_fields ?? c.fields) : c.fields),
    /** The proposed fields (raw values, for the teacher's form). */
    fields: visibleFields(c.section, c.fields, view),
    compare: compareRows(c.section, c.base_fields, after, view),
    note: c.note,
    status: c.status,
    statusLabel: changeMachine.stateLabel(c.status),
    returnReason: c.return_reason,
    fileCount: c.file_count,
    evidenceRequired: SECTIONS[c.section].evidenceRequired && c.kind !== 'remove',
    createdAt: c.created_at,
    submittedAt: c.submitted_at,
    decidedAt: c.decided_at,
    decidedBy: c.decided_by_name,
    allowedActions: changeMachine.allowedActions(c.status).filter((a) => !actorError(user, c, a.action)),
    editable: user.role === 'teacher' && user.teacherId === c.teacher_id && EDITABLE.includes(c.status),
  };
}
export type ChangeDto = ReturnType<typeof presentChange>;

const fileList = async (q: Queryable, ids: number[]) =>
  (await getFiles(q, ids)).map((f) => ({ id: f.id, name: f.originalName, kind: f.kind, size: f.size, uploadedAt: f.createdAt }));

/** One change with its evidence and its steps (404 if the caller may not see it). */
export async function getChange(ctx: AppContext, user: CurrentUser, id: number) {
  const c = await changeOr404(ctx.db, user, id);
  const [files, events] = await Promise.all([repo.changeFiles(ctx.db, id), repo.listEvents(ctx.db, id)]);
  return {
    ...presentChange(c, user),
    files: await fileList(
      ctx.db,
      files.map((f) => f.file_id),
    ),
    history: events.map((e) => ({
      at: e.at,
      action: e.action,
      actionLabel: e.action === 'create' ? '创建' : (changeMachine.transitions[e.action as ChangeAction]?.label ?? e.action),
      toLabel: changeMachine.stateLabel(e.to_status),
      comment: e.comment,
      userName: e.user_name,
    })),
  };
}

/**
 * Changes the caller may see, newest first: a teacher their own; a reader those of their subtree (no drafts).
 * `pending=1` is the review queue: waiting for a decision, oldest first.
 */
export async function listChanges(ctx: AppContext, user: CurrentUser, f: ChangeListQuery) {
  const s: repo.ChangeScope & { statuses?: repo.ChangeStatus[]; q?: string } = scopeOf(viewerOf(user));
  if (f.status) s.statuses = [f.status];
  if (f.pending === '1') s.statuses = ['pending'];
  if (f.q) s.q = f.q;
  const r = await repo.listChanges(ctx.db, s, f.page, f.pageSize, f.pending === '1');
  return { items: r.rows.map((c) => presentChange(c, user)), total: r.total, page: f.page, pageSize: f.pageSize };
}

function checked(section: SectionKey, raw: Record<string, unknown>, now: Date): EntryFields {
  const r = validateFields(section, raw, todayInChina(now));
  if (!r.ok) throw badRequest(`请检查：${r.errors.map((e) => e.message).join('；')}`, r.errors);
  return r.fields;
}

/** The entry's current version if it is part of the record (not removed), else 404. */
async function liveVersion(q: Queryable, teacherId: number, entryId: number): Promise<{ entry: repo.EntryRow; version: VersionRow }> {
  const entry = await repo.findEntry(q, teacherId, entryId);
  const version = entry && (await repo.latestVersion(q, entryId));
  if (!entry || !version || version.removed) throw notFound('档案条目');
  return { entry, version };
}

/**
 * A teacher starts a change of their own record (a draft): add an entry to a section, or edit or remove one of
 * their entries. An edit or removal carries the entry's evidence over; only one open change per entry.
 */
export async function createChange(ctx: AppContext, user: CurrentUser, input: ChangeInput, now = new Date()) {
  const teacherId = ownTeacher(user);
  return ctx.db.tx(async (q) => {
    if ((await repo.openChangeCount(q, teacherId)) >= MAX_OPEN_CHANGES) throw conflict(`未完成的变更已有 ${MAX_OPEN_CHANGES} 条，请先报送或撤回其中一些`);
    let id: number;
    if (input.kind === 'add') {
      const fields = checked(input.section, input.fields, now);
      const entryId = await repo.insertEntry(q, teacherId, input.section, user.id);
      id = await repo.insertChange(q, {
        teacherId,
        entryId,
        section: input.section,
        kind: 'add',
        baseVersionId: null,
        fields,
        note: input.note,
        userId: user.id,
      });
    } else {
      const { entry, version } = await liveVersion(q, teacherId, input.entryId);
      if (await repo.openChangeOf(q, entry.id)) throw conflict('该条目已有未完成的变更，请先报送、修改或撤回那一条');
      let fields = version.fields;
      if (input.kind === 'edit') {
        // The same fields are allowed here: the change may replace only the evidence (checked at 报送).
        fields = checked(entry.section, input.fields, now);
      } else if (input.note.length < 2) throw badRequest('请填写删除原因（至少 2 个字）', [{ field: 'note', message: '请填写删除原因' }]);
      id = await repo.insertChange(q, {
        teacherId,
        entryId: entry.id,
        section: entry.section,
        kind: input.kind,
        baseVersionId: version.id,
        fields,
        note: input.note,
        userId: user.id,
      });
      await repo.attachFiles(q, id, version.file_ids, true);
    }
    await repo.insertEvent(q, { changeId: id, userId: user.id, action: 'create', from: null, to: 'draft', comment: null });
    return presentChange(await changeOr404(q, user, id), user);
  });
}

function assertEditable(user: CurrentUser, c: ChangeRow, what: string): void {
  if (user.teacherId !== c.teacher_id) throw forbidden('只有教师本人可以修改');
  if (!EDITABLE.includes(c.status)) throw conflict(`当前状态「${changeMachine.stateLabel(c.status)}」不能${what}`);
}

/** Change the fields or the note of a draft or returned change (the teacher's own). */
export async function updateChange(ctx: AppContext, user: CurrentUser, id: number, input: ChangeUpdate, now = new Date()) {
  ownTeacher(user);
  return ctx.db.tx(async (q) => {
    const c = await changeOr404(q, user, id, true);
    assertEditable(user, c, '修改');
    let fields = c.fields;
    if (c.kind !== 'remove' && input.fields) {
      fields = checked(c.section, input.fields, now);
    }
    if (c.kind === 'remove' && input.note.length < 2) throw badRequest('请填写删除原因（至少 2 个字）', [{ field: 'note', message: '请填写删除原因' }]);
    await repo.updateChangeFields(q, id, fields, input.note);
    return presentChange(await changeOr404(q, user, id), user);
  });
}

/** Attach one evidence file (PDF / PNG / JPEG, ≤ 10 MB; at most 5) to the teacher's editable change. */
export async function addEvidence(ctx: AppContext, user: CurrentUser, id: number, part: UploadPart | Buffer, fileName?: string) {
  ownTeacher(user);
  const pre = await changeOr404(ctx.db, user, id);
  assertEditable(user, pre, '上传证明材料');
  if (pre.kind === 'remove') throw conflict('删除条目不需要上传证明材料');
  if (pre.file_count >= MAX_CHANGE_FILES) throw conflict(`每条变更最多 ${MAX_CHANGE_FILES} 个证明材料`);
  const saved = await saveUpload(ctx, part, {
    allowed: ['pdf', 'png', 'jpeg'],
    owner: { userId: user.id, orgId: pre.org_id },
    purpose: 'recordEvidence',
    originalName: fileName,
  });
  try {
    await ctx.db.tx(async (q) => {
      const c = await changeOr404(q, user, id, true);
      assertEditable(user, c, '上传证明材料');
      if (c.file_count >= MAX_CHANGE_FILES) throw conflict(`每条变更最多 ${MAX_CHANGE_FILES} 个证明材料`);
      await repo.attachFiles(q, id, [saved.fileId], false);
    });
  } catch (err) {
    const cleanup = await ctx.db.tx((q) => deleteStoredFile(ctx, q, saved.fileId));
    await cleanup();
    throw err;
  }
  return { id: saved.fileId, name: saved.originalName, kind: saved.kind, size: saved.size };
}

/**
 * Take an evidence file off the teacher's editable change. A file uploaded for this change is deleted; one carried
 * over from the entry's current version stays (that version still shows it).
 */
export async function removeEvidence(ctx: AppContext, user: CurrentUser, id: number, fileId: number): Promise<void> {
  ownTeacher(user);
  const cleanup = await ctx.db.tx(async (q): Promise<() => Promise<void>> => {
    const c = await changeOr404(q, user, id, true);
    assertEditable(user, c, '删除证明材料');
    const d = await repo.detachFile(q, id, fileId);
    if (!d) throw notFound('证明材料');
    if (d.inherited) return async () => undefined;
    return deleteStoredFile(ctx, q, fileId);
  });
  await cleanup();
}

/** Open an evidence file of a change the caller may see (the teacher; readers of the subtree), else 404. */
export async function downloadEvidence(ctx: AppContext, user: CurrentUser, id: number, fileId: number): Promise<Download> {
  await changeOr404(ctx.db, user, id);
  const ids = (await repo.changeFiles(ctx.db, id)).map((f) => f.file_id);
  return openDownload(ctx, user, fileId, (f) => ids.includes(f.id));
}

/** Open an evidence file of an entry version of a teacher's record the caller may read, else 404. */
export async function downloadEntryEvidence(ctx: AppContext, user: CurrentUser, teacherId: number, fileId: number): Promise<Download> {
  await teacherOr404(ctx.db, user, teacherId);
  const ok = await repo.fileOfTeacher(ctx.db, teacherId, fileId);
  return openDownload(ctx, user, fileId, () => ok);
}

/** Does an edit carry exactly the evidence of the version it edits (nothing added, nothing taken off)? */
async function sameEvidence(q: Queryable, c: ChangeRow): Promise<boolean> {
  const files = await repo.changeFiles(q, c.id);
  const base = c.base_version_id ? await repo.latestVersion(q, c.entry_id) : undefined;
  return files.every((f) => f.inherited) && files.length === (base?.file_ids.length ?? 0);
}

/** Write the new version of the entry the approved change is about, and apply a credential section to the teacher. */
async function approve(q: Queryable, user: CurrentUser, c: ChangeRow): Promise<number> {
  const latest = await repo.latestVersion(q, c.entry_id);
  if ((latest?.id ?? null) !== c.base_version_id) throw conflict('该条目已被其他变更修改，请退回后由教师重新填写');
  const after = c.kind === 'remove' ? null : c.fields;
  const files = (await repo.changeFiles(q, c.id)).map((f) => f.file_id);
  const versionId = await repo.insertVersion(q, {
    entryId: c.entry_id,
    fields: c.kind === 'remove' ? (c.base_fields ?? c.fields) : c.fields,
    fileIds: c.kind === 'remove' ? [] : files,
    removed: c.kind === 'remove',
    changes: diffFields(c.section, c.base_fields, after),
    changeId: c.id,
    submittedBy: c.created_by,
    approvedBy: user.id,
  });
  const all = await repo.versionHistory(q, c.teacher_id);
  const current = await repo.currentVersions(q, c.teacher_id);
  await applyApprovedChange(q, user, { teacherId: c.teacher_id, section: c.section, kind: c.kind }, current, all);
  return versionId;
}

/**
 * One step of a change: 报送 / 撤回 (the teacher), 审核通过 / 退回 (the school's 信息管理员). The state machine
 * answers 409, the actor rule 403; 报送 needs the section's evidence, 退回 a reason. Approval writes the entry's new
 * version (and the teacher's credential facts) in the same transaction; the teacher and the reviewers are notified.
 */
export async function transition(ctx: AppContext, user: CurrentUser, id: number, action: ChangeAction, comment?: string, now = new Date()) {
  if (!(user.role === 'teacher' && user.teacherId) && !can(user, 'records.review')) throw forbidden('无权审核档案变更');
  const reason = comment?.trim() || null;
  return ctx.db.tx(async (q) => {
    const c = await changeOr404(q, user, id, true);
    const to = changeMachine.assertTransition(c.status, action);
    const denied = actorError(user, c, action);
    if (denied) throw denied;
    if (action === 'return' && (!reason || reason.length < 2))
      throw badRequest('退回时请填写原因（至少 2 个字）', [{ field: 'comment', message: '请填写退回原因' }]);
    if (action === 'submit') {
      if (c.kind !== 'remove' && SECTIONS[c.section].evidenceRequired && c.file_count < 1)
        throw badRequest(`请上传${SECTIONS[c.section].label}的证明材料（证书、文件的照片或扫描件）后再报送`, [{ field: 'files', message: '请上传证明材料' }]);
      if (c.kind !== 'remove') checked(c.section, c.fields, now);
      if (c.kind === 'edit' && !Object.keys(diffFields(c.section, c.base_fields, c.fields)).length && (await sameEvidence(q, c)))
        throw badRequest('没有修改任何内容：请修改信息或更换证明材料后再报送', [{ field: 'fields', message: '没有修改任何内容' }]);
    }
    const versionId = action === 'approve' ? await approve(q, user, c) : null;
    if (!(await repo.setStatus(q, c.id, c.status, to, { userId: user.id, reason: action === 'return' ? reason : null, versionId })))
      throw conflict('该变更已被他人处理，请刷新后重试');
    await repo.insertEvent(q, { changeId: c.id, userId: user.id, action, from: c.status, to, comment: reason });
    const what = `${SECTIONS[c.section].label}「${entryTitle(c.section, c.kind === 'remove' ? (c.base_fields ?? c.fields) : c.fields)}」的${KIND_LABELS[c.kind]}`;
    if (action === 'submit') {
      await notify(q, await usersAt(q, [c.org_id], ['infoAdmin']), { kind: 'record', title: `${c.teacher_name}报送了${what}，待审核`, link: REVIEW_LINK });
    } else if (action === 'approve' || action === 'return') {
      await notify(q, await repo.usersOfTeacher(q, c.teacher_id), {
        kind: 'record',
        title: action === 'approve' ? `您的${what}已审核通过，已生效` : `您的${what}被退回`,
        body: reason ? `退回原因：${reason}` : '',
        link: MY_LINK,
      });
      await audit(q, user, action === 'approve' ? 'record.approve' : 'record.return', 'record_change', c.id, {
        teacherId: c.teacher_id,
        section: c.section,
        kind: c.kind,
      });
    }
    return presentChange(await changeOr404(q, user, id), user);
  });
}

/** The teacher, if in the reader's subtree (a teacher: only themself), else 404. */
async function teacherOr404(q: Queryable, user: CurrentUser, teacherId: number) {
  const v = viewerOf(user);
  const t = await repo.teacherOrg(q, teacherId);
  if (!t || (v.kind === 'teacher' ? v.teacherId !== teacherId : !t.path.startsWith(v.scopePath))) throw notFound('教师');
  return t;
}

/** What a teacher's record lacks: the expected sections without an entry, entries without evidence. */
function missingOf(sections: SectionKey[], missingEvidence: number): string[] {
  const out = SECTION_KEYS.filter((k) => SECTIONS[k].expected && !sections.includes(k)).map((k) => SECTIONS[k].expected as string);
  if (missingEvidence > 0) out.push(`${missingEvidence} 条记录缺少证明材料`);
  return out;
}

const EVIDENCE_SECTIONS = SECTION_KEYS.filter((k) => SECTIONS[k].evidenceRequired);

/**
 * A teacher's record as the caller may see it: the section definitions (the web form is built from them), the
 * current entries of each section with their evidence, the open changes, what is missing, and the history of every
 * approved change field by field (who submitted, who approved, when, old → new).
 */
export async function teacherRecord(ctx: AppContext, user: CurrentUser, teacherId: number) {
  const t = await teacherOr404(ctx.db, user, teacherId);
  const view = viewFor(user, teacherId);
  const [current, history, changes, [comp]] = await Promise.all([
    repo.currentVersions(ctx.db, teacherId),
    repo.versionHistory(ctx.db, teacherId),
    repo.listChanges(ctx.db, { ...scopeOf(viewerOf(user)), teacherId, statuses: ['draft', 'pending', 'returned'] }, 1, 100, false),
    repo.completenessRows(ctx.db, '/', EVIDENCE_SECTIONS, teacherId),
  ]);
  const files = new Map((await getFiles(ctx.db, [...new Set(current.flatMap((v) => v.file_ids))])).map((f) => [f.id, f]));
  const openByEntry = new Map(changes.rows.map((c) => [c.entry_id, c]));
  const sections = SECTION_KEYS.map((key) => {
    const def = SECTIONS[key];
    const entries = current
      .filter((v) => v.section === key && !v.removed)
      .sort((a, b) => String(b.fields[def.dateKey] ?? '').localeCompare(String(a.fields[def.dateKey] ?? '')))
      .map((v) => {
        const open = openByEntry.get(v.entry_id);
        return {
          entryId: v.entry_id,
          title: entryTitle(key, v.fields),
          fields: visibleFields(key, v.fields, view),
          display: def.fields.map((f) => ({ key: f.key, label: f.label, value: shown(key, f.key, v.fields[f.key] ?? null, view) })),
          files: v.file_ids
            .map((id) => files.get(id))
            .filter((f) => !!f)
            .map((f) => ({ id: f.id, name: f.originalName, kind: f.kind, size: f.size })),
          version: v.seq,
          approvedAt: v.approved_at,
          approvedBy: v.approved_by_name,
          openChange: open ? { id: open.id, kind: open.kind, status: open.status, statusLabel: changeMachine.stateLabel(open.status) } : null,
        };
      });
    return {
      key,
      label: def.label,
      evidenceRequired: def.evidenceRequired,
      fields: def.fields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        required: !!f.required,
        options: f.options ?? null,
        max: f.max ?? 50,
        hint: f.hint ?? null,
      })),
      entries,
      /** Entries being added (not yet part of the record). */
      pendingAdds: changes.rows.filter((c) => c.section === key && c.kind === 'add').map((c) => presentChange(c, user)),
    };
  });
  return {
    teacher: { id: teacherId, name: t.teacher_name, orgName: t.name },
    sections,
    openChanges: changes.rows.map((c) => presentChange(c, user)),
    missing: comp ? missingOf(comp.sections, comp.missing_evidence) : [],
    history: history.map((v) => ({
      at: v.approved_at,
      section: v.section,
      sectionLabel: SECTIONS[v.section].label,
      entryId: v.entry_id,
      title: entryTitle(v.section, v.fields),
      action: v.removed ? '删除' : v.seq === 1 ? '新增' : '修改',
      submittedBy: v.submitted_by_name,
      approvedBy: v.approved_by_name,
      changes: Object.entries(v.changes).map(([k, d]) => ({
        key: k,
        label: SECTIONS[v.section].fields.find((f) => f.key === k)?.label ?? k,
        from: shown(v.section, k, d.from, view),
        to: shown(v.section, k, d.to, view),
      })),
    })),
  };
}

/** The signed-in teacher's own record. */
export async function myRecord(ctx: AppContext, user: CurrentUser) {
  return teacherRecord(ctx, user, ownTeacher(user));
}

/**
 * The completeness of the records of the caller's subtree (a school's 信息管理员: their school): how many active
 * teachers, how many complete, how many lack each expected section or evidence, and the incomplete teachers (at most
 * 200, by school and name).
 */
export async function completeness(ctx: AppContext, user: CurrentUser) {
  const v = viewerOf(user);
  if (v.kind !== 'reader') throw forbidden('无权查看档案完整性统计');
  const rows = await repo.completenessRows(ctx.db, v.scopePath, EVIDENCE_SECTIONS);
  const expected = SECTION_KEYS.filter((k) => SECTIONS[k].expected);
  const incomplete = rows.map((r) => ({ r, missing: missingOf(r.sections, r.missing_evidence) })).filter((x) => x.missing.length);
  const pending = await repo.listChanges(ctx.db, { scopePath: v.scopePath, excludeDrafts: true, statuses: ['pending'] }, 1, 1, true);
  return {
    teachers: rows.length,
    complete: rows.length - incomplete.length,
    pendingChanges: pending.total,
    missingBySection: expected.map((k) => ({ section: k, label: SECTIONS[k].label, count: rows.filter((r) => !r.sections.includes(k)).length })),
    missingEvidence: rows.filter((r) => r.missing_evidence > 0).length,
    incomplete: incomplete.slice(0, 200).map(({ r, missing }) => ({ teacherId: r.teacher_id, teacherName: r.teacher_name, orgName: r.org_name, missing })),
  };
}

/**
 * 登记错误 — the audited mistake path, the only hard delete: the school's 信息管理员 deletes an entry that should never
 * have existed (entered under the wrong teacher, a test) with its versions, changes and evidence. The teacher's
 * credential facts are derived again without it; the audit line keeps the reason, the section and the counts (no field
 * values). Anything else is corrected by a change: versions are history.
 */
export async function purgeEntry(ctx: AppContext, user: CurrentUser, entryId: number, reason: string, ip?: string) {
  if (!can(user, 'records.review')) throw forbidden('无权删除档案条目');
  if (user.orgLevel !== 'school') throw forbidden('档案条目由教师所在学校的信息管理员处理');
  const cleanups = await ctx.db.tx(async (q) => {
    const e = await repo.findEntryInOrg(q, entryId, user.orgPath);
    if (!e) throw notFound('档案条目');
    if (user.teacherId === e.teacher_id) throw forbidden('不能删除本人的档案条目');
    const r = await repo.purgeEntry(q, entryId);
    const out: (() => Promise<void>)[] = [];
    for (const f of r.fileIds) out.push(await deleteStoredFile(ctx, q, f));
    const current = await repo.currentVersions(q, e.teacher_id);
    const all = await repo.versionHistory(q, e.teacher_id);
    await applyApprovedChange(q, user, { teacherId: e.teacher_id, section: e.section, kind: 'remove' }, current, all);
    await audit(
      q,
      user,
      'record.purge',
      'record_entry',
      entryId,
      { teacherId: e.teacher_id, section: e.section, versions: r.versions, changes: r.changes, files: r.fileIds.length, reason },
      ip,
    );
    return out;
  });
  for (const c of cleanups) await c();
  return { deleted: true };
}
