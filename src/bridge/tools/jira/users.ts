// Jira user profiles and who can be assigned (toolset jira_users).
import { assignableUsers } from '../../../atlassian/jiraToolbox';
import { textOf } from '../../../core/text';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { lookupIssue, projectKeyArg, refuseClaimedOutside } from './issueLookup';
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

export const jiraSearchAssignableUsers: ToolDef = {
  name: 'jira_search_assignable_users',
  title: 'Search assignable Jira users',
  description:
    'Find the people who can be assigned issues in a project or on one issue, by part of a name, username or e-mail; returns the account id (Cloud) or username (Data Center) to pass as assignee. Give project_key or issue_key.',
  toolset: 'jira_users',
  product: 'jira',
  params: {
    query: p.str('Part of a display name, username or e-mail, e.g. "grace"'),
    project_key: p.str('Project whose assignable users to search, e.g. PROJ'),
    issue_key: p.str('Issue whose assignable users to search, e.g. PROJ-123'),
    limit: p.int('Maximum users (default 20)', 1, 1000),
  },
  required: ['query'],
  async run(args, ctx) {
    // Objects outside the projects filter are refused first, whatever else is wrong with the call.
    const project = args.project_key ? projectKeyArg(ctx, args.project_key, 'project_key') : undefined;
    const issueRef = args.issue_key ? textOf(args.issue_key).trim().toUpperCase() : undefined;
    if (issueRef) refuseClaimedOutside(ctx, [issueRef]);
    if (!project === !issueRef)
      throw new InputError(
        'Give exactly one of `project_key` or `issue_key`: Jira searches assignable users in one of them.',
      );
    const { jira } = await jiraFor(ctx, args);
    const issueKey = issueRef ? textOf((await lookupIssue(ctx, jira, issueRef)).key) : undefined;
    const users = await attempt(project ? `Project ${project}` : `Issue ${String(issueKey)}`, () =>
      assignableUsers(
        jira,
        { query: textOf(args.query), project, issueKey, maxResults: (args.limit as number | undefined) ?? 20 },
        ctx.signal,
      ),
    );
    return {
      count: users.length,
      users: users.map((u) =>
        prune({
          account_id: u.accountId,
          username: jira.cloud ? undefined : u.name,
          display_name: u.displayName,
          email: u.emailAddress,
          active: u.active,
        }),
      ),
    };
  },
};
