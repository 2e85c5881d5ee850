// Writes with consent and a record, through the real MCP SDK client against the sandbox: a tool
// that needs the person's confirmation asks through elicitation where the client can (2025 stdio:
// a server-initiated elicitation/create; 2026-07-28 over stdio and HTTP: an input_required result
// the client fulfils), takes the model's `confirm: true` where it cannot (2025 over stateless HTTP,
// or a client without elicitation), and does nothing on a decline: the sandbox's request log shows
// no DELETE. Every write lands in the audit log (ATLASSIAN_AUDIT_LOG), with no secret in it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { parseAuditLog, type AuditEntry } from '../../../src/core/auditLog';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { SecretScanner } from '../hardening/secretScan';
import {
  ADA,
  basic,
  connectHttp,
  connectStdio,
  startHttpBridgeProcess,
  type ClientSetup,
  type Connected,
  type Era,
  type HttpBridgeProcess,
  type Mode,
} from './harness';

type Json = Record<string, unknown>;
type Answer = 'accept' | 'decline' | 'unsupported';

interface Result {
  readonly isError: boolean;
  readonly text: string;
}

/** Where each era and transport can ask the person (2025 over HTTP is stateless: it cannot). */
const PLACES: readonly { mode: Mode; era: Era; asks: boolean }[] = [
  { mode: 'stdio', era: 'legacy', asks: true },
  { mode: 'stdio', era: 'modern', asks: true },
  { mode: 'http', era: 'modern', asks: true },
  { mode: 'http', era: 'legacy', asks: false },
];

describe('writes with consent and an audit log', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let acme: string;
  let logDir: string;
  const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];

  before(async () => {
    sandbox = await startSandbox();
    acme = sandbox.discovery.sites[0]!.url;
    logDir = mkdtempSync(join(tmpdir(), 'amb-audit-'));
  });
  after(async () => {
    for (const o of opened) {
      await o.c.close();
      await o.bridge?.stop();
    }
    await sandbox?.close();
  });

  /** A bridge writing its audit log to `log`, and a client that answers questions with `answer`. */
  async function open(mode: Mode, era: Era, answer: Answer, log: string, asked: string[] = []): Promise<Client> {
    const env = {
      JIRA_URL: acme,
      CONFLUENCE_URL: `${acme}/wiki`,
      TOOLSETS: 'all',
      ATLASSIAN_AUDIT_LOG: log,
    };
    const setup: ClientSetup =
      answer === 'unsupported'
        ? {}
        : {
            capabilities: { elicitation: { form: {} } },
            prepare: (client) =>
              client.setRequestHandler('elicitation/create', (request) => {
                asked.push((request.params as { message: string }).message);
                return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
              }),
          };
    if (mode === 'stdio') {
      const c = await connectStdio(
        {
          ...env,
          JIRA_USERNAME: ADA.email,
          JIRA_API_TOKEN: ADA.token,
          CONFLUENCE_USERNAME: ADA.email,
          CONFLUENCE_API_TOKEN: ADA.token,
        },
        era,
        setup,
      );
      opened.push({ c });
      return c.client;
    }
    const bridge = await startHttpBridgeProcess(env);
    const c = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) }, era, setup);
    opened.push({ c, bridge });
    return c.client;
  }

  async function run(client: Client, name: string, args: Json): Promise<Result> {
    const result = (await client.callTool({ name, arguments: args })) as {
      isError?: boolean;
      content: { text?: string }[];
    };
    return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
  }

  async function createIssue(client: Client, summary: string): Promise<string> {
    const r = await run(client, 'jira_create_issue', { project_key: 'ENG', summary, issue_type: 'Task' });
    assert.equal(r.isError, false, r.text);
    return String((JSON.parse(r.text) as Json).key);
  }

  /** Whether the issue is still there, read from the sandbox's own REST API. */
  async function exists(key: string): Promise<boolean> {
    const res = await fetch(`${acme}/rest/api/3/issue/${key}`, {
      headers: { authorization: basic(ADA.email, ADA.token) },
    });
    return res.status === 200;
  }

  const deletes = (key: string) => sandbox.log.count({ method: 'DELETE', path: new RegExp(`/issue/${key}$`) });
  const entries = (log: string): AuditEntry[] => parseAuditLog(readFileSync(log, 'utf8'));

  for (const { mode, era, asks } of PLACES) {
    describe(`${mode}, ${era === 'modern' ? '2026-07-28' : '2025-11-25'}`, () => {
      it(`accept: ${asks ? 'the person is asked, then the issue is deleted' : 'the client cannot ask; confirm: true after asking deletes it'}`, async () => {
        const log = join(logDir, `${mode}-${era}-accept.jsonl`);
        const asked: string[] = [];
        const client = await open(mode, era, 'accept', log, asked);
        const key = await createIssue(client, `Consent accept ${mode} ${era}`);
        const first = await run(client, 'jira_delete_issue', { issue_key: key });
        if (asks) {
          assert.equal(first.isError, false, first.text);
          assert.equal(asked.length, 1);
          assert.ok(
            asked[0]!.startsWith(`Delete Jira issue ${key} (and its sub-tasks) for good on acme (${acme})?`),
            asked[0],
          );
          assert.match(asked[0]!, /jira_delete_issue/);
        } else {
          assert.equal(first.isError, true, first.text);
          assert.match(first.text, /cannot ask them.*`confirm: true`/s);
          assert.ok(await exists(key), 'nothing deleted before the confirmation');
          const second = await run(client, 'jira_delete_issue', { issue_key: key, confirm: true });
          assert.equal(second.isError, false, second.text);
        }
        assert.equal(await exists(key), false, `${key} is gone`);
        assert.deepEqual(
          entries(log).map((e) => [e.tool, e.outcome, e.targets?.issue_key ?? e.targets?.project_key ?? e.created]),
          [
            ['jira_create_issue', 'ok', 'ENG'],
            ...(asks ? [] : [['jira_delete_issue', 'unconfirmed', key]]),
            ['jira_delete_issue', 'ok', key],
          ],
        );
      });

      it(`decline: nothing is deleted and no request is sent`, async () => {
        const log = join(logDir, `${mode}-${era}-decline.jsonl`);
        const client = await open(mode, era, asks ? 'decline' : 'unsupported', log);
        const key = await createIssue(client, `Consent decline ${mode} ${era}`);
        const answer = await run(client, 'jira_delete_issue', { issue_key: key, ...(asks ? { confirm: true } : {}) });
        assert.match(
          answer.text,
          asks ? /^Not done: the person declined "Delete Jira issue/ : /^Not done: ".*cannot ask/,
        );
        assert.equal(answer.isError, !asks, answer.text);
        assert.ok(await exists(key));
        assert.equal(deletes(key), 0, 'no DELETE reached the sandbox');
        assert.equal(entries(log).at(-1)?.outcome, asks ? 'declined' : 'unconfirmed');
      });
    });
  }

  it('unsupported: a client without elicitation is told to ask and pass confirm: true (both eras)', async () => {
    for (const era of ['legacy', 'modern'] as const) {
      const log = join(logDir, `unsupported-${era}.jsonl`);
      const client = await open('stdio', era, 'unsupported', log);
      const key = await createIssue(client, `Consent unsupported ${era}`);
      const refused = await run(client, 'jira_delete_issue', { issue_key: key });
      assert.equal(refused.isError, true);
      assert.match(
        refused.text,
        /Nothing was changed\. Ask the person .* call again with the same arguments and `confirm: true`/,
      );
      assert.equal(deletes(key), 0);
      assert.equal((await run(client, 'jira_delete_issue', { issue_key: key, confirm: true })).isError, false);
      assert.equal(await exists(key), false);
    }
  });

  it('the tool list says how consent works, once, on the tools that ask', async () => {
    const client = await open('stdio', 'legacy', 'unsupported', join(logDir, 'list.jsonl'));
    const { tools } = await client.listTools();
    const sentence = /ask them yourself and call again with `confirm: true` only after they agreed\.$/;
    for (const name of ['jira_delete_issue', 'confluence_delete_page', 'confluence_set_page_restrictions']) {
      const tool = tools.find((t) => t.name === name)!;
      assert.match(tool.description ?? '', sentence, name);
      assert.equal((tool.inputSchema.properties as Json).confirm !== undefined, true, name);
    }
    const create = tools.find((t) => t.name === 'jira_create_issue')!;
    assert.doesNotMatch(create.description ?? '', sentence);
    assert.equal((create.inputSchema.properties as Json).confirm, undefined);
    const refused = await run(client, 'jira_create_issue', {
      project_key: 'ENG',
      summary: 'x',
      issue_type: 'Task',
      confirm: true,
    });
    assert.equal(refused.isError, true, 'confirm is not an argument of tools that do not ask');
  });

  for (const mode of ['stdio', 'http'] as const) {
    it(`${mode}: every write of a run is in the audit log, readers are not, and no secret is`, async () => {
      const log = join(logDir, `run-${mode}.jsonl`);
      const client = await open(mode, 'legacy', 'unsupported', log);
      const writes: [string, Json][] = [];
      const write = async (name: string, args: Json) => {
        writes.push([name, args]);
        const r = await run(client, name, args);
        assert.equal(r.isError, false, `${name}: ${r.text}`);
        return JSON.parse(r.text) as Json;
      };
      const key = String(
        (await write('jira_create_issue', { project_key: 'ENG', summary: 'Audit', issue_type: 'Task' })).key,
      );
      await write('jira_add_comment', { issue_key: key, body: 'A comment body that stays out of the log' });
      await write('jira_assign_issue', { issue_key: key, assignee: ADA.email });
      await write('jira_update_issue', { issue_key: key, fields: JSON.stringify({ summary: 'Audit, renamed' }) });
      await run(client, 'jira_get_issue', { issue_key: key });
      const page = String(
        (await write('confluence_create_page', { space_key: 'ENG', title: `Audit ${mode}`, content: 'Body text' })).id,
      );
      await write('confluence_delete_page', { page_id: page, confirm: true });
      await write('jira_delete_issue', { issue_key: key, confirm: true });
      const failed = await run(client, 'jira_add_comment', { issue_key: 'ENG-999999', body: 'x' });
      assert.equal(failed.isError, true);
      writes.push(['jira_add_comment', { issue_key: 'ENG-999999' }]);

      const logged = entries(log);
      assert.deepEqual(
        logged.map((e) => e.tool),
        writes.map(([name]) => name),
      );
      assert.deepEqual(logged.at(-1), { ...logged.at(-1), outcome: 'error', error: 'notFound' });
      assert.equal(logged[0]!.created, key);
      for (const e of logged) {
        assert.equal(e.site, 'acme', JSON.stringify(e));
        assert.ok(Number.isInteger(e.durationMs) && e.durationMs >= 0);
        assert.ok(!Number.isNaN(Date.parse(e.time)));
        assert.equal(e.person, undefined);
      }
      const text = readFileSync(log, 'utf8');
      assert.doesNotMatch(text, /A comment body|Body text|Audit, renamed/, 'no bodies');
      const scanner = new SecretScanner();
      scanner.addBasic(ADA.email, ADA.token);
      scanner.scan(log, text);
      assert.ok(scanner.bytes > 0);
      assert.equal(scanner.findings.length, 0, scanner.report());
      if (process.platform !== 'win32') assert.equal(statSync(log).mode & 0o777, 0o600);
    });
  }
});
