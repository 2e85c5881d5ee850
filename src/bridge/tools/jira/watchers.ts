// Jira issue watchers (toolset jira_watchers).
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import type { ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, attempt, resolveUser } from './shared';
import { textOf } from '../../../core/text';

export const jiraGetIssueWatchers: ToolDef = {
  name: 'jira_get_issue_watchers',
  title: 'Get Jira watchers',
  description: 'Who watches a Jira issue (is notified of its changes).',
  toolset: 'jira_watchers',
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const watchers = await attempt(`Issue ${key}`, () => jira.watchers(key, ctx.signal));
    return watchers.map((w) => prune({ account_id: w.accountId, username: w.name, display_name: w.displayName }));
  },
};

export const jiraAddWatcher: ToolDef = {
  name: 'jira_add_watcher',
  title: 'Add Jira watcher',
  description:
    'Make a user (e-mail, name, account id or "me") watch a Jira issue, so they are notified of its changes.',
  toolset: 'jira_watchers',
  product: 'jira',
  write: true,
  idempotent: true,
  params: { issue_key: ISSUE_KEY, user_identifier: p.str('E-mail, display name, account id or "me"') },
  required: ['issue_key', 'user_identifier'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const user = await resolveUser(jira, String(args.user_identifier), 'user_identifier', ctx.signal);
    await attempt(`Issue ${key}`, () => jira.addWatcher(key, user, ctx.signal));
    return { key, watcher: user };
  },
};

export const jiraRemoveWatcher: ToolDef = {
  name: 'jira_remove_watcher',
  title: 'Remove Jira watcher',
  description: 'Stop a user watching a Jira issue (no more notifications).',
  toolset: 'jira_watchers',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    issue_key: ISSUE_KEY,
    user_identifier: p.str('E-mail, display name, account id or "me"'),
    account_id: p.str(undefined, { hidden: true }),
    username: p.str(undefined, { hidden: true }),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const ref = textOf(args.user_identifier ?? args.account_id ?? args.username, '');
    if (!ref) throw new InputError('Missing required argument `user_identifier`.');
    const user = await resolveUser(jira, ref, 'user_identifier', ctx.signal);
    await attempt(`Issue ${key}`, () => jira.removeWatcher(key, user, ctx.signal));
    return { key, removed: user };
  },
};
