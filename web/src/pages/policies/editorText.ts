/** Pure text helpers of the policy editor (unit-tested without a browser). */
import type { PolicyError } from '../../api/types';

/** The message without the '第 N 行 path：' the list already shows beside it. */
export function bareMessage(e: PolicyError): string {
  for (const prefix of [`第 ${e.line} 行 ${e.path}：`, `第 ${e.line} 行：`]) if (e.message.startsWith(prefix)) return e.message.slice(prefix.length);
  return e.message;
}

/** Character offsets of a 1-based line (and column) in text. */
export function lineRange(text: string, line: number, column = 1): { start: number; end: number; at: number } {
  const lines = text.split('\n');
  const n = Math.min(Math.max(line, 1), lines.length);
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += lines[i].length + 1;
  const len = lines[n - 1].length;
  return { start, end: start + len, at: start + Math.min(Math.max(column - 1, 0), len) };
}

/** The text of the next version: the same document with `version:` set to the next number. */
export function bumpVersion(text: string, next: number): string {
  return /^version:\s*\d+/m.test(text) ? text.replace(/^(version:\s*)\d+/m, `$1${next}`) : text;
}
