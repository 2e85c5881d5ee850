// The audit log of writes: every call of a tool that changes Atlassian (the tools read-only mode
// hides) is appended as one JSON line (src/core/auditLog.ts has the entry) to a file or stderr.
// Only what identifies the call: tool, site, person, the keys and ids it named, outcome and
// duration; never a credential, never a request or response body.
import type * as FsPromises from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtlassianError } from '../atlassian/errors';
import type { AuditEntry } from '../core/auditLog';
import type { AuditTarget } from './config';

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

export function openAuditSink(
  target: AuditTarget,
  redact: (line: string) => string,
  stderr: (line: string) => void = (line) => process.stderr.write(line),
): AuditSink {
  if (target.path === '-') return { append: async (entry) => stderr(redact(`${JSON.stringify(entry)}\n`)) };
  return new AuditFile(target, redact);
}

/** Appends (opened append-only for each entry, created 0600); rotates at the size cap. */
class AuditFile implements AuditSink {
  /** Appends one after another, so rotation and order hold within this process. */
  private queue: Promise<void> = Promise.resolve();
  private directoryReady?: Promise<unknown>;

  constructor(
    private readonly target: AuditTarget,
    private readonly redact: (line: string) => string,
  ) {}

  append(entry: AuditEntry): Promise<void> {
    const line = this.redact(`${JSON.stringify(entry)}\n`);
    const next = this.queue.then(() => this.write(line));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(line: string): Promise<void> {
    // Loaded by the first write, not at start (node:fs/promises costs every start ~10 ms; files.ts).
    const { appendFile, mkdir, rename, stat }: typeof FsPromises = await import('node:fs/promises');
    const { path, maxBytes } = this.target;
    this.directoryReady ??= mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await this.directoryReady;
    if (maxBytes > 0) {
      const size = await stat(path).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) await rename(path, `${path}.1`);
    }
    await appendFile(path, line, { flag: 'a', mode: 0o600 });
  }
}

const TARGET_ARGUMENT = /(^|_)(key|keys|id|ids)$/;

/** The keys and ids a call named: its `*_key`, `*_id`, `*_keys` and `*_ids` arguments. */
export function targetsOf(args: Record<string, unknown>): Record<string, string | string[]> | undefined {
  const targets: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(args)) {
    if (!TARGET_ARGUMENT.test(name)) continue;
    if (typeof value === 'string' || typeof value === 'number') targets[name] = String(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      targets[name] = value.map(String);
  }
  return Object.keys(targets).length ? targets : undefined;
}

/** `key` (else `id`) of a created object, from a tool's JSON answer. */
export function createdOf(tool: string, text: string | undefined): string | undefined {
  if (!/_(create|copy)_|_create$|_from_template$/.test(tool) || !text?.startsWith('{')) return undefined;
  try {
    const answer = JSON.parse(text) as Record<string, unknown>;
    const made = (answer.issue ?? answer.page ?? answer) as Record<string, unknown>;
    const value = made.key ?? made.id;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  } catch {
    return undefined;
  }
}

/** What kind of failure, without its message (which may quote what Atlassian returned). */
export function errorKind(err: unknown): string {
  if (err instanceof AtlassianError) return err.kind;
  if (err instanceof Error) {
    if (err.name === 'InputError') return 'input';
    if (err.name === 'SignInAgainError') return 'signInAgain';
  }
  return 'internal';
}
