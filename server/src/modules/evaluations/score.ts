/**
 * How the three ways of evaluating a project (004 §三(六)) combine into one project score, 0–100.
 * The weights live here and nowhere else.
 */
export const SCORE_PARTS = {
  participants: { label: '学员匿名评价', weight: 0.4 },
  experts: { label: '专家评分', weight: 0.3 },
  inspection: { label: '督导检查', weight: 0.3 },
} as const;
export type ScorePart = keyof typeof SCORE_PARTS;

/** Below this many answers a survey shows nothing, and does not count towards the project score. */
export const SURVEY_MIN_ANSWERS = 5;

/**
 * Answers are released to results in batches of this many (issue 9 item 12): the results change only when
 * a whole batch is released, so comparing the results before and after never isolates one answer. Answers
 * of an incomplete batch wait, also when the survey is closed (releasing them then would isolate them).
 */
export const SURVEY_RELEASE_BATCH = SURVEY_MIN_ANSWERS;

/** A 1–5 rating average on the 0–100 scale of the other parts: 5 → 100, 4 → 80, 3 → 60. */
export const ratingTo100 = (avg: number): number => round1(avg * 20);

export const round1 = (n: number): number => Math.round(n * 10) / 10;

export interface PartResult {
  part: ScorePart;
  label: string;
  /** The weight as defined. */
  weight: number;
  /** The weight actually used after renormalising over the parts present (0 when missing). */
  effectiveWeight: number;
  value: number | null;
}

export interface CombinedScore {
  /** null when no part is present. */
  score: number | null;
  parts: PartResult[];
  /** True when some part is missing and the others' weights were scaled up to sum to 1. */
  renormalised: boolean;
  /** Plain-language explanation for the UI, e.g. '缺少督导检查，按其余部分重新分配权重'. */
  note: string;
}

/**
 * Weighted mean of the present parts (each 0–100). A missing part (null) is left out and the weights
 * of the others are renormalised to sum to 1, and the note says so.
 */
export function combineScore(values: Record<ScorePart, number | null>): CombinedScore {
  const keys = Object.keys(SCORE_PARTS) as ScorePart[];
  const present = keys.filter((k) => values[k] !== null && Number.isFinite(values[k]));
  const total = present.reduce((s, k) => s + SCORE_PARTS[k].weight, 0);
  const parts = keys.map((k) => ({
    part: k,
    label: SCORE_PARTS[k].label,
    weight: SCORE_PARTS[k].weight,
    effectiveWeight: present.includes(k) ? Math.round((SCORE_PARTS[k].weight / total) * 10000) / 10000 : 0,
    value: present.includes(k) ? (values[k] as number) : null,
  }));
  const missing = keys.filter((k) => !present.includes(k)).map((k) => SCORE_PARTS[k].label);
  if (!present.length) return { score: null, parts, renormalised: false, note: '暂无任何评价数据，无法计算综合得分' };
  const score = round1(present.reduce((s, k) => s + (values[k] as number) * SCORE_PARTS[k].weight, 0) / total);
  const weights = keys.map((k) => `${SCORE_PARTS[k].label} ${Math.round(SCORE_PARTS[k].weight * 100)}%`).join('、');
  return {
    score,
    parts,
    renormalised: missing.length > 0,
    note: missing.length
      ? `缺少${missing.join('、')}，综合得分按其余部分（${parts
          .filter((p) => p.value !== null)
          .map((p) => `${p.label} ${round1(p.effectiveWeight * 100)}%`)
          .join('、')}）重新分配权重计算`
      : `综合得分 = ${weights}`,
  };
}
