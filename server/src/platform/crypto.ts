import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../config.js';

/**
 * Personal data at rest: AES-256-GCM ciphertext plus a keyed blind index (HMAC-SHA256)
 * so exact lookups (身份证号, phone) work without decrypting.
 */
export class Pii {
  private encKey: Buffer;
  private idxKey: Buffer;
  constructor(secret: string) {
    this.encKey = deriveKey(secret, 'pii-encryption');
    this.idxKey = deriveKey(secret, 'pii-blind-index');
  }
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }
  decrypt(stored: string): string {
    const raw = Buffer.from(stored.slice(3), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
  blindIndex(plain: string): string {
    return createHmac('sha256', this.idxKey).update(plain).digest('base64url');
  }
}

const SEALED_MAGIC = Buffer.from('QSE1');

/**
 * Bytes at rest (uploaded files): 'QSE1' ‖ IV (12) ‖ GCM tag (16) ‖ AES-256-GCM ciphertext. `aad` binds the
 * ciphertext to where it belongs (the stored name), so one file's bytes cannot be swapped in for another's.
 */
export function sealBytes(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([SEALED_MAGIC, iv, c.getAuthTag(), body]);
}

/** The plain bytes of sealBytes' output; throws when the bytes were altered or the key or aad differ. */
export function openBytes(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 32 || !sealed.subarray(0, 4).equals(SEALED_MAGIC)) throw new Error('not a sealed file');
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(4, 16));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(sealed.subarray(16, 32));
  return Buffer.concat([d.update(sealed.subarray(32)), d.final()]);
}

/** Short signed tokens (QR check-in, certificate links): payload.signature, HMAC-SHA256. */
export class Signer {
  private key: Buffer;
  constructor(secret: string, purpose: string) {
    this.key = deriveKey(secret, `signer:${purpose}`);
  }
  sign(payload: string): string {
    const p = Buffer.from(payload).toString('base64url');
    return `${p}.${createHmac('sha256', this.key).update(p).digest('base64url').slice(0, 32)}`;
  }
  /** The payload if the signature is right, else null. */
  verify(token: string): string | null {
    const [p, sig] = token.split('.');
    if (!p || !sig) return null;
    const want = Buffer.from(createHmac('sha256', this.key).update(p).digest('base64url').slice(0, 32));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    return Buffer.from(p, 'base64url').toString();
  }
}
