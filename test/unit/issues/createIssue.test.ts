import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import type { JiraApi, Json } from '../../../src/atlassian/jira';
import { createFields, issueTypeChoices, projectChoices } from '../../../src/issues/create/createMeta';
import { CreateRefused, createIssue, refusalFrom, type CreateRequest } from '../../../src/issues/create/createIssue';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

const CHANGE_RISK = 'customfield_10050';

describe('creating issues from create metadata, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let jira: (c: ConnectionInfo) => JiraApi;

  beforeEach(async () => {
    world = await sandboxConnections();
    jira = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined });
  });
  afterEach(() => world.close());

  for (const [flavour, projectKey] of [
    ['cloud', 'OPS'],
    ['datacenter', 'TOOLS'],
  ] as const) {
    const connect = () => (flavour === 'cloud' ? world.apiToken() : world.dataCenter());

    it(`${flavour}: a Story of ${projectKey} asks for its required custom field, with Jira's options, and the usual pickers`, async () => {
      const api = jira(await connect());
      assert.ok((await projectChoices(api)).some((p) => p.key === projectKey));
      const story = (await issueTypeChoices(api, projectKey)).find((t) => t.name === 'Story')!;
      const fields = await createFields(api, projectKey, story.id);
      assert.deepEqual(fields[0], {
        id: CHANGE_RISK,
        name: 'Change risk',
        required: true,
        kind: 'option',
        allowed: [
          { id: '10200', name: 'Low' },
          { id: '10201', name: 'Medium' },
          { id: '10202', name: 'High' },
        ],
      });
      const kinds = Object.fromEntries(fields.map((f) => [f.id, f.kind]));
      assert.deepEqual(
        [
          kinds.priority,
          kinds.assignee,
          kinds.components,
          kinds.fixVersions,
          kinds.parent,
          kinds.labels,
          kinds.duedate,
        ],
        ['option', 'user', 'options', 'options', 'issue', 'labels', 'date'],
      );
      assert.ok(!('summary' in kinds) && !('reporter' in kinds), 'summary is the form’s own; reporter has a default');
      const task = (await issueTypeChoices(api, projectKey)).find((t) => t.name === 'Task')!;
      assert.ok(!(await createFields(api, projectKey, task.id)).some((f) => f.id === CHANGE_RISK));
    });

    it(`${flavour}: the form refuses an empty required field; Jira's own refusal lands beside the field; a full form creates the issue`, async () => {
      const api = jira(await connect());
      const story = (await issueTypeChoices(api, projectKey)).find((t) => t.name === 'Story')!;
      const fields = await createFields(api, projectKey, story.id);
      const components = fields.find((f) => f.id === 'components')!.allowed!;
      const request: CreateRequest = {
        projectKey,
        issueTypeId: story.id,
        summary: 'Rotate the **deploy** keys',
        description: 'Steps:\n\n1. rotate\n2. `verify`',
        fields,
        values: { components: [components[1]!.id], labels: 'keys, security' },
      };
      await assert.rejects(createIssue(api, request), (err: unknown) => {
        assert.ok(err instanceof CreateRefused);
        assert.deepEqual(err.fieldErrors, { [CHANGE_RISK]: 'Change risk is required.' });
        return true;
      });
      // What Jira says when the form did not know the field was required (here: sent without it).
      const refused = await api
        .createIssue({ project: { key: projectKey }, issuetype: { id: story.id }, summary: 'x' })
        .then(
          () => undefined,
          (err: unknown) => refusalFrom(err, [CHANGE_RISK, 'summary']),
        );
      assert.deepEqual(refused?.fieldErrors, { [CHANGE_RISK]: 'Change risk is required.' });
      assert.deepEqual(refused?.general, []);

      const { key } = await createIssue(api, { ...request, values: { ...request.values, [CHANGE_RISK]: '10202' } });
      const created = await api.getIssue(key, { fields: ['description', 'components', 'labels', CHANGE_RISK] });
      const f = created.fields as Json;
      assert.equal((f[CHANGE_RISK] as Json).value, 'High');
      assert.deepEqual(
        (f.components as Json[]).map((c) => c.name),
        [components[1]!.name],
      );
      assert.deepEqual(f.labels, ['keys', 'security']);
      if (flavour === 'cloud') assert.equal((f.description as Json).type, 'doc', 'ADF on Cloud');
      else assert.match(String(f.description), /# rotate\n# {{verify}}/, 'wiki markup on Data Center');
    });
  }

  it('Jira refusing a value names the field; messages about no field stay general', async () => {
    const api = jira(await world.apiToken());
    const err = await api
      .createIssue({
        project: { key: 'ENG' },
        issuetype: { name: 'Task' },
        summary: 'x',
        parent: { key: 'ENG-999999' },
      })
      .then(
        () => assert.fail('refused'),
        (e: unknown) => e,
      );
    const refusal = refusalFrom(err, ['parent']);
    assert.deepEqual(refusal?.fieldErrors, { parent: 'Could not find issue by id or key.' });
    assert.equal(refusalFrom(new Error('offline'), ['parent']), undefined, 'not a refusal: the caller explains it');
  });
});
