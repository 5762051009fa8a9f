import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { EjsyncError } from '../../model';

/**
 * AES-256-GCM with a 32-byte key from `EJSYNC_SECRET_KEY` (base64 or hex). The key id (a short
 * hash of the key) is stored beside each secret so a wrong key is told apart from tampering.
 */
export class SecretBox {
  readonly keyId: string;
  private constructor(private readonly key: Buffer) {
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 12);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): SecretBox {
    const raw = env.EJSYNC_SECRET_KEY;
    if (!raw) throw new EjsyncError('config.secret_missing', { detail: 'EJSYNC_SECRET_KEY (32 байта в base64 или hex: openssl rand -base64 32)' });
    return SecretBox.fromString(raw);
  }

  static fromString(raw: string): SecretBox {
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new EjsyncError('config.invalid', { detail: `EJSYNC_SECRET_KEY: нужен ключ длиной 32 байта, получено ${key.length}` });
    return new SecretBox(key);
  }

  /** A separate 32-byte key for one purpose (e.g. `backup`), derived from this one (HKDF-SHA256): the secret key itself is never reused. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `ejsync/${purpose}`, 32));
  }

  seal(plaintext: string, associated: string): { ciphertext: string; iv: string; tag: string; keyId: string } {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associated));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), keyId: this.keyId };
  }

  open(sealed: { ciphertext: string; iv: string; tag: string; keyId: string }, associated: string): string {
    if (sealed.keyId && sealed.keyId !== this.keyId) {
      throw new EjsyncError('store.secret_wrong_key', { detail: `ключ записи ${sealed.keyId}, задан ключ ${this.keyId}` });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(associated));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new EjsyncError('store.secret_tampered', { cause, detail: 'проверка целостности не пройдена' });
    }
  }
}

export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}
