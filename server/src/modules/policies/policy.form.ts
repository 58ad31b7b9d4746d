/**
 * The form editor's model of a policy document (政策表单编辑): the common edits — figures, windows,
 * deadlines, reminder days, the roles a rule applies to — read from the YAML text and written back into
 * the SAME text. Edits go through the `yaml` Document API; only the lines an edit changes are taken from
 * its output, every other line (comments, quoting, flow-map spacing) stays exactly as written.
 *
 * No zod and no server imports: the web bundle uses this file as it is. The server's loader remains the
 * judge of the whole document (the form's own checks only keep it from writing a value the loader refuses).
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { TEACHER_ROLES } from '../../platform/vocab.js';
import { diffLines } from './policy.diff.js';

export type WindowType = 'year' | 'term' | 'period' | 'fixed' | 'cycle' | 'rolling' | 'afterHire';

export const WINDOW_TYPES: Record<WindowType, string> = {
  year: '每个自然年',
  term: '每学期',
  period: '整个实施期',
  fixed: '固定起止日期',
  cycle: '每 N 年一个周期',
  rolling: '截至评估日的近 N 年',
  afterHire: '入职后 N 年内',
};

export interface WindowForm {
  type: WindowType;
  from?: string;
  to?: string;
  years?: number;
  anchor?: string;
  leadDays?: number;
}

/** What the form may change in one rule; a field absent from the object is not offered for that rule. */
export interface RuleFormValues {
  /** Titles often state the figure (“不少于 40 学时”): see titleFor. */
  title: string;
  /** In the form's unit:学时, 人 … or percent (0.7 in the document is 70 here). null = 原文未给数字 (kept). */
  atLeast?: number | null;
  roles?: string[];
  window?: WindowForm;
  /** '' = no deadline. */
  deadline?: string;
  /** null = the document's default applies. */
  reminderDays?: number[] | null;
}

export interface PolicyFormValues {
  periodFrom: string;
  /** '' = 长期 (no end date). */
  periodTo: string;
  /** null = the platform default (截止前 7 天). */
  reminderDays: number[] | null;
  rules: RuleFormValues[];
}

export interface RuleFormMeta {
  index: number;
  id: string;
  kind: string;
  title: string;
  label: string;
  /** Unit of atLeast as the form shows it: 学时, 天, 人, %, 场次 … */
  unit: string;
  /** atLeast is a fraction in the document and a percentage in the form. */
  percent: boolean;
  /** Other `who` conditions than role (stage, subject …): clearing the roles then leaves those. */
  otherWho: boolean;
  /** Teachers are judged (and so reminded). */
  reminded: boolean;
}

export interface PolicyForm {
  title: string;
  meta: RuleFormMeta[];
  values: PolicyFormValues;
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
const dateOf = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : v === undefined || v === null ? '' : String(v));

const PERCENT_KINDS = (r: Raw) => (r.kind === 'staffing' && !!r.ratio) || r.kind === 'funding' || (r.kind === 'participation' && r.measure === 'sessionRate');

function unitOf(r: Raw): string {
  if (PERCENT_KINDS(r)) return '%';
  switch (r.kind) {
    case 'hours':
      return r.unit === 'days' ? '天' : '学时';
    case 'staffing':
      return '人';
    case 'participation':
      return '场次';
    case 'target':
      return r.metric === 'outboundTraining' ? '人次' : String(r.metric ?? '').startsWith('studios.') ? '个' : '人';
    default:
      return '';
  }
}

const TEACHER_JUDGED = (r: Raw) => r.kind === 'hours' || r.kind === 'credential' || (r.kind === 'participation' && r.measure === 'sessionsPerTeacher');
const HAS_WHO = (r: Raw) => r.kind === 'hours' || r.kind === 'credential' || r.kind === 'participation';
const HAS_WINDOW = (r: Raw) => r.kind === 'hours' || r.kind === 'participation' || r.kind === 'funding' || r.kind === 'planContent';
const HAS_DEADLINE = (r: Raw) => r.kind === 'credential' || r.kind === 'staffing' || r.kind === 'target';

function windowForm(w: Raw | undefined): WindowForm | undefined {
  if (!w) return undefined;
  if (w.every === 'year') return { type: 'year' };
  if (w.every === 'term') return { type: 'term' };
  if (w.period) return { type: 'period' };
  if (w.from !== undefined || w.to !== undefined) return { type: 'fixed', from: dateOf(w.from), to: dateOf(w.to) };
  const cycle = obj(w.cycle);
  if (cycle) return { type: 'cycle', years: Number(cycle.years), anchor: dateOf(cycle.anchor) };
  const rolling = obj(w.rolling);
  if (rolling) return { type: 'rolling', years: Number(rolling.years) };
  const after = obj(w.afterHire);
  if (after) return { type: 'afterHire', years: Number(after.years), leadDays: after.leadDays === undefined ? 0 : Number(after.leadDays) };
  return undefined;
}

/** The document's window object for a form window (omits leadDays 0, as people write it). */
function windowValue(w: WindowForm): Raw {
  switch (w.type) {
    case 'year':
      return { every: 'year' };
    case 'term':
      return { every: 'term' };
    case 'period':
      return { period: true };
    case 'fixed':
      return { from: w.from, to: w.to };
    case 'cycle':
      return { cycle: { years: w.years, anchor: w.anchor } };
    case 'rolling':
      return { rolling: { years: w.years } };
    case 'afterHire':
      return { afterHire: w.leadDays ? { years: w.years, leadDays: w.leadDays } : { years: w.years } };
  }
}

const daysOf = (v: unknown): number[] | null => {
  const d = obj(v)?.daysBefore;
  return Array.isArray(d) ? d.map(Number) : null;
};

function parse(text: string): Document | null {
  const doc = parseDocument(text, { uniqueKeys: true });
  return doc.errors.length ? null : doc;
}

// Keep dates as the text wrote them (2025-12-31), not Date objects.
const toRaw = (doc: Document): unknown => doc.toJS({ maxAliasCount: 50 });

/**
 * The form of a policy text, or why there is none (the YAML does not parse: fix it in the YAML editor).
 * Which fields a rule offers follows its kind: a figure where it has `atLeast`, roles where it selects
 * teachers, a window or a deadline, reminder days where teachers are judged.
 */
export function readForm(text: string): { ok: true; form: PolicyForm } | { ok: false; message: string } {
  const doc = parse(text);
  if (!doc) return { ok: false, message: 'YAML 文本有格式错误，表单无法读取；请在“编辑并发布新版本（YAML）”中修正' };
  const raw = obj(toRaw(doc));
  const rules = raw && Array.isArray(raw.rules) ? raw.rules : null;
  if (!raw || !rules) return { ok: false, message: '政策文本缺少 rules，表单无法读取；请在 YAML 中修正' };
  const period = obj(raw.period) ?? {};
  const meta: RuleFormMeta[] = [];
  const values: RuleFormValues[] = [];
  rules.forEach((x, index) => {
    const r = obj(x) ?? {};
    const percent = PERCENT_KINDS(r);
    const who = obj(r.who);
    meta.push({
      index,
      id: String(r.id ?? ''),
      kind: String(r.kind ?? ''),
      title: String(r.title ?? `第 ${index + 1} 条规则`),
      label: String(r.label ?? r.title ?? ''),
      unit: unitOf(r),
      percent,
      otherWho: !!who && Object.keys(who).some((k) => k !== 'role' && k !== 'all'),
      reminded: TEACHER_JUDGED(r),
    });
    const v: RuleFormValues = { title: String(r.title ?? '') };
    if ('atLeast' in r) {
      const n = r.atLeast;
      v.atLeast = typeof n === 'number' ? (percent ? Math.round(n * 100000) / 1000 : n) : null;
    }
    if (HAS_WHO(r)) v.roles = who?.all ? [] : asList(who?.role);
    if (HAS_WINDOW(r)) v.window = windowForm(obj(r.window));
    if (HAS_DEADLINE(r)) v.deadline = dateOf(r.deadline);
    if (TEACHER_JUDGED(r)) v.reminderDays = daysOf(r.reminders);
    values.push(v);
  });
  return {
    ok: true,
    form: {
      title: String(raw.title ?? ''),
      meta,
      values: {
        periodFrom: dateOf(period.from),
        periodTo: dateOf(period.to),
        reminderDays: daysOf(raw.reminders),
        rules: values,
      },
    },
  };
}

// ---------------------------------------------------------------- checks

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const positiveInt = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;

function dateError(s: string | undefined, what: string): string | null {
  if (!s) return `请填写${what}`;
  return validDate(s) ? null : `${what}应为有效日期，格式 YYYY-MM-DD，例如 2025-12-31`;
}

function daysError(days: number[] | null | undefined): string | null {
  if (!days) return null;
  if (days.length === 0) return '至少填写一个提醒天数，例如 30、7';
  if (days.length > 5) return '提醒天数最多 5 个';
  for (const d of days) if (!Number.isInteger(d) || d < 1 || d > 365) return `提醒天数应为 1—365 的整数（${d} 不符合）`;
  const dup = days.find((d, i) => days.indexOf(d) !== i);
  return dup === undefined ? null : `提醒天数 ${dup} 重复`;
}

/** '30、7' / '30, 7' / '30 7' → [30, 7]; '' → null (use the default); anything else → NaN items the check names. */
export function parseDays(s: string): number[] | null {
  const t = s.trim();
  if (!t) return null;
  return t
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : Number.NaN));
}

export const formatDays = (d: number[] | null | undefined) => (d ? d.join('、') : '');

/**
 * Field errors of the form, in Chinese, keyed like the loader's paths ('period.to', 'rules[0].atLeast'),
 * so a server error lands on the same field. Empty when the form can be written.
 */
export function formErrors(form: PolicyForm, values: PolicyFormValues): Record<string, string> {
  const e: Record<string, string> = {};
  const put = (k: string, m: string | null) => {
    if (m && !e[k]) e[k] = m;
  };
  put('period.from', dateError(values.periodFrom, '实施期开始日期'));
  if (values.periodTo) put('period.to', dateError(values.periodTo, '实施期结束日期'));
  if (!e['period.from'] && values.periodTo && !e['period.to'] && values.periodFrom > values.periodTo) put('period.to', '实施期的结束日期不能早于开始日期');
  put('reminders.daysBefore', daysError(values.reminderDays));
  values.rules.forEach((v, i) => {
    const m = form.meta[i];
    const at = `rules[${i}]`;
    if (v.title.trim().length < 2) put(`${at}.title`, '请填写规则标题（至少 2 个字）');
    if (v.atLeast !== undefined && v.atLeast !== null) {
      if (typeof v.atLeast !== 'number' || Number.isNaN(v.atLeast)) put(`${at}.atLeast`, '请填写数字');
      else if (v.atLeast < 0) put(`${at}.atLeast`, '不能为负数');
      else if (m.percent && v.atLeast > 100) put(`${at}.atLeast`, '百分比不能超过 100%');
    }
    if (v.atLeast === null && form.values.rules[i].atLeast !== null)
      put(`${at}.atLeast`, '请填写数字（原文未给出数字的规则请在 YAML 中写 null 和 openFigure）');
    if (v.roles) {
      for (const r of v.roles) if (!(r in TEACHER_ROLES)) put(`${at}.who.role`, `岗位角色“${r}”无效`);
    }
    const w = v.window;
    if (w) {
      if (w.type === 'fixed') {
        put(`${at}.window.from`, dateError(w.from, '开始日期'));
        put(`${at}.window.to`, dateError(w.to, '结束日期'));
        if (!e[`${at}.window.from`] && !e[`${at}.window.to`] && w.from! > w.to!) put(`${at}.window.to`, '结束日期不能早于开始日期');
      }
      if (w.type === 'cycle' || w.type === 'rolling' || w.type === 'afterHire') if (!positiveInt(w.years)) put(`${at}.window.years`, '年数应为正整数');
      if (w.type === 'cycle') put(`${at}.window.anchor`, dateError(w.anchor, '周期起点'));
      if (w.type === 'afterHire' && w.leadDays !== undefined && (!Number.isInteger(w.leadDays) || w.leadDays < 0 || w.leadDays > 366))
        put(`${at}.window.leadDays`, '入职前计入天数应为 0—366 的整数');
    }
    if (v.deadline) put(`${at}.deadline`, dateError(v.deadline, '截止日期'));
    put(`${at}.reminders.daysBefore`, daysError(v.reminderDays));
  });
  return e;
}

/** The form field a loader error path belongs to ('rules[0].window.cycle.years' → 'rules[0].window.years'). */
export function fieldOfPath(path: string): string {
  const m = /^(rules\[\d+\])\.(.*)$/.exec(path);
  if (!m) return path.startsWith('period.') ? path : path.startsWith('reminders') ? 'reminders.daysBefore' : path;
  const [, at, rest] = m;
  if (rest.startsWith('window.')) {
    const last = rest.split('.').pop()!;
    return `${at}.window.${['from', 'to', 'years', 'anchor', 'leadDays'].includes(last) ? last : 'type'}`;
  }
  if (rest === 'window') return `${at}.window.type`;
  if (rest.startsWith('who')) return `${at}.who.role`;
  if (rest.startsWith('reminders')) return `${at}.reminders.daysBefore`;
  if (rest === 'title') return `${at}.title`;
  return `${at}.${rest.replace(/\[\d+\]$/, '')}`;
}

/**
 * The title for a new figure: the original title with its figure replaced, when it states the figure
 * exactly once (“班主任每年研修不少于 40 学时” → “… 48 学时”); otherwise the original title.
 */
export function titleFor(original: string, was: number | null | undefined, now: number | null | undefined): string {
  if (was === null || was === undefined || now === null || now === undefined) return original;
  const figure = new RegExp(`(?<![\\d.])${String(was).replace('.', '\\.')}(?![\\d.])`, 'g');
  const hits = original.match(figure);
  return hits?.length === 1 ? original.replace(figure, String(now)) : original;
}

// ---------------------------------------------------------------- writing

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Set a collection at a path: flow style (`{ every: year }`, `[30, 7]`, as the seeds write them) unless it replaces a block one. */
function setFlow(doc: Document, path: (string | number)[], value: unknown) {
  const old = doc.getIn(path, true);
  const node = doc.createNode(value);
  if (isMap(node) || isSeq(node)) node.flow = isMap(old) || isSeq(old) ? !!old.flow : true;
  if (path.length === 1 && old === undefined && isMap(doc.contents)) {
    // A new top-level key goes before the (long) rules list rather than after it.
    const items = doc.contents.items;
    const at = items.findIndex((p) => isScalar(p.key) && p.key.value === 'rules');
    items.splice(at < 0 ? items.length : at, 0, doc.createPair(path[0], node));
    return;
  }
  doc.setIn(path, node);
}

function applyValues(doc: Document, form: PolicyForm, values: PolicyFormValues) {
  const before = form.values;
  if (values.periodFrom !== before.periodFrom) doc.setIn(['period', 'from'], values.periodFrom);
  if (values.periodTo !== before.periodTo) doc.setIn(['period', 'to'], values.periodTo || null);
  if (!same(values.reminderDays, before.reminderDays)) setReminders(doc, [], values.reminderDays);
  values.rules.forEach((v, i) => {
    const b = before.rules[i];
    const m = form.meta[i];
    const at = ['rules', i];
    if (v.title !== b.title) doc.setIn([...at, 'title'], v.title);
    if (v.atLeast !== undefined && v.atLeast !== null && v.atLeast !== b.atLeast)
      doc.setIn([...at, 'atLeast'], m.percent ? Math.round(v.atLeast * 1000) / 100000 : v.atLeast);
    if (v.roles && !same(v.roles, b.roles)) {
      if (v.roles.length === 0 && !m.otherWho) setFlow(doc, [...at, 'who'], { all: true });
      else if (v.roles.length === 0) doc.deleteIn([...at, 'who', 'role']);
      else {
        if (doc.getIn([...at, 'who', 'all']) !== undefined) doc.deleteIn([...at, 'who', 'all']);
        setFlow(doc, [...at, 'who', 'role'], v.roles.length === 1 ? v.roles[0] : v.roles);
      }
    }
    if (v.window && !same(v.window, b.window)) {
      const w = v.window;
      if (b.window && w.type === b.window.type) {
        // Same kind of window: change only the numbers, so the line keeps its shape.
        const value = windowValue(w);
        for (const [k, x] of Object.entries(value)) {
          const inner = obj(x);
          if (inner) for (const [k2, x2] of Object.entries(inner)) setIfChanged(doc, [...at, 'window', k, k2], x2);
          else setIfChanged(doc, [...at, 'window', k], x);
        }
        if (w.type === 'afterHire' && !w.leadDays && doc.getIn([...at, 'window', 'afterHire', 'leadDays']) !== undefined)
          doc.deleteIn([...at, 'window', 'afterHire', 'leadDays']);
      } else setFlow(doc, [...at, 'window'], windowValue(w));
    }
    if (v.deadline !== undefined && v.deadline !== b.deadline) {
      if (v.deadline) doc.setIn([...at, 'deadline'], v.deadline);
      else doc.deleteIn([...at, 'deadline']);
    }
    if (v.reminderDays !== undefined && !same(v.reminderDays, b.reminderDays)) setReminders(doc, at, v.reminderDays);
  });
}

function setIfChanged(doc: Document, path: (string | number)[], value: unknown) {
  if (dateOf(doc.getIn(path)) !== dateOf(value)) doc.setIn(path, value);
}

function setReminders(doc: Document, at: (string | number)[], days: number[] | null) {
  const path = [...at, 'reminders'];
  const current = obj(doc.getIn(path) && toRawNode(doc, path));
  if (days === null) {
    // Back to the default: drop daysBefore, and the whole reminders map when nothing else is left.
    if (!current) return;
    if (Object.keys(current).length <= 1) doc.deleteIn(path);
    else doc.deleteIn([...path, 'daysBefore']);
    return;
  }
  if (current) setFlow(doc, [...path, 'daysBefore'], days);
  else setFlow(doc, path, { daysBefore: days });
}

const toRawNode = (doc: Document, path: (string | number)[]): unknown => {
  const n = doc.getIn(path, true) as { toJSON?: () => unknown } | undefined;
  return n && typeof n.toJSON === 'function' ? n.toJSON() : n;
};

/**
 * The text with the form's values written into it. Lines the edit does not touch are the original
 * lines, byte for byte (comments, quotes, spacing); changed lines come from the yaml Document.
 */
export function applyForm(text: string, form: PolicyForm, values: PolicyFormValues): string {
  const doc = parse(text);
  if (!doc) return text;
  const opts = { lineWidth: 0 } as const;
  const base = doc.toString(opts);
  applyValues(doc, form, values);
  const edited = doc.toString(opts);
  if (edited === base) return text;
  const orig = text.split('\n');
  const baseLines = base.split('\n');
  // The original and its unedited rendering line up one to one unless the renderer reflowed something.
  if (orig.length !== baseLines.length) return edited;
  const out: string[] = [];
  for (const d of diffLines(base, edited)) {
    if (d.type === 'same') out.push(orig[d.oldLine! - 1]);
    // The renderer pads flow lists ([ a, b ]); the seeds write them [a, b], as do most people.
    else if (d.type === 'add') out.push(/['"]/.test(d.text) ? d.text : d.text.replace(/\[ /g, '[').replace(/ \]/g, ']'));
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- readable summary

function windowWords(w: WindowForm | undefined): string {
  if (!w) return '—';
  switch (w.type) {
    case 'fixed':
      return `${w.from} 至 ${w.to}`;
    case 'cycle':
      return `每 ${w.years} 年一个周期（自 ${w.anchor} 起）`;
    case 'rolling':
      return `截至评估日的近 ${w.years} 年`;
    case 'afterHire':
      return `入职后 ${w.years} 年内${w.leadDays ? `（含入职前 ${w.leadDays} 天）` : ''}`;
    default:
      return WINDOW_TYPES[w.type];
  }
}

const rolesWords = (roles: string[] | undefined) =>
  roles?.length ? roles.map((r) => TEACHER_ROLES[r as keyof typeof TEACHER_ROLES] ?? r).join('、') : '不按岗位限定';
const daysWords = (d: number[] | null | undefined, fallback: string) => (d ? `截止前 ${d.map((x) => `${x} 天`).join('、')}` : fallback);
const figureWords = (n: number | null | undefined, unit: string) => (n === null || n === undefined ? '原文未给数字' : `${n}${unit === '%' ? '%' : ` ${unit}`}`);

/** One readable change: “班主任研修 · 要求：40 学时 → 48 学时”. */
export interface FigureChange {
  /** The rule's short name (label, else title); '政策' for document-wide settings. */
  subject: string;
  field: string;
  from: string;
  to: string;
}

/**
 * What changed between two versions, in words, for the publish confirmation: per rule (matched by id)
 * the figure, the roles, the window, the deadline and the reminder days; the implementation period and
 * the default reminder days; rules added or removed. Text the form does not read (citations …) shows in
 * the line diff only.
 */
export function changeSummary(oldText: string, newText: string): FigureChange[] {
  const a = readForm(oldText);
  const b = readForm(newText);
  if (!a.ok || !b.ok) return [];
  const out: FigureChange[] = [];
  const A = a.form;
  const B = b.form;
  const push = (subject: string, field: string, from: string, to: string) => from !== to && out.push({ subject, field, from, to });
  push('政策', '实施期', `${A.values.periodFrom} 至 ${A.values.periodTo || '长期'}`, `${B.values.periodFrom} 至 ${B.values.periodTo || '长期'}`);
  push('政策', '默认提醒', daysWords(A.values.reminderDays, '截止前 7 天（平台默认）'), daysWords(B.values.reminderDays, '截止前 7 天（平台默认）'));
  const byId = new Map(A.meta.map((m) => [m.id, m.index]));
  for (const m of B.meta) {
    const i = byId.get(m.id);
    const name = m.label || m.title;
    if (i === undefined) {
      push(name, '规则', '（无）', `新增：${m.title}`);
      continue;
    }
    const was = A.values.rules[i];
    const now = B.values.rules[m.index];
    if (A.meta[i].title !== m.title) push(name, '标题', A.meta[i].title, m.title);
    if ('atLeast' in now || 'atLeast' in was) push(name, '要求', figureWords(was.atLeast, A.meta[i].unit), figureWords(now.atLeast, m.unit));
    if (now.roles || was.roles) push(name, '适用岗位', rolesWords(was.roles), rolesWords(now.roles));
    if (now.window || was.window) push(name, '统计期', windowWords(was.window), windowWords(now.window));
    if (now.deadline !== undefined || was.deadline !== undefined) push(name, '截止日期', was.deadline || '未规定', now.deadline || '未规定');
    if (now.reminderDays !== undefined || was.reminderDays !== undefined)
      push(name, '提醒', daysWords(was.reminderDays, '按政策默认'), daysWords(now.reminderDays, '按政策默认'));
  }
  const kept = new Set(B.meta.map((m) => m.id));
  for (const m of A.meta) if (!kept.has(m.id)) push(m.label || m.title, '规则', m.title, '（已删除）');
  return out;
}

/** “班主任研修 · 要求：40 学时 → 48 学时”. */
export const changeText = (c: FigureChange) => `${c.subject} · ${c.field}：${c.from} → ${c.to}`;
