// The Jira Service Management and forms tools (mcp-atlassian's jira_service_desk, jira_forms and
// jira_get_issue_sla), driven through the MCP SDK client over stdio and HTTP against the sandbox:
// Cloud with an API token, forms through the API gateway (OAuth and Data Center: jiraServiceDeskDc).
// Writes are read back; the projects filter and read-only mode are checked in the sandbox's request log.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, type Connected, type HttpBridgeProcess, openBridge } from './harness';

type Json = Record<string, unknown>;

const JSM_READ = [
  'jira_get_service_desk_for_project',
  'jira_get_service_desk_queues',
  'jira_get_queue_issues',
  'jira_get_request_types',
  'jira_get_request_type_fields',
  'jira_get_issue_sla',
  'jira_get_issue_proforma_forms',
  'jira_get_proforma_form_details',
];
const JSM_WRITE = ['jira_create_customer_request', 'jira_update_proforma_form_answers'];
const ANNOTATIONS: Record<string, Json> = {
  jira_create_customer_request: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  jira_update_proforma_form_answers: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
};

async function ok<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.json as T;
}

async function fails(client: Client, name: string, args: Json): Promise<string> {
  const r = await call(client, name, args);
  assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
  return r.text;
}

const FORMS = /\/jira\/forms\/cloud\//;
const JSM = /\/rest\/servicedeskapi\//;

for (const mode of ['stdio', 'http'] as const) {
  describe(`Service Management and forms tools over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let acme: string;
    let client: Client;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const o = await openBridge(mode, {
        JIRA_URL: acme,
        TOOLSETS: 'all',
        ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl,
        ...env,
      });
      opened.push(o);
      return o.c.client;
    };
    /** The first issue (oldest) of the OPS service desk carries an open form; the second a submitted one. */
    const formOn = async (c: Client, key: string) =>
      (await ok<{ forms: Json[] }>(c, 'jira_get_issue_proforma_forms', { issue_key: key })).forms;

    before(async () => {
      sandbox = await startSandbox();
      acme = sandbox.discovery.sites[0]!.url;
      client = await start();
    });
    after(async () => {
      for (const o of opened) {
        await o.c.close();
        await o.bridge?.stop();
      }
      await sandbox?.close();
    });

    it('lists the ten tools with TOOLSETS=all, in their toolsets, with honest annotations, never by default', async () => {
      const { tools } = await client.listTools();
      for (const name of [...JSM_READ, ...JSM_WRITE]) {
        const tool = tools.find((t) => t.name === name);
        assert.ok(tool, `${name} is listed with TOOLSETS=all`);
        assert.ok(tool.title && (tool.description ?? '').length > 40, `${name} has a title and a description`);
        assert.deepEqual(
          tool.annotations,
          ANNOTATIONS[name] ?? { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
          name,
        );
      }
      const byDefault = (await (await start({ TOOLSETS: 'default' })).listTools()).tools.map((t) => t.name);
      assert.ok(!byDefault.some((n) => [...JSM_READ, ...JSM_WRITE].includes(n)), 'none is in the default toolset');
      const sets = (await (await start({ TOOLSETS: 'jira_service_desk,jira_forms,jira_metrics' })).listTools()).tools;
      for (const name of [...JSM_READ, ...JSM_WRITE])
        assert.ok(
          sets.some((t) => t.name === name),
          `${name} is in jira_service_desk, jira_forms or jira_metrics`,
        );
    });

    it('read-only mode hides the two writers and refuses them by name, sending nothing', async () => {
      const readOnly = await start({ READ_ONLY_MODE: 'true' });
      const names = (await readOnly.listTools()).tools.map((t) => t.name);
      for (const name of JSM_READ) assert.ok(names.includes(name), `${name} stays`);
      for (const name of JSM_WRITE) assert.ok(!names.includes(name), `${name} is hidden`);
      sandbox.log.clear();
      assert.match(
        await fails(readOnly, 'jira_create_customer_request', {
          service_desk_id: '1',
          request_type_id: '10',
          request_field_values: { summary: 'x' },
        }),
        /read-only mode/,
      );
      assert.match(
        await fails(readOnly, 'jira_update_proforma_form_answers', {
          issue_key: 'OPS-1',
          form_id: 'c18bde7a-d846-41ed-afa1-000000000001',
          answers: [{ questionId: '1', value: 'x' }],
        }),
        /read-only mode/,
      );
      assert.equal(sandbox.log.count(), 0, 'nothing reached the sandbox');
    });

    it('finds the service desk of a project, its queues with counts, and pages through a queue', async () => {
      const desk = await ok(client, 'jira_get_service_desk_for_project', { project_key: 'ops' });
      assert.deepEqual(
        { id: desk.id, key: desk.project_key, name: desk.project_name },
        { id: '1', key: 'OPS', name: 'Operations' },
      );
      assert.match(
        await fails(client, 'jira_get_service_desk_for_project', { project_key: 'ENG' }),
        /ENG has no Jira Service Management service desk.*OPS, DOC/,
      );
      const { queues } = await ok<{ queues: Json[] }>(client, 'jira_get_service_desk_queues', { service_desk_id: '1' });
      const open = queues.find((q) => q.name === 'All open')!;
      assert.ok(typeof open.issue_count === 'number' && open.issue_count > 4, 'issue counts come along');
      assert.match(String(open.jql), /project = OPS/);
      const first = await ok(client, 'jira_get_queue_issues', { service_desk_id: '1', queue_id: open.id, limit: 3 });
      const issues = first.issues as Json[];
      assert.equal(issues.length, 3);
      assert.ok(issues.every((i) => String(i.key).startsWith('OPS-') && i.summary && i.status));
      assert.equal(first.next_start_at, 3);
      const second = await ok(client, 'jira_get_queue_issues', {
        service_desk_id: '1',
        queue_id: open.id,
        limit: 3,
        start_at: 3,
      });
      assert.ok(!(second.issues as Json[]).some((i) => issues.some((j) => j.key === i.key)), 'the next page');
      assert.match(
        await fails(client, 'jira_get_queue_issues', { service_desk_id: '1', queue_id: '99' }),
        /Queue 99 of service desk 1 was not found/,
      );
      assert.match(
        await fails(client, 'jira_get_service_desk_queues', { service_desk_id: '42' }),
        /Service desk 42 was not found/,
      );
      assert.match(
        await fails(client, 'jira_get_service_desk_queues', { service_desk_id: '../1' }),
        /`service_desk_id`: expected a numeric id/,
      );
    });

    it('creates a customer request from its request type, select fields by label, and reads it back', async () => {
      const { request_types: types } = await ok<{ request_types: Json[] }>(client, 'jira_get_request_types', {
        service_desk_id: '1',
      });
      const incident = types.find((t) => t.name === 'Report an incident')!;
      const meta = await ok(client, 'jira_get_request_type_fields', {
        service_desk_id: '1',
        request_type_id: incident.id,
      });
      const fields = meta.fields as Json[];
      assert.deepEqual(
        fields.map((f) => [f.field_id, f.required]),
        [
          ['summary', true],
          ['description', true],
          ['priority', false],
        ],
      );
      assert.ok(((fields[2]!.allowed_values as Json[]) ?? []).some((v) => v.label === 'High'));
      assert.match(
        await fails(client, 'jira_get_request_type_fields', { service_desk_id: '1', request_type_id: '99' }),
        /Request type 99 of service desk 1 was not found/,
      );
      assert.match(
        await fails(client, 'jira_get_request_types', { service_desk_id: '42' }),
        /Service desk 42 was not found/,
      );

      sandbox.log.clear();
      assert.match(
        await fails(client, 'jira_create_customer_request', {
          service_desk_id: '1',
          request_type_id: incident.id,
          request_field_values: { summary: 'VPN down' },
        }),
        /Missing required.*description \(Description\)/,
      );
      assert.match(
        await fails(client, 'jira_create_customer_request', {
          service_desk_id: '1',
          request_type_id: incident.id,
          request_field_values: { summary: 'VPN down', description: 'x', priority: 'Urgent' },
        }),
        /"Urgent" is not one of Priority's values: Highest, High/,
      );
      assert.match(
        await fails(client, 'jira_create_customer_request', {
          service_desk_id: '1',
          request_type_id: incident.id,
          request_field_values: { summary: 'VPN down', description: 'x', labels: 'a' },
        }),
        /no field "labels"/,
      );
      assert.equal(sandbox.log.count({ method: 'POST' }), 0, 'refused before anything was created');

      const created = await ok(client, 'jira_create_customer_request', {
        service_desk_id: '1',
        request_type_id: incident.id,
        request_field_values: { summary: `VPN down ${mode}`, description: 'Since 9:00', priority: 'high' },
        request_participants: ['712020:aa11bb22-0002-4c3d-9e8f-000000000002'],
      });
      assert.match(String(created.key), /^OPS-\d+$/);
      assert.equal(created.status, 'To Do');
      assert.match(String(created.portal_url), /\/servicedesk\/customer\/portal\/1\/OPS-/);
      const issue = await ok(client, 'jira_get_issue', {
        issue_key: created.key,
      });
      assert.equal(issue.summary, `VPN down ${mode}`);
      assert.equal(issue.priority, 'High');
      assert.equal(issue.type, 'Bug');
      // A new request's SLAs are running.
      const sla = await ok(client, 'jira_get_issue_sla', { issue_key: created.key });
      assert.deepEqual(
        (sla.slas as Json[]).map((s) => [s.name, s.state, s.goal]),
        [
          ['Time to first response', 'running', '4h 0m'],
          ['Time to resolution', 'running', '24h 0m'],
        ],
      );
    });

    it('attaches files from the allowed directory: temporary uploads to the desk, then attached to the request', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'amb-jsm-'));
      const outside = await mkdtemp(join(tmpdir(), 'amb-jsm-outside-'));
      await writeFile(join(dir, 'vpn.log'), 'connect failed: timeout\n');
      await writeFile(join(dir, 'screen.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      await writeFile(join(outside, 'secret.txt'), 'not for upload');
      const withDir = await start({ ATLASSIAN_ATTACHMENT_DIRS: dir });
      const args = {
        service_desk_id: '1',
        request_type_id: '10',
        request_field_values: { summary: `With files ${mode}` },
      };
      sandbox.log.clear();
      assert.match(
        await fails(withDir, 'jira_create_customer_request', { ...args, attachments: [join(outside, 'secret.txt')] }),
        /outside the directories this bridge may read/,
      );
      assert.match(
        await fails(client, 'jira_create_customer_request', { ...args, attachments: ['vpn.log'] }),
        /needs a directory the operator allows/,
      );
      assert.equal(sandbox.log.count({ method: 'POST' }), 0, 'refused before anything was created');

      const created = await ok(withDir, 'jira_create_customer_request', {
        ...args,
        attachments: ['vpn.log', join(dir, 'screen.png')],
      });
      assert.deepEqual(created.attachments, ['vpn.log', 'screen.png']);
      assert.equal(created.note, undefined);
      assert.equal(sandbox.log.count({ method: 'POST', path: JSM }), 3, 'request, temporary files, attachment');
      const issue = await ok(withDir, 'jira_get_issue', { issue_key: created.key, fields: 'attachment' });
      assert.deepEqual(((issue.attachments ?? issue.attachment) as Json[]).map((a) => [a.filename, a.size]).sort(), [
        ['screen.png', 8],
        ['vpn.log', 24],
      ]);
    });

    it('raising on behalf of an unknown customer fails, unless strict_on_behalf is false', async () => {
      const args = {
        service_desk_id: '1',
        request_type_id: '10',
        request_field_values: { summary: `On behalf ${mode}` },
        raise_on_behalf_of: 'nobody-here',
      };
      sandbox.log.clear();
      assert.match(await fails(client, 'jira_create_customer_request', args), /on behalf of 'nobody-here'/);
      const created = await ok(client, 'jira_create_customer_request', { ...args, strict_on_behalf: false });
      assert.match(String(created.note), /Raised as you, not on behalf of nobody-here/);
      assert.equal(created.reporter, 'Ada Lovelace');
      assert.equal(sandbox.log.count({ method: 'POST', status: 201 }), 1, 'one request created');
    });

    it('reports SLAs met, breached or running, filters them by name, and says when an issue is no request', async () => {
      const resolved = (
        await ok<{ issues: Json[] }>(client, 'jira_search', {
          jql: 'project = OPS AND resolution is not EMPTY ORDER BY key ASC',
          limit: 1,
        })
      ).issues[0]!.key;
      const sla = await ok(client, 'jira_get_issue_sla', {
        issue_key: resolved,
        metrics: 'time to resolution',
        include_raw_dates: true,
      });
      const slas = sla.slas as Json[];
      assert.equal(slas.length, 1);
      assert.equal(slas[0]!.name, 'Time to resolution');
      assert.ok(['met', 'breached'].includes(String(slas[0]!.state)), 'a resolved request stopped its clock');
      assert.match(String(slas[0]!.stopped), /^\d{4}-\d{2}-\d{2}T/);
      const unknown = await ok(client, 'jira_get_issue_sla', { issue_key: resolved, metrics: 'cycle_time' });
      assert.match(
        String(unknown.unknown_metrics),
        /No SLA named cycle_time; this request has: Time to first response/,
      );
      assert.match(
        await fails(client, 'jira_get_issue_sla', { issue_key: 'ENG-1' }),
        /Service Management request ENG-1 .* was not found/,
      );
    });

    it('lists, reads and fills in a form on an issue through the Forms API on the gateway', async () => {
      const firstOps = (
        await ok<{ issues: Json[] }>(client, 'jira_search', { jql: 'project = OPS ORDER BY created ASC', limit: 2 })
      ).issues.map((i) => String(i.key));
      sandbox.log.clear();
      const [open] = await formOn(client, firstOps[0]!);
      assert.deepEqual(
        { name: open!.name, status: open!.status, visibility: open!.visibility },
        { name: 'Incident details', status: 'open', visibility: 'external' },
      );
      assert.ok(sandbox.log.count({ path: FORMS, authKind: 'basic' }) >= 1, 'the API token went to the gateway');
      const details = await ok(client, 'jira_get_proforma_form_details', { issue_key: firstOps[0], form_id: open!.id });
      const questions = details.questions as Json[];
      assert.deepEqual(
        questions.map((q) => [q.id, q.label, q.type]),
        [
          ['1', 'Affected service', 'text'],
          ['2', 'Impact', 'choice'],
          ['3', 'Started on', 'date'],
          ['4', 'Steps already taken', 'text'],
          ['5', 'Affected teams', 'choices'],
          ['6', 'Users affected', 'number'],
        ],
      );

      sandbox.log.clear();
      const bad: [Json[], RegExp][] = [
        [[{ questionId: '9', value: 'x' }], /no question "9".*1 \(Affected service\)/],
        [
          [{ questionId: '2', value: 'Enormous' }],
          /"Enormous" is not a choice of question 2 \(Impact\): Low, Medium, High/,
        ],
        [[{ questionId: '3', value: 'last tuesday' }], /question 3 \(Started on\) takes a date, YYYY-MM-DD/],
        [[{ questionId: '6', value: 'many' }], /takes a number/],
      ];
      for (const [answers, message] of bad)
        assert.match(
          await fails(client, 'jira_update_proforma_form_answers', {
            issue_key: firstOps[0],
            form_id: open!.id,
            answers,
          }),
          message,
        );
      assert.equal(sandbox.log.count({ method: 'PUT' }), 0, 'refused before anything was saved');

      const saved = await ok(client, 'jira_update_proforma_form_answers', {
        issue_key: firstOps[0],
        form_id: open!.id,
        answers: JSON.stringify([
          { questionId: '1', type: 'TEXT', value: 'Checkout' },
          { questionId: '2', type: 'SELECT', value: 'high' },
          { questionId: '3', type: 'DATE', value: '2026-11-30T08:15:00Z' },
          { questionId: '5', type: 'MULTI_SELECT', value: ['Sales', 'Support'] },
          { questionId: '6', type: 'NUMBER', value: 42 },
        ]),
      });
      assert.equal((saved.questions as Json[]).length, 5, 'the answers given come back');
      const reread = await ok(client, 'jira_get_proforma_form_details', { issue_key: firstOps[0], form_id: open!.id });
      assert.deepEqual(Object.fromEntries((reread.questions as Json[]).map((q) => [q.id, q.answer])), {
        '1': 'Checkout',
        '2': 'High',
        '3': '2026-11-30',
        '4': undefined,
        '5': ['Sales', 'Support'],
        '6': '42',
      });

      const [submitted] = await formOn(client, firstOps[1]!);
      assert.equal(submitted!.status, 'submitted');
      assert.match(
        await fails(client, 'jira_update_proforma_form_answers', {
          issue_key: firstOps[1],
          form_id: submitted!.id,
          answers: [{ questionId: '1', value: 'x' }],
        }),
        /Form Submitted: The form has been submitted; reopen it/,
      );
      assert.match(
        await fails(client, 'jira_get_proforma_form_details', {
          issue_key: firstOps[0],
          form_id: '00000000-0000-4000-8000-000000000000',
        }),
        /Form 00000000-0000-4000-8000-000000000000 on issue OPS-\d+ was not found/,
      );
      sandbox.log.clear();
      assert.match(
        await fails(client, 'jira_get_proforma_form_details', { issue_key: firstOps[0], form_id: '../../project' }),
        /`form_id`: expected the form's UUID/,
      );
      assert.equal(sandbox.log.count(), 0, 'a malformed form id sends nothing');
      assert.deepEqual(await formOn(client, 'ENG-1'), [], 'an issue without forms has none');
    });

    it('JIRA_PROJECTS_FILTER refuses other projects\u2019 service desks, requests and forms before reading or writing them', async () => {
      const filtered = await start({ JIRA_PROJECTS_FILTER: 'DOC,ENG' });
      sandbox.log.clear();
      assert.match(
        await fails(filtered, 'jira_get_service_desk_for_project', { project_key: 'OPS' }),
        /outside this bridge's allowed projects/,
      );
      assert.match(
        await fails(filtered, 'jira_get_issue_sla', { issue_key: 'OPS-1' }),
        /outside this bridge's allowed/,
      );
      assert.match(
        await fails(filtered, 'jira_get_issue_proforma_forms', { issue_key: 'OPS-1' }),
        /outside this bridge's allowed/,
      );
      assert.deepEqual(
        sandbox.log.entries().filter((e) => !e.path.endsWith('/rest/api/2/serverInfo')),
        [],
        'refused from the key alone: nothing but the deployment check was sent',
      );
      const byId: [string, Json][] = [
        ['jira_get_service_desk_queues', { service_desk_id: '1' }],
        ['jira_get_queue_issues', { service_desk_id: '1', queue_id: '1' }],
        ['jira_get_request_types', { service_desk_id: '1' }],
        ['jira_get_request_type_fields', { service_desk_id: '1', request_type_id: '10' }],
        [
          'jira_create_customer_request',
          { service_desk_id: '1', request_type_id: '10', request_field_values: { summary: 'x' } },
        ],
      ];
      for (const [name, args] of byId)
        assert.match(await fails(filtered, name, args), /service desk 1 belongs to project OPS, outside/, name);
      assert.equal(sandbox.log.count({ method: 'POST' }), 0, 'nothing was created');
      assert.equal(
        sandbox.log.count({ path: JSM }),
        sandbox.log.count({ path: /\/rest\/servicedeskapi\/servicedesk\/1$/ }),
        'only the service desk itself was looked up',
      );
      assert.equal(sandbox.log.count({ path: FORMS }), 0);
      assert.match(
        await fails(filtered, 'jira_get_service_desk_for_project', { project_key: 'ENG' }),
        /ENG has no Jira Service Management service desk on .*Service desks you can see: DOC\.$/,
        'desks of projects outside the filter go unnamed',
      );
      const doc = await ok(filtered, 'jira_get_service_desk_for_project', { project_key: 'DOC' });
      const queue = await ok(filtered, 'jira_get_queue_issues', { service_desk_id: doc.id, queue_id: '1', limit: 2 });
      assert.ok((queue.issues as Json[]).every((i) => String(i.key).startsWith('DOC-')));
    });
  });
}
