/** Line diff of two policy texts, for the publish confirmation and the form writer. No imports: the web uses it too. */

export interface DiffLine {
  type: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line in the old text (same, del). */
  oldLine?: number;
  /** 1-based line in the new text (same, add). */
  newLine?: number;
}

/** A line diff (longest common subsequence after trimming the common head and tail). */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const n = xs.length;
  const m = ys.length;
  // lcs[i][j]: length of the LCS of xs[i..] and ys[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = xs[i] === ys[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
  const out: DiffLine[] = [];
  for (let k = 0; k < head; k++) out.push({ type: 'same', text: x[k], oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) {
      out.push({ type: 'same', text: xs[i], oldLine: head + i + 1, newLine: head + j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      // Removed lines before added ones, as people read a change.
      out.push({ type: 'del', text: xs[i], oldLine: head + i + 1 });
      i++;
    } else {
      out.push({ type: 'add', text: ys[j], newLine: head + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) out.push({ type: 'same', text: x[x.length - tail + k], oldLine: x.length - tail + k + 1, newLine: y.length - tail + k + 1 });
  return out;
}

/** Changed lines with `context` unchanged lines around them; a gap between hunks is one `null`. */
export function diffHunks(lines: DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.type !== 'same') for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep.add(k);
  });
  const out: (DiffLine | null)[] = [];
  let last = -1;
  [...keep]
    .sort((a, b) => a - b)
    .forEach((i) => {
      if (last >= 0 && i > last + 1) out.push(null);
      out.push(lines[i]);
      last = i;
    });
  return out;
}
