// Putting an issue under an epic (toolset jira_links): its parent on Cloud, its Epic Link on Data Center.
import type { Json } from '../../../atlassian/jira';
import { InputError, p } from '../../schema';
import type { ToolDef } from '../../tooling';
import { issueFor, allowIssue, attempt } from './shared';
import { textOf } from '../../../core/text';

/** Jira Cloud calls the epic level of the hierarchy 1 (it may be renamed); Data Center knows it by name. */
function isEpicType(type: Json | undefined): boolean {
  if (!type) return false;
  return type.hierarchyLevel === 1 || /^epic$/i.test(textOf(type.untranslatedName ?? type.name, ''));
}

export const jiraLinkToEpic: ToolDef = {
  name: 'jira_link_to_epic',
  title: 'Link Jira issue to epic',
  description:
    'Put a Jira issue under an epic (its parent on Cloud, its Epic Link on Data Center), replacing any epic it had.',
  toolset: 'jira_links',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    issue_key: p.str('The issue to move under the epic, e.g. PROJ-123'),
    epic_key: p.str('The epic, e.g. PROJ-456'),
  },
  required: ['issue_key', 'epic_key'],
  async run(args, ctx) {
    const { site, jira, key } = await issueFor(ctx, args);
    const epicKey = String(args.epic_key).trim();
    await allowIssue(ctx, jira, epicKey);
    if (epicKey.toUpperCase() === key.toUpperCase())
      throw new InputError('Invalid argument `epic_key`: an issue cannot be its own epic.');
    const epic = await attempt(`Epic ${epicKey}`, () =>
      jira.getIssue(epicKey, { fields: ['issuetype', 'summary'], signal: ctx.signal }),
    );
    const type = (epic.fields as Json | undefined)?.issuetype as Json | undefined;
    if (!isEpicType(type))
      throw new InputError(
        `Invalid argument \`epic_key\`: ${epicKey} is a ${textOf(type?.name, 'issue')}, not an epic.`,
      );
    if (jira.cloud)
      await attempt(`Issue ${key}`, () =>
        jira.editIssue(key, { parent: { key: String(epic.key) } }, undefined, ctx.signal),
      );
    else await attempt(`Epic ${epicKey}`, () => jira.moveToEpic(String(epic.key), [key], ctx.signal));
    return {
      key,
      epic_key: epic.key,
      epic_summary: (epic.fields as Json | undefined)?.summary,
      url: site.browseUrl(key),
    };
  },
};
