// Jira workflow transitions (toolset jira_transitions).
import type { Json } from '../../../atlassian/jira';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, allowIssue, attempt, richInput, normalizeFields } from './shared';
import { textOf } from '../../../core/text';

export const jiraGetTransitions: ToolDef = {
  name: 'jira_get_transitions',
  title: 'Get Jira transitions',
  description: 'List the workflow transitions available for an issue now (id, name, target status).',
  toolset: 'jira_transitions',
  core: true,
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const transitions = await attempt(`Issue ${key}`, () => jira.transitions(key, ctx.signal));
    return transitions.map((t) => ({ id: t.id, name: t.name, to: (t.to as Json | undefined)?.name }));
  },
};

export const jiraTransitionIssue: ToolDef = {
  name: 'jira_transition_issue',
  title: 'Transition Jira issue',
  description:
    'Move an issue through its workflow. `transition_id` takes a transition id, transition name or target status name (see jira_get_transitions).',
  toolset: 'jira_transitions',
  core: true,
  product: 'jira',
  write: true,
  destructive: true,
  params: {
    issue_key: ISSUE_KEY,
    transition_id: p.str('Transition id or name, or the target status, e.g. "In Progress"'),
    fields: p.obj('Fields the transition screen needs, e.g. {"resolution":"Done"}'),
    comment: p.str('Markdown comment to add with the transition'),
    transition: p.str(undefined, { hidden: true }),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.issue_key).trim();
    const wanted = textOf(args.transition_id ?? args.transition, '').trim();
    if (!wanted)
      throw new InputError(
        'Missing required argument `transition_id` (a transition id or name; see jira_get_transitions).',
      );
    await allowIssue(ctx, jira, key);
    const transitions = await attempt(`Issue ${key}`, () => jira.transitions(key, ctx.signal));
    const lower = wanted.toLowerCase();
    const match =
      transitions.find((t) => String(t.id) === wanted) ??
      transitions.find((t) => String(t.name).toLowerCase() === lower) ??
      transitions.find((t) => textOf((t.to as Json | undefined)?.name, '').toLowerCase() === lower);
    if (!match) {
      const available = transitions
        .map((t) => `${String(t.id)} "${String(t.name)}" → ${textOf((t.to as Json | undefined)?.name, '?')}`)
        .join('; ');
      throw new InputError(
        `Invalid argument \`transition_id\`: "${wanted}" is not available for ${key} now. Available: ${available || 'none'}.`,
      );
    }
    const extra: { fields?: Json; update?: Json } = {};
    if (args.fields) extra.fields = await normalizeFields(jira, args.fields as Json, 'fields', ctx.signal);
    if (args.comment) extra.update = { comment: [{ add: { body: await richInput(jira, args.comment, 'comment') } }] };
    await jira.transition(key, String(match.id), extra, ctx.signal);
    return { key, transition: match.name, status: (match.to as Json | undefined)?.name };
  },
};
