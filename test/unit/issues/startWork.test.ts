import assert from 'node:assert/strict';
import type { JiraApi, Json } from '../../../src/atlassian/jira';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { assignToMe } from '../../../src/issues/issueActions';
import {
  activeIssue,
  CHOICES_KEY,
  DEFAULT_CHOICES,
  inProgressTransition,
  planStartWork,
  readStartWorkIssue,
  rememberChoices,
  rememberedChoices,
  runStartWork,
  setActiveIssue,
  withKeyPrefix,
  withoutKeyPrefix,
  type KeyValueStore,
  type StartWorkIssue,
} from '../../../src/issues/startWork/startWork';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

function memory(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: <T>(key: string) => data[key] as T | undefined,
    update: async (key, value) => {
      if (value === undefined) delete data[key];
      else data[key] = value;
    },
  };
}

const transition = (id: string, name: string, to: string, category: string): Json => ({
  id,
  name,
  to: { name: to, statusCategory: { key: category } },
});

const issue: StartWorkIssue = {
  key: 'ENG-7',
  summary: 'Make the login page faster',
  type: 'Story',
  status: 'To Do',
  statusCategory: 'new',
  assignee: undefined,
};

describe('Start Work planning', () => {
  it('picks the transition to a status named "In Progress" over other in-progress ones, never a done one', () => {
    const transitions = [
      transition('1', 'Close', 'Done', 'done'),
      transition('2', 'Review', 'In Review', 'indeterminate'),
      transition('3', 'Start progress', 'In Progress', 'indeterminate'),
    ];
    assert.deepEqual(inProgressTransition(transitions), { id: '3', name: 'Start progress', to: 'In Progress' });
    assert.deepEqual(inProgressTransition(transitions.slice(0, 2)), { id: '2', name: 'Review', to: 'In Review' });
    assert.equal(inProgressTransition([transition('1', 'Close', 'Done', 'done')]), undefined);
    assert.equal(inProgressTransition([]), undefined);
  });

  it('plans the chosen steps in order: branch from the template, transition, assignment', () => {
    const plan = planStartWork({
      issue,
      choices: DEFAULT_CHOICES,
      template: 'feature/{key}-{summary}',
      transitions: [transition('11', 'Start', 'In Progress', 'indeterminate')],
      me: 'acc-1',
    });
    assert.deepEqual(plan.steps, [
      { kind: 'branch', name: 'feature/ENG-7-make-the-login-page-faster' },
      { kind: 'transition', transition: { id: '11', name: 'Start', to: 'In Progress' } },
      { kind: 'assign' },
    ]);
    assert.deepEqual(plan.skipped, []);
  });

  it('skips what is already so or impossible, and what was not chosen, and says why', () => {
    const plan = planStartWork({
      issue: { ...issue, statusCategory: 'indeterminate', assignee: 'acc-1' },
      choices: { branch: false, transition: true, assign: true },
      template: '',
      transitions: [transition('11', 'Start', 'In Progress', 'indeterminate')],
      me: 'acc-1',
    });
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(plan.skipped, [
      { kind: 'transition', reason: 'alreadyInProgress' },
      { kind: 'assign', reason: 'alreadyAssigned' },
    ]);
    const noWay = planStartWork({
      issue,
      choices: { branch: false, transition: true, assign: false },
      template: '',
      transitions: [transition('1', 'Close', 'Done', 'done')],
      me: undefined,
    });
    assert.deepEqual(noWay.skipped, [{ kind: 'transition', reason: 'noInProgressTransition' }]);
  });

  it('assigns when who "me" is is not known (Data Center learns it from /myself when assigning)', () => {
    const plan = planStartWork({
      issue: { ...issue, assignee: 'someone' },
      choices: { branch: false, transition: false, assign: true },
      template: '',
      transitions: [],
      me: undefined,
    });
    assert.deepEqual(plan.steps, [{ kind: 'assign' }]);
  });

  it('runs every step even when one fails, keeping each outcome', async () => {
    const failure = new Error('HTTP 400');
    const outcomes = await runStartWork(
      {
        steps: [
          { kind: 'branch', name: 'ENG-7' },
          { kind: 'transition', transition: { id: '1', name: 'Start', to: 'In Progress' } },
          { kind: 'assign' },
        ],
        skipped: [],
      },
      async (step) => {
        if (step.kind === 'transition') throw failure;
        return step.kind === 'branch' ? 'created' : undefined;
      },
    );
    assert.deepEqual(
      outcomes.map((o) => [o.step.kind, o.error, o.detail]),
      [
        ['branch', undefined, 'created'],
        ['transition', failure, undefined],
        ['assign', undefined, undefined],
      ],
    );
  });
});

describe('Start Work memory and commit prefix', () => {
  it('remembers the chosen steps, and falls back to all steps for missing or malformed values', async () => {
    const store = memory();
    assert.deepEqual(rememberedChoices(store), DEFAULT_CHOICES);
    await rememberChoices(store, { branch: true, transition: false, assign: false });
    assert.deepEqual(rememberedChoices(store), { branch: true, transition: false, assign: false });
    assert.deepEqual(rememberedChoices(memory({ [CHOICES_KEY]: { branch: 'no', assign: false } })), {
      branch: true,
      transition: true,
      assign: false,
    });
  });

  it('keeps the active issue until it is cleared, ignoring malformed state', async () => {
    const store = memory();
    assert.equal(activeIssue(store), undefined);
    await setActiveIssue(store, { connectionId: 'c1', key: 'ENG-7', summary: 'S', branch: 'ENG-7-s' });
    assert.deepEqual(activeIssue(store), { connectionId: 'c1', key: 'ENG-7', summary: 'S', branch: 'ENG-7-s' });
    await setActiveIssue(store, undefined);
    assert.equal(activeIssue(store), undefined);
    assert.equal(activeIssue(memory({ 'atlassianMcpBridge.startWork.activeIssue': { key: 1 } })), undefined);
  });

  it('puts the key in front of the commit message once, and takes it away again', () => {
    assert.equal(withKeyPrefix('', 'ENG-7'), 'ENG-7 ');
    assert.equal(withKeyPrefix('Fix login', 'ENG-7'), 'ENG-7 Fix login');
    assert.equal(withKeyPrefix('ENG-7 Fix login', 'ENG-7'), 'ENG-7 Fix login');
    assert.equal(withKeyPrefix('eng-7: Fix login', 'ENG-7'), 'eng-7: Fix login');
    // ENG-70 is another issue: still prefixed.
    assert.equal(withKeyPrefix('ENG-70 Fix', 'ENG-7'), 'ENG-7 ENG-70 Fix');
    assert.equal(withoutKeyPrefix('ENG-7 Fix login', 'ENG-7'), 'Fix login');
    assert.equal(withoutKeyPrefix('ENG-7: Fix', 'ENG-7'), 'Fix');
    assert.equal(withoutKeyPrefix('ENG-7 ', 'ENG-7'), '');
    assert.equal(withoutKeyPrefix('ENG-70 Fix', 'ENG-7'), 'ENG-70 Fix');
  });
});

describe('Start Work against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let jira: (c: ConnectionInfo) => JiraApi;

  beforeEach(async () => {
    world = await sandboxConnections();
    jira = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined });
  });
  afterEach(() => world.close());

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`moves a to-do issue to an in-progress status and assigns it to me (${flavour})`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const project = String((await api.projects())[0]!.key);
      const page = await api.search({
        jql: `project = ${project} AND statusCategory = "To Do" AND (assignee is EMPTY OR assignee != currentUser()) ORDER BY key ASC`,
        fields: ['summary'],
        limit: 1,
      });
      const key = String(page.issues[0]!.key);
      const { issue: before, transitions } = await readStartWorkIssue(api, key, true);
      assert.equal(before.key, key);
      assert.equal(before.statusCategory, 'new');
      const plan = planStartWork({
        issue: before,
        choices: { branch: false, transition: true, assign: true },
        template: '',
        transitions,
        me: api.cloud ? c.user.accountId : undefined,
      });
      const outcomes = await runStartWork(plan, async (step) => {
        if (step.kind === 'transition') await api.transition(key, step.transition.id);
        if (step.kind === 'assign') await assignToMe(api, c, key);
        return undefined;
      });
      assert.deepEqual(
        outcomes.map((o) => [o.step.kind, o.error]),
        [
          ['transition', undefined],
          ['assign', undefined],
        ],
      );
      const { issue: after } = await readStartWorkIssue(api, key, false);
      assert.equal(after.statusCategory, 'indeterminate');
      const me = await api.myself();
      assert.equal(after.assignee, String(api.cloud ? me.accountId : me.name));
    });
  }
});
