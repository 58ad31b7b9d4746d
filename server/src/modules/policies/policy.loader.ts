/** Parse and validate a policy document; every error names the field path and the YAML line. */
import { isCollection, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { badRequest } from '../../platform/errors.js';
import { issueAt, PolicyDocument, type Policy } from './policy.format.js';

export interface PolicyError {
  /** Dotted path to the field, e.g. rules[3].atLeast; '' for the document itself. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export type LoadResult = { ok: true; policy: Policy; errors: [] } | { ok: false; policy: null; errors: PolicyError[] };

const YAML_MESSAGES: Record<string, string> = {
  BAD_INDENT: '缩进不正确',
  BLOCK_AS_IMPLICIT_KEY: '缩进不正确或缺少冒号',
  DUPLICATE_KEY: '同一层级出现了重复的字段名',
  MISSING_CHAR: '缺少必需的字符（引号、括号或冒号）',
  MULTILINE_IMPLICIT_KEY: '字段名不能跨行，可能缺少冒号或引号',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  UNEXPECTED_TOKEN: '出现了意外的字符',
  BAD_SCALAR_START: '值的开头不合法（含 : # 等特殊字符的值请加引号）',
  BAD_DQ_ESCAPE: '双引号字符串中的转义不正确',
  MISSING_ANCHOR: '引用了不存在的锚点',
};

/** 'rules[3].who.role' from ['rules', 3, 'who', 'role']. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

/**
 * Where a path points in the YAML: the deepest existing node on it. For an unknown key, the key
 * itself; for a missing field, the object that should hold it.
 */
function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n) as (string | number)[];
    let offset: number | undefined;
    if (n > 0) {
      // A key's own position is more useful than its value's (the value may be a nested block).
      const parent = n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      if (isCollection(parent)) {
        const last = sub[n - 1];
        const pair = (parent.items as unknown[]).find((it, idx) => {
          const p = it as { key?: { value?: unknown } | null };
          return p && typeof p === 'object' && 'key' in p ? p.key?.value === last : idx === last;
        }) as { key?: Node | null; range?: [number, number, number] } | Node | undefined;
        const keyNode = pair && 'key' in pair ? (pair.key as Node | null) : (pair as Node | undefined);
        offset = keyNode?.range?.[0];
      }
    } else {
      offset = (doc.contents as Node | null)?.range?.[0];
    }
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

/** A policy needs no aliases to speak of; a document that expands past this is an alias bomb (billion laughs). */
export const MAX_ALIAS_COUNT = 50;

/**
 * Parse YAML text into a validated policy, or the list of errors with lines. Never throws on a mistaken
 * document; a hostile one (an alias bomb) is refused outright with a 400.
 */
export function loadPolicy(text: string): LoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      policy: null,
      errors: doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return {
          path: '',
          line: pos.line,
          column: pos.col,
          message: `YAML 格式错误：${YAML_MESSAGES[e.code] ?? '无法解析'}（第 ${pos.line} 行第 ${pos.col} 列）`,
        };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError when the aliases would expand too far (resource exhaustion).
    if (err instanceof ReferenceError)
      throw badRequest('政策文本中的锚点引用（&/*）展开过多，已拒绝；请直接写出内容', [{ field: 'text', message: '锚点引用过多' }]);
    throw err;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, policy: null, errors: [{ path: '', line: 1, column: 1, message: '政策文件应为一个 YAML 对象（以 policy: 开头）' }] };
  }
  const r = PolicyDocument.safeParse(raw);
  if (r.success) {
    // A rule's citation defaults to the policy's source file, so every result can name its file.
    // and its title, so pages and exports can say 《…》§二（三） instead of a file name.
    for (const rule of r.data.rules) {
      rule.cite.file ??= r.data.source.file;
      if (!rule.cite.title && rule.cite.file === r.data.source.file) rule.cite.title = r.data.source.title ?? r.data.title;
    }
    return { ok: true, policy: r.data, errors: [] };
  }
  const errors = r.error.issues.map((i) => {
    const { path, message } = issueAt(i);
    const at = locate(doc, lc, path);
    const p = formatPath(path);
    return { path: p, line: at.line, column: at.column, message: p ? `第 ${at.line} 行 ${p}：${message}` : `第 ${at.line} 行：${message}` };
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, policy: null, errors };
}
