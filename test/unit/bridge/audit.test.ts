// The audit log's writing side: the file is created 0600 in a directory made for it, appended in
// order, rotated to `<path>.1` at the size cap (so it never grows without bound), redacted, and
// configured by ATLASSIAN_AUDIT_LOG / --audit-log; `-` writes to stderr.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createdOf, errorKind, openAuditSink, targetsOf } from '../../../src/bridge/audit';
import { ConfigError, loadConfig } from '../../../src/bridge/config';
import { AtlassianError } from '../../../src/atlassian/errors';
import { InputError } from '../../../src/bridge/schema';
import type { AuditEntry } from '../../../src/core/auditLog';

const entry = (n: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 11, 4, 10, 0, n)).toISOString(),
  tool: 'jira_add_comment',
  outcome: 'ok',
  durationMs: n,
  targets: { issue_key: `ENG-${n}` },
});

describe('audit log: writing', () => {
  it('creates the file 0600 (and its directory), appends in order, rotates at the cap', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'amb-audit-')), 'nested', 'activity.jsonl');
    const line = `${JSON.stringify(entry(10))}\n`.length;
    const sink = openAuditSink({ path, maxBytes: line * 3 }, (l) => l);
    await Promise.all(Array.from({ length: 5 }, (_, i) => sink.append(entry(10 + i))));
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    const keys = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEntry).targets?.issue_key);
    assert.deepEqual(keys(`${path}.1`), ['ENG-10', 'ENG-11', 'ENG-12']);
    assert.deepEqual(keys(path), ['ENG-13', 'ENG-14']);
  });

  it('never rotates with a cap of 0; redacts each line; - goes to stderr', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'amb-audit-')), 'a.jsonl');
    const sink = openAuditSink({ path, maxBytes: 0 }, (l) => l.replace('ENG-1', '[redacted]'));
    for (let i = 1; i <= 3; i++) await sink.append(entry(i));
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 3);
    assert.match(readFileSync(path, 'utf8'), /\[redacted\]/);
    const written: string[] = [];
    await openAuditSink(
      { path: '-', maxBytes: 0 },
      (l) => l,
      (l) => written.push(l),
    ).append(entry(5));
    assert.deepEqual(written, [`${JSON.stringify(entry(5))}\n`]);
  });

  it('records keys and ids, what was created and the kind of failure, not its text', () => {
    assert.deepEqual(
      targetsOf({ issue_key: 'ENG-1', body: 'secret text', issue_keys: ['A-1'], sprint_id: 7, fields: '{}' }),
      { issue_key: 'ENG-1', issue_keys: ['A-1'], sprint_id: '7' },
    );
    assert.equal(targetsOf({ body: 'x' }), undefined);
    assert.equal(createdOf('jira_create_issue', '{"key":"ENG-9","id":"10009"}'), 'ENG-9');
    assert.equal(createdOf('confluence_create_page', '{"id":"123","title":"T"}'), '123');
    assert.equal(createdOf('jira_update_issue', '{"key":"ENG-9"}'), undefined);
    assert.equal(
      errorKind(new AtlassianError('no', { kind: 'forbidden', status: 403, host: 'acme.example' })),
      'forbidden',
    );
    assert.equal(errorKind(new InputError('bad')), 'input');
    assert.equal(errorKind(new Error('boom')), 'internal');
  });

  it('is configured by ATLASSIAN_AUDIT_LOG or --audit-log, with a size cap', () => {
    assert.equal(loadConfig({}, []).audit, undefined);
    assert.deepEqual(loadConfig({ ATLASSIAN_AUDIT_LOG: 'audit.jsonl' }, []).audit, {
      path: resolve('audit.jsonl'),
      maxBytes: 5 * 1024 * 1024,
    });
    assert.deepEqual(loadConfig({ ATLASSIAN_AUDIT_LOG: '/x/a.jsonl' }, ['--audit-log', '-']).audit, {
      path: '-',
      maxBytes: 5 * 1024 * 1024,
    });
    assert.equal(loadConfig({ ATLASSIAN_AUDIT_LOG_MAX_BYTES: '0' }, ['--audit-log=/tmp/a']).audit?.maxBytes, 0);
    assert.throws(() => loadConfig({ ATLASSIAN_AUDIT_LOG_MAX_BYTES: 'lots' }, ['--audit-log=/tmp/a']), ConfigError);
  });
});
