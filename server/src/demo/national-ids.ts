import { checkDigit } from '../platform/national-id.js';

/** A valid 18-character 身份证号 for a region code, birth date and sequence number (gender from seq parity). */
export function makeNationalId(region6: string, birthDate: string, seq: number, gender: 'male' | 'female'): string {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'male')) s = (s + 1) % 1000;
  const first17 = `${region6}${birthDate.replace(/-/g, '')}${String(s).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}
