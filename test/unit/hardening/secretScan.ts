// The secret-leak scanner shared by the hardening suites (the VSIX here, the editor session in
// test/editor/hardening.test.ts): every value seen in a session, in the forms it can travel in, plus
// patterns that catch credentials the session never showed us. It counts places and bytes scanned,
// so a scan that read nothing cannot pass as clean.
import { inflateRawSync } from 'node:zlib';

export interface Finding {
  readonly place: string;
  readonly what: string;
  readonly offset: number;
}

/** Credential shapes, whoever minted them (sandbox tokens, Atlassian API tokens, keys, headers). */
const PATTERNS: readonly [string, RegExp][] = [
  ['sandbox access token', /sbx_at_[A-Za-z0-9_-]{8,}/g],
  ['sandbox refresh token', /sbx_rt_[A-Za-z0-9_-]{8,}/g],
  ['Atlassian API token', /\bATATT[0-9A-Za-z_=-]{10,}/g],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/g],
  ['Authorization value', /\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{20,}={0,2}/g],
];

export class SecretScanner {
  private readonly known = new Map<string, string>();
  private readonly seenPlaces = new Set<string>();
  bytes = 0;
  readonly findings: Finding[] = [];

  /** A value that must appear nowhere, with the forms it takes in headers, URLs and JSON. */
  add(what: string, value: string | undefined): void {
    if (!value || value.length < 6) return;
    this.known.set(value, what);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.known.set(encoded, `${what} (URL-encoded)`);
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) this.known.set(json, `${what} (JSON-escaped)`);
  }

  /** Basic credentials: the API token itself and the header value built from it. */
  addBasic(email: string, apiToken: string): void {
    this.add('API token', apiToken);
    this.add('Basic value', Buffer.from(`${email}:${apiToken}`).toString('base64'));
  }

  get secrets(): number {
    return this.known.size;
  }

  get places(): number {
    return this.seenPlaces.size;
  }

  scan(place: string, content: string | Buffer): void {
    const text = typeof content === 'string' ? content : content.toString('utf8');
    this.seenPlaces.add(place);
    this.bytes += Buffer.byteLength(text);
    for (const [value, what] of this.known) {
      const offset = text.indexOf(value);
      if (offset >= 0) this.findings.push({ place, what, offset });
    }
    for (const [what, pattern] of PATTERNS) {
      for (const match of text.matchAll(pattern))
        this.findings.push({ place, what: `${what} "${match[0].slice(0, 12)}…"`, offset: match.index ?? 0 });
    }
  }

  /** One line per finding, never the secret itself. */
  report(): string {
    return this.findings.map((f) => `${f.what} in ${f.place} at ${f.offset}`).join('\n');
  }
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

/** The entries of a zip archive (a VSIX), stored or deflated, read with Node's zlib alone. */
export function readZip(archive: Buffer): ZipEntry[] {
  let end = archive.length - 22;
  while (end >= 0 && archive.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression ${method}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
