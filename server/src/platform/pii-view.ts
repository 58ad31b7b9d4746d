import { can, type CurrentUser } from './access.js';
import { todayInChina } from './china-time.js';

/**
 * 个人信息最小必要 (PIPL art. 6): how much of a teacher's personal data a caller sees. 'full' is for the roles that
 * may unmask (teachers.unmask: they see the stored masks — 4 + 4 characters of the 身份证号, 3 + 4 of the phone —
 * and the birth date); every other role sees 'limited': the last 4 characters only, an age band instead of the
 * birth date, no 党员, no certificate numbers. The stored 身份证号 mask keeps digits 1–4 (region) and the birth date
 * sits in digits 7–14, so a 'limited' viewer gets neither: together with an exact search they rebuilt whole IDs.
 */
export type PiiView = 'full' | 'limited';

export function piiViewOf(user: CurrentUser): PiiView {
  return can(user, 'teachers.unmask') ? 'full' : 'limited';
}

/** The 身份证号 mask a viewer sees: the stored one (first 4 + last 4) or only the last 4 characters. */
export function viewNationalIdMask(mask: string, view: PiiView): string;
export function viewNationalIdMask(mask: string | null, view: PiiView): string | null;
export function viewNationalIdMask(mask: string | null, view: PiiView): string | null {
  if (mask === null || view === 'full') return mask;
  return '*'.repeat(Math.max(0, mask.length - 4)) + mask.slice(-4);
}

/** The phone mask a viewer sees: the stored one (138****1234) or only the last 4 digits (*******1234). */
export function viewPhoneMask(mask: string | null, view: PiiView): string | null {
  if (mask === null || view === 'full') return mask;
  return '*'.repeat(Math.max(0, mask.length - 4)) + mask.slice(-4);
}

/** Whole years between a birth date and `today` (both 'YYYY-MM-DD'). */
export function ageOn(birthDate: string, today: string): number {
  const age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

/** An age band instead of a birth date: '30–39岁' (below 20: '20岁以下', from 60: '60岁及以上'). */
export function ageBand(birthDate: string | null, today = todayInChina()): string | null {
  if (!birthDate) return null;
  const age = ageOn(birthDate, today);
  if (age < 20) return '20岁以下';
  if (age >= 60) return '60岁及以上';
  const lo = Math.floor(age / 10) * 10;
  return `${lo}–${lo + 9}岁`;
}

/**
 * A 身份证号 (18 characters, or the old 15 digits) or a mobile number anywhere in a text: what must never reach a
 * log line. Digit runs are matched whole, so a longer number (an order number) is left alone.
 */
const ID_OR_PHONE = /(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9Xx])/g;

/** The text with every 身份证号 and phone number replaced by '[已隐去]'. */
export function redactPii(text: string): string {
  return text.replace(ID_OR_PHONE, '[已隐去]');
}

/** Whether a text is (only) a 身份证号 or phone number, or long enough a digit run to be one typed in part. */
export function looksLikeIdOrPhone(text: string): boolean {
  return /[0-9]{6,}/.test(text) || /^[0-9Xx*\s-]{7,}$/.test(text.trim());
}
