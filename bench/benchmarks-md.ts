/** Writing BENCHMARKS.md: each benchmark owns one '## …' section; other sections are left alone. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = join(process.cwd(), 'BENCHMARKS.md');
const EMPTY = '# Benchmarks\n\nEach benchmark reports a ratio against a floor measured in the same run (see `bench/`).\n';

/** The current body (text after the heading line) of a section, or null when absent. */
function sectionBody(md: string, heading: string): string | null {
  const start = md.indexOf(`${heading}\n`);
  if (start < 0) return null;
  const next = md.indexOf('\n## ', start + heading.length);
  return md.slice(start + heading.length + 1, next < 0 ? md.length : next + 1);
}

/** Replace (or append) the section `heading` with `body` (text after the heading line). */
export function writeSection(heading: string, body: string): void {
  const md = existsSync(FILE) ? readFileSync(FILE, 'utf8') : EMPTY;
  const start = md.indexOf(`${heading}\n`);
  const section = `${heading}\n${body.endsWith('\n') ? body : `${body}\n`}`;
  if (start < 0) {
    writeFileSync(FILE, `${md.trimEnd()}\n\n${section}`);
    return;
  }
  const next = md.indexOf('\n## ', start + heading.length);
  writeFileSync(FILE, md.slice(0, start) + section + (next < 0 ? '' : `\n${md.slice(next + 1)}`));
}

/** Keep one result line per engine (`- <engine>, …`) under the section, sorted, after its intro. */
export function writeResultLine(heading: string, intro: string, engine: string, line: string): void {
  const md = existsSync(FILE) ? readFileSync(FILE, 'utf8') : EMPTY;
  const kept = (sectionBody(md, heading) ?? '').split('\n').filter((l) => l.startsWith('- ') && !l.startsWith(`- ${engine},`));
  writeSection(heading, `\n${intro}\n\n${[...kept, line].sort().join('\n')}\n`);
}
