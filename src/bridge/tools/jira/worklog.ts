// Jira work logs (toolset jira_worklog).
import type { Json } from '../../../atlassian/jira';
import { personName, prune, shortDate, worklogView } from '../../format';
import { InputError, p } from '../../schema';
import type { ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, attempt, richInput } from './shared';
import { textOf } from '../../../core/text';

function jiraDate(value: string, argument: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InputError(
      `Invalid argument \`${argument}\`: expected an ISO date-time such as 2026-11-20T09:00:00Z, got "${value}".`,
    );
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const jiraAddWorklog: ToolDef = {
  name: 'jira_add_worklog',
  title: 'Log work on Jira issue',
  description:
    'Log work (time spent) on a Jira issue, e.g. time_spent "1h 30m" or "2d", with an optional Markdown comment and start time; can also set the original or remaining estimate.',
  toolset: 'jira_worklog',
  product: 'jira',
  write: true,
  params: {
    issue_key: ISSUE_KEY,
    time_spent: p.str('Jira duration: 3h, 1d 2h, 45m'),
    comment: p.str('Markdown'),
    started: p.str('When the work started (ISO date-time; default now)'),
    original_estimate: p.str('Set the original estimate, e.g. 2d'),
    remaining_estimate: p.str('Set the remaining estimate, e.g. 4h'),
  },
  required: ['issue_key', 'time_spent'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    if (args.original_estimate) {
      await attempt(`Issue ${key}`, () =>
        jira.editIssue(key, { timetracking: { originalEstimate: args.original_estimate } }, undefined, ctx.signal),
      );
    }
    const worklog: Json = {
      timeSpent: args.time_spent,
      started: jiraDate((args.started as string | undefined) ?? new Date().toISOString(), 'started'),
    };
    if (args.comment) worklog.comment = await richInput(jira, args.comment, 'comment');
    const query = args.remaining_estimate
      ? { adjustEstimate: 'new', newEstimate: textOf(args.remaining_estimate) }
      : undefined;
    const created = await attempt(`Issue ${key}`, () => jira.addWorklog(key, worklog, query, ctx.signal));
    return {
      id: created.id,
      issue: key,
      time_spent: created.timeSpent ?? args.time_spent,
      started: shortDate(created.started),
    };
  },
};

export const jiraGetWorklog: ToolDef = {
  name: 'jira_get_worklog',
  title: 'Get Jira worklogs',
  description:
    'Time logged on a Jira issue (worklogs for time tracking, timesheets): who, how long, when, and the comment.',
  toolset: 'jira_worklog',
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const worklogs = await attempt(`Issue ${key}`, () => jira.worklogs(key, ctx.signal));
    return worklogs.map((w) => {
      // A restricted worklog says so (a model must not repost it publicly), and its comment is kept.
      const { visibility, comment } = worklogView(w, jira.flavour);
      return prune({
        id: w.id,
        author: personName(w.author),
        time_spent: w.timeSpent,
        seconds: w.timeSpentSeconds,
        started: shortDate(w.started),
        visibility,
        comment,
      });
    });
  },
};
