// Page templates (toolset confluence_templates): list them, read one, create a page from one. The
// template API exists on Confluence Cloud only; on Data Center each tool says so.
import { ConfluenceAdmin } from '../../../atlassian/confluenceAdmin';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import type { ConfluenceApi } from '../../../atlassian/confluence';
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolContext, type ToolDef } from '../../tooling';
import { allowSpace, attempt, bodyOf, pageIdFrom, pageUrl, readPage, spaceIdOf } from './shared';
import { textOf } from '../../../core/text';

const TEMPLATE_ID = p.str('Template id (from confluence_list_page_templates)');

function cloudOnly(confluence: ConfluenceApi): void {
  if (confluence.flavour === 'datacenter') throw notOnDataCenter('The page template API (/rest/api/template)');
}

function templateSpace(template: Json): string | undefined {
  const key = (template.space as Json | undefined)?.key;
  return typeof key === 'string' ? key : undefined;
}

/** A template by id, refused when it belongs to a space outside CONFLUENCE_SPACES_FILTER. */
async function readTemplate(ctx: ToolContext, confluence: ConfluenceApi, id: string): Promise<Json> {
  if (!/^\d+$/.test(id)) throw new InputError(`Invalid argument \`template_id\`: expected a template id (digits).`);
  const template = await attempt(`Template ${id}`, () => new ConfluenceAdmin(confluence).pageTemplate(id, ctx.signal));
  const space = templateSpace(template);
  if (space) allowSpace(ctx, space, `Template ${id}`);
  return template;
}

function storageOf(template: Json): string {
  const value = ((template.body as Json | undefined)?.storage as Json | undefined)?.value;
  return typeof value === 'string' ? value : '';
}

export const confluenceListPageTemplates: ToolDef = {
  name: 'confluence_list_page_templates',
  title: 'List Confluence page templates',
  description:
    "Page templates (id, name, description, labels) of a space, or the site's global templates without space_key. Cloud only.",
  toolset: 'confluence_templates',
  product: 'confluence',
  params: {
    space_key: p.str("Space key; omit for the site's global templates"),
    limit: p.int('Most templates to list (default 25)', 1, 200),
    start: p.int('Offset (next_start from the previous call)', 0),
  },
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    cloudOnly(confluence);
    const key = args.space_key ? textOf(args.space_key).trim().toUpperCase() : undefined;
    if (key) allowSpace(ctx, key, `Space ${key}`);
    const start = (args.start as number | undefined) ?? 0;
    const page = await attempt(key ? `Space ${key}` : 'Global templates', () =>
      new ConfluenceAdmin(confluence).pageTemplates(key, {
        limit: (args.limit as number | undefined) ?? 25,
        start,
        signal: ctx.signal,
      }),
    );
    const allowed = ctx.config.spacesFilter;
    // Space templates of spaces outside the filter are left out (global ones have no space).
    const visible = page.results.filter((t) => {
      const space = templateSpace(t);
      return !space || !allowed || allowed.includes(space.toUpperCase());
    });
    return prune({
      space: key,
      templates: visible.map((t) =>
        prune({
          id: String(t.templateId ?? t.id),
          name: t.name,
          description: t.description || undefined,
          space: templateSpace(t) ?? 'global',
          labels: ((t.labels as Json[] | undefined) ?? []).map((l) => l.name).filter(Boolean),
        }),
      ),
      next_start: page.more ? start + page.results.length : undefined,
    });
  },
};

export const confluenceGetPageTemplate: ToolDef = {
  name: 'confluence_get_page_template',
  title: 'Get Confluence page template',
  description:
    'A page template by id with its body: storage XHTML by default (keeps placeholders and variables), or Markdown with content_format markdown. Cloud only.',
  toolset: 'confluence_templates',
  product: 'confluence',
  params: {
    template_id: TEMPLATE_ID,
    content_format: p.oneOf(['storage', 'markdown'], 'Body format (default storage)'),
  },
  required: ['template_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    cloudOnly(confluence);
    const template = await readTemplate(ctx, confluence, String(args.template_id).trim());
    const format = (args.content_format as 'storage' | 'markdown' | undefined) ?? 'storage';
    const storage = storageOf(template);
    return prune({
      id: String(template.templateId ?? template.id),
      name: template.name,
      description: template.description || undefined,
      space: templateSpace(template) ?? 'global',
      format,
      content: format === 'storage' ? storage : await bodyOf({ body: { storage: { value: storage } } }, 'markdown'),
    });
  },
};

export const confluenceCreatePageFromTemplate: ToolDef = {
  name: 'confluence_create_page_from_template',
  title: 'Create Confluence page from template',
  description:
    "Create a page whose body is a template's (storage, unchanged), in a space and optionally under parent_id. Cloud only.",
  toolset: 'confluence_templates',
  product: 'confluence',
  write: true,
  params: {
    space_key: p.str('Space key'),
    title: p.str('Title of the new page'),
    template_id: TEMPLATE_ID,
    parent_id: p.str('Parent page id or URL (default: the space home page)'),
  },
  required: ['space_key', 'title', 'template_id'],
  async run(args, ctx) {
    const { site, confluence } = await confluenceFor(ctx, args);
    cloudOnly(confluence);
    const key = String(args.space_key).trim().toUpperCase();
    allowSpace(ctx, key, `Space ${key}`);
    const templateId = String(args.template_id).trim();
    const template = await readTemplate(ctx, confluence, templateId);
    const spaceId = await spaceIdOf(confluence, key, 'space_key', ctx.signal);
    const parentId = args.parent_id ? pageIdFrom(textOf(args.parent_id), 'parent_id') : undefined;
    if (parentId) {
      const { spaceKey } = await readPage(ctx, confluence, parentId, undefined);
      if (spaceKey && spaceKey.toUpperCase() !== key)
        throw new InputError(`Invalid argument \`parent_id\`: page ${parentId} is in space ${spaceKey}, not ${key}.`);
    }
    const page = await confluence.createPage(
      { spaceId, title: String(args.title), parentId, body: { representation: 'storage', value: storageOf(template) } },
      ctx.signal,
    );
    return prune({
      id: page.id,
      title: page.title,
      space: key,
      template_id: templateId,
      version: (page.version as Json | undefined)?.number,
      url: pageUrl(site, page),
    });
  },
};
