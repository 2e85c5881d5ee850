// Jira user profiles (toolset jira_users).
import { prune } from '../../format';
import { p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { attempt, resolveUser } from './shared';

export const jiraGetUserProfile: ToolDef = {
  name: 'jira_get_user_profile',
  title: 'Look up Jira user',
  description:
    'Look up a Jira user by e-mail, name, account id or "me": account id, display name, e-mail, active, time zone. Use it for who someone is, or an account id for assignee, reporter or JQL.',
  toolset: 'jira_users',
  core: true,
  product: 'jira',
  params: { user_identifier: p.str('E-mail, display name, account id, username (Data Center) or "me"') },
  required: ['user_identifier'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const id = await resolveUser(jira, String(args.user_identifier), 'user_identifier', ctx.signal);
    const user = await attempt(`User ${id}`, () => jira.user(id, ctx.signal));
    return prune({
      account_id: user.accountId,
      username: user.name,
      display_name: user.displayName,
      email: user.emailAddress,
      active: user.active,
      time_zone: user.timeZone,
    });
  },
};
