/** What the 项目详情 sections share: action groups, the recognition-aware transition result, percent display. */
import type { TransitionResult as BaseTransitionResult } from '../../../api/types';
import type { RecognitionTotals } from '../workflow-types';

/** Actions that send the project back or stop it: shown as plain/danger buttons, not primary. */
export const BACKWARD = new Set(['withdraw', 'return', 'reject', 'returnPlan', 'returnRecognition', 'discard']);
/** The 学时认定 steps: their dialogs show the preview (teacher, sessions attended, hours). */
export const RECOGNITION = new Set(['submitRecognition', 'confirmRecognition', 'returnRecognition']);

export type TransitionResult = BaseTransitionResult & { preview?: RecognitionTotals };

/** A rate (0–1, or already a percentage) as a percentage with one decimal. */
export const pct = (r: number) => Math.round((r <= 1 ? r * 100 : r) * 10) / 10;
