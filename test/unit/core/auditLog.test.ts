// The audit log's reading side ("Show Agent Activity"): lines parsed back into entries, torn or
// foreign lines skipped, and the report newest first with what each write did.
import assert from 'node:assert/strict';
import { parseAuditLog, renderActivity, type AuditEntry } from '../../../src/core/auditLog';

const entry = (time: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  time,
  tool: 'jira_add_comment',
  outcome: 'ok',
  durationMs: 42,
  site: 'acme',
  targets: { issue_key: 'ENG-1' },
  ...extra,
});

describe('audit log: parsing and the activity report', () => {
  it('parses JSON lines, skipping blank, torn and foreign lines', () => {
    const lines = [
      JSON.stringify(entry('2026-12-04T10:00:00.000Z')),
      '',
      '{"time":"2026-12-04T10:01:00.000Z","tool":"x","outcome":"maybe","durationMs":1}',
      'not json',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify(entry('2026-12-04T10:02:00.000Z', { outcome: 'error', error: 'forbidden' })),
      '{"time":"2026-12-04T10:03',
    ];
    const parsed = parseAuditLog(lines.join('\n'));
    assert.deepEqual(
      parsed.map((e) => [e.time, e.outcome]),
      [
        ['2026-12-04T10:00:00.000Z', 'ok'],
        ['2026-12-04T10:02:00.000Z', 'error'],
      ],
    );
  });

  it('renders newest first, with outcome, tool, targets, what was created, site and person', () => {
    const text = renderActivity([
      entry('2026-12-04T10:00:00.000Z'),
      entry('2026-12-04T11:00:00.000Z', {
        tool: 'jira_delete_issue',
        outcome: 'declined',
        targets: { issue_key: 'ENG-7' },
      }),
      entry('2026-12-04T12:00:00.000Z', {
        tool: 'jira_create_issue',
        targets: { project_key: 'ENG' },
        created: 'ENG-9',
        person: '5b10a2844c20165700ede21g',
      }),
      entry('2026-12-04T09:00:00.000Z', {
        outcome: 'error',
        error: 'forbidden',
        targets: { issue_keys: ['A-1', 'B-2'] },
      }),
    ]);
    const lines = text.split('\n').filter((l) => l.startsWith('2026-'));
    assert.deepEqual(lines, [
      '2026-12-04 12:00:00 UTC  ·  done  ·  jira_create_issue  ·  ENG  ·  created ENG-9  ·  on acme  ·  by 5b10a2844c20165700ede21g  ·  42 ms',
      '2026-12-04 11:00:00 UTC  ·  declined by you  ·  jira_delete_issue  ·  ENG-7  ·  on acme  ·  42 ms',
      '2026-12-04 10:00:00 UTC  ·  done  ·  jira_add_comment  ·  ENG-1  ·  on acme  ·  42 ms',
      '2026-12-04 09:00:00 UTC  ·  failed (forbidden)  ·  jira_add_comment  ·  A-1, B-2  ·  on acme  ·  42 ms',
    ]);
    assert.match(text, /^Atlassian agent activity: writes made through the bridge, newest first\.\n4 entries\./);
  });

  it('says when there is nothing yet, and how many are left out past the limit', () => {
    assert.match(renderActivity([]), /No writes yet/);
    const many = Array.from({ length: 5 }, (_, i) => entry(`2026-12-04T10:0${i}:00.000Z`));
    const text = renderActivity(many, 2);
    assert.match(text, /Showing the latest 2 of 5 entries\./);
    assert.equal(text.split('\n').filter((l) => l.startsWith('2026-')).length, 2);
    assert.match(text, /10:04:00 UTC/);
  });
});
