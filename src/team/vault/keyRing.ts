// The vault's encryption keys: AES-256-GCM, each key named by an id stored with every row it sealed.
// The first key encrypts; every key decrypts, so a new key can be put first while rows sealed with the
// old one stay readable until they are re-encrypted (lazily on write, or by `reencrypt`).
//
// Source format (a secret file or an environment variable), one key a line, newest first:
//   <key id>:<base64 of 32 random bytes>
// e.g. `openssl rand -base64 32 | sed 's/^/2026-12:/'`. Blank lines and lines starting with # are ignored.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface SealedValue {
  readonly keyId: string;
  /** IV, ciphertext and GCM tag, in that order. */
  readonly sealed: Buffer;
}

export class KeyRing {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(entries: readonly (readonly [string, Buffer])[]) {
    const first = entries[0];
    if (!first) throw new Error('The vault key ring is empty: give at least one key.');
    const keys = new Map<string, Buffer>();
    for (const [id, key] of entries) {
      if (!KEY_ID.test(id)) throw new Error(`Vault key id "${id}" must be 1-64 of A-Z a-z 0-9 . _ -.`);
      if (key.length !== KEY_BYTES) throw new Error(`Vault key "${id}" must be ${KEY_BYTES} bytes (base64).`);
      if (keys.has(id)) throw new Error(`Vault key id "${id}" appears twice.`);
      keys.set(id, key);
    }
    this.keys = keys;
    this.currentKeyId = first[0];
  }

  /** Parses the text format above; never echoes key material in its errors. */
  static parse(text: string): KeyRing {
    const entries: [string, Buffer][] = [];
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const colon = line.indexOf(':');
      if (colon < 1) throw new Error(`Vault key line ${index + 1} is not "<key id>:<base64 key>".`);
      entries.push([line.slice(0, colon), Buffer.from(line.slice(colon + 1), 'base64')]);
    });
    return new KeyRing(entries);
  }

  /** Keys from a file (a mounted Secret) when `file` is set, else from the environment variable's value. */
  static load(source: { file?: string; env?: string }): KeyRing {
    if (source.file) return KeyRing.parse(readFileSync(source.file, 'utf8'));
    if (source.env) return KeyRing.parse(source.env);
    throw new Error('No vault key: set the key file or the key environment variable.');
  }

  /** A fresh key line for operators and tests. */
  static generateLine(keyId: string): string {
    return `${keyId}:${randomBytes(KEY_BYTES).toString('base64')}`;
  }

  get keyIds(): readonly string[] {
    return [...this.keys.keys()];
  }

  /** `context` (e.g. the person id) is authenticated but not stored: a row copied to another person fails. */
  seal(plaintext: string, context: string): SealedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  open(value: SealedValue, context: string): string {
    const { sealed } = value;
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('Vault row is truncated.');
    const decipher = createDecipheriv('aes-256-gcm', this.key(value.keyId), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** A separate key for another purpose (e.g. signing access tokens), derived so one secret covers both. */
  derive(keyId: string, purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key(keyId), Buffer.alloc(0), purpose, KEY_BYTES));
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`Vault key "${id}" is not loaded; add it back to the key ring to read these rows.`);
    return key;
  }
}
