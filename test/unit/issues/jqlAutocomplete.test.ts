import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import type { JiraApi } from '../../../src/atlassian/jira';
import {
  jqlPosition,
  loadVocabulary,
  localCompletions,
  suggestValues,
  type JqlVocabulary,
} from '../../../src/issues/search/jqlAutocomplete';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

describe('JQL autocomplete, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let jira: (c: ConnectionInfo) => JiraApi;

  before(async () => {
    world = await sandboxConnections();
    jira = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined });
  });
  after(() => world.close());

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`${flavour}: fields and operators from autocompletedata, values from suggestions`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const vocabulary = await loadVocabulary(api);
      const status = vocabulary.fields.find((f) => f.value === 'status');
      assert.ok(status?.operators.includes('was'));
      assert.ok(vocabulary.functions.includes('currentUser()'));

      const fields = localCompletions(vocabulary, jqlPosition('project = ENG AND sta'));
      assert.deepEqual(
        fields.map((f) => f.jql),
        ['project = ENG AND status ', 'project = ENG AND statusCategory '],
      );
      const values = await suggestValues(api, 'status', 'in');
      assert.deepEqual(
        values.map((v) => v.label),
        ['In Progress', 'In Review'],
      );
      assert.equal(values[0]!.value, '"In Progress"');
      const users = await suggestValues(api, 'assignee', 'gra');
      assert.equal(users[0]!.label, 'Grace Hopper');
      const prefix = `${api.api}/jql/autocompletedata`;
      assert.ok(world.sandbox.log.count({ path: new RegExp(`${prefix.replace(/\//g, '\\/')}$`) }) >= 1);
    });
  }

  it('knows which kind of word comes next, and what of it is typed', () => {
    const at = (jql: string) => {
      const p = jqlPosition(jql);
      return [p.slot.kind, 'field' in p.slot ? p.slot.field : '', p.partial];
    };
    assert.deepEqual(at(''), ['field', '', '']);
    assert.deepEqual(at('pro'), ['field', '', 'pro']);
    assert.deepEqual(at('project '), ['operator', 'project', '']);
    assert.deepEqual(at('project = '), ['value', 'project', '']);
    assert.deepEqual(at('project = EN'), ['value', 'project', 'EN']);
    assert.deepEqual(at('status not in ("To Do", In'), ['value', 'status', 'In']);
    assert.deepEqual(at('status not in ("To Do") '), ['connector', '', '']);
    assert.deepEqual(at('assignee is '), ['value', 'assignee', '']);
    assert.deepEqual(at('project = ENG and '), ['field', '', '']);
    assert.deepEqual(at('project = ENG ORDER BY '), ['orderField', '', '']);
    assert.deepEqual(at('project = ENG ORDER BY updated '), ['direction', '', '']);
    assert.deepEqual(at('summary ~ "broken lin'), ['value', 'summary', '"broken lin']);
  });

  it('completes connectors, operators and functions locally', () => {
    const vocabulary: JqlVocabulary = {
      fields: [
        { value: 'assignee', displayName: 'assignee', operators: ['=', 'in', 'is'], cfid: undefined, orderable: true },
      ],
      functions: ['currentUser()', 'now()'],
      reserved: [],
    };
    const jqls = (jql: string) => localCompletions(vocabulary, jqlPosition(jql)).map((c) => c.jql);
    assert.deepEqual(jqls('assignee '), ['assignee = ', 'assignee in ', 'assignee is ']);
    assert.deepEqual(jqls('assignee = cu'), ['assignee = currentUser() ']);
    assert.deepEqual(jqls('assignee = currentUser() o'), [
      'assignee = currentUser() OR ',
      'assignee = currentUser() ORDER BY ',
    ]);
  });
});
