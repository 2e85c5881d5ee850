// Jira issue links and remote links (toolset jira_links).
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, allowIssue, attempt, richInput } from './shared';
import { textOf } from '../../../core/text';

export const jiraCreateIssueLink: ToolDef = {
  name: 'jira_create_issue_link',
  title: 'Link Jira issues',
  description:
    'Link two Jira issues: blocks / is blocked by, relates to, duplicates, clones. link_type "Blocks" means inward_issue_key blocks outward_issue_key; types are per site (jira_get_link_types). Epics: jira_link_to_epic; web links: jira_create_remote_issue_link.',
  toolset: 'jira_links',
  core: true,
  product: 'jira',
  write: true,
  params: {
    link_type: p.str('Link type name, e.g. Blocks, Relates, Duplicate'),
    inward_issue_key: ISSUE_KEY,
    outward_issue_key: ISSUE_KEY,
    comment: p.str('Markdown comment added to the link'),
  },
  required: ['link_type', 'inward_issue_key', 'outward_issue_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const inward = String(args.inward_issue_key).trim();
    const outward = String(args.outward_issue_key).trim();
    await allowIssue(ctx, jira, inward);
    await allowIssue(ctx, jira, outward);
    const link: Json = {
      type: { name: args.link_type },
      inwardIssue: { key: inward },
      outwardIssue: { key: outward },
    };
    if (args.comment) link.comment = { body: await richInput(jira, args.comment, 'comment') };
    await attempt(`Link type "${String(args.link_type)}" or issue ${inward}/${outward}`, () =>
      jira.linkIssues(link, ctx.signal),
    );
    return { linked: true, link_type: args.link_type, inward_issue_key: inward, outward_issue_key: outward };
  },
};

export const jiraGetLinkTypes: ToolDef = {
  name: 'jira_get_link_types',
  title: 'Get Jira link types',
  description:
    "The site's Jira issue link types (Blocks, Relates, Duplicate, Cloners…) with their inward and outward wording, for jira_create_issue_link.",
  toolset: 'jira_links',
  product: 'jira',
  params: { name_filter: p.str('Only types whose name contains this') },
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const filter = textOf(args.name_filter, '').toLowerCase();
    const types = await jira.linkTypes(ctx.signal);
    return types
      .filter((t) => String(t.name).toLowerCase().includes(filter))
      .map((t) => ({ id: t.id, name: t.name, inward: t.inward, outward: t.outward }));
  },
};

export const jiraRemoveIssueLink: ToolDef = {
  name: 'jira_remove_issue_link',
  title: 'Remove Jira issue link',
  description:
    'Delete a link between two Jira issues by its link id (jira_get_issue with fields=issuelinks shows the ids).',
  toolset: 'jira_links',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { link_id: p.str() },
  required: ['link_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    if (ctx.config.projectsFilter)
      throw new InputError(
        'jira_remove_issue_link is unavailable while JIRA_PROJECTS_FILTER is set (a link id does not say which projects it joins).',
      );
    await attempt(`Issue link ${String(args.link_id)}`, () => jira.deleteLink(String(args.link_id), ctx.signal));
    return { removed: args.link_id };
  },
};

export const jiraCreateRemoteIssueLink: ToolDef = {
  name: 'jira_create_remote_issue_link',
  title: 'Add web link to Jira issue',
  description:
    'Add a web link (remote issue link) to a Jira issue: a pull request, commit, build, document or Confluence page URL. Each call adds a new link.',
  toolset: 'jira_links',
  core: true,
  product: 'jira',
  write: true,
  params: {
    issue_key: ISSUE_KEY,
    url: p.str('The linked address, e.g. https://example.com/page'),
    title: p.str('Link text shown on the issue'),
    summary: p.str('Description of the link'),
    relationship: p.str('How it relates, e.g. "causes", "documentation"'),
    icon_url: p.str('URL of a 16x16 icon'),
  },
  required: ['issue_key', 'url', 'title'],
  async run(args, ctx) {
    const url = String(args.url).trim();
    if (!URL.canParse(url))
      throw new InputError(
        `Invalid argument \`url\`: "${url}" is not an absolute URL (include the scheme, e.g. https://).`,
      );
    const { jira, key } = await issueFor(ctx, args);
    const title = String(args.title).trim();
    const object: Json = { url, title };
    if (args.summary) object.summary = args.summary;
    if (args.icon_url) object.icon = { url16x16: args.icon_url, title };
    const link: Json = { object };
    if (args.relationship) link.relationship = args.relationship;
    const created = await attempt(`Issue ${key}`, () => jira.createRemoteLink(key, link, ctx.signal));
    return prune({ key, id: created.id, url, title, relationship: args.relationship as string | undefined });
  },
};
