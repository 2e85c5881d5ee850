// Copying a Confluence page (toolset confluence_pages): Cloud's own copy operation; on Data Center,
// which has no public copy call, the page's storage body and labels are read and written anew.
import { ConfluenceAdmin } from '../../../atlassian/confluenceAdmin';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolDef } from '../../tooling';
import { PAGE_ID, allowSpace, attempt, bodyOf, pageIdFrom, pageUrl, readPage, spaceIdOf, spaceKeyOf } from './shared';
import { textOf } from '../../../core/text';

export const confluenceCopyPage: ToolDef = {
  name: 'confluence_copy_page',
  title: 'Copy Confluence page',
  description:
    'Duplicate a page (body and labels; attachments on request) into a space, as a top-level page or under destination_parent_id, with a new title. Child pages are not copied.',
  toolset: 'confluence_pages',
  product: 'confluence',
  write: true,
  params: {
    source_page_id: PAGE_ID,
    destination_space_key: p.str('Space key of the copy'),
    new_title: p.str('Title of the copy (titles are unique within a space)'),
    destination_parent_id: p.str('Parent page id or URL of the copy, in destination_space_key'),
    copy_attachments: p.bool('Also copy the attachments (Cloud only; default false)'),
  },
  required: ['source_page_id', 'destination_space_key', 'new_title'],
  async run(args, ctx) {
    const { site, confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.source_page_id), 'source_page_id');
    const key = String(args.destination_space_key).trim().toUpperCase();
    const title = String(args.new_title).trim();
    if (!title) throw new InputError('Missing required argument `new_title` (Title of the copy).');
    const dc = confluence.flavour === 'datacenter';
    if (dc && args.copy_attachments === true)
      throw notOnDataCenter('Copying attachments with a page (copy_attachments)');
    allowSpace(ctx, key, `Space ${key}`);
    const { page: source, spaceKey: sourceSpace } = await readPage(ctx, confluence, id, dc ? 'storage' : undefined);
    const spaceId = await spaceIdOf(confluence, key, 'destination_space_key', ctx.signal);
    let parentId: string | undefined;
    if (args.destination_parent_id) {
      parentId = pageIdFrom(textOf(args.destination_parent_id), 'destination_parent_id');
      const { spaceKey: parentSpace } = await readPage(ctx, confluence, parentId, undefined);
      if (parentSpace && parentSpace.toUpperCase() !== key)
        throw new InputError(
          `Invalid argument \`destination_parent_id\`: page ${parentId} is in space ${parentSpace}, not ${key}.`,
        );
    }
    let copy: Json;
    if (dc) {
      copy = await confluence.createPage(
        {
          spaceId,
          title,
          parentId,
          body: { representation: 'storage', value: String(await bodyOf(source, 'storage')) },
        },
        ctx.signal,
      );
      const labels = await attempt(`Page ${id}`, () => confluence.labels(id, ctx.signal));
      if (labels.length > 0)
        await confluence.addLabels(
          String(copy.id),
          labels.map((l) => ({ prefix: 'global' as const, name: String(l.name) })),
          ctx.signal,
        );
    } else {
      copy = await attempt(`Page ${id}`, () =>
        new ConfluenceAdmin(confluence).copyPage(
          id,
          {
            destination: parentId ? { type: 'parent_page', value: parentId } : { type: 'space', value: key },
            title,
            copyAttachments: args.copy_attachments === true,
          },
          ctx.signal,
        ),
      );
    }
    const space = (copy.space as Json | undefined)?.key ?? (await spaceKeyOf(confluence, spaceId, ctx.signal)) ?? key;
    return prune({
      id: String(copy.id),
      title: copy.title,
      space,
      parent_id: parentId,
      source_page_id: id,
      source_space: sourceSpace,
      url: pageUrl(site, copy),
    });
  },
};
