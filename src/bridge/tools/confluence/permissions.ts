// Permissions (toolset confluence_permissions): whether someone may do something to a page (Cloud's
// permission check), and who holds which permission in a space.
import { ConfluenceAdmin } from '../../../atlassian/confluenceAdmin';
import { notOnDataCenter } from '../../../atlassian/confluenceDc';
import type { ConfluenceApi } from '../../../atlassian/confluence';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, decodeCursor, encodeCursor, type ToolContext, type ToolDef } from '../../tooling';
import { allowSpace, attempt, displayNames, pageIdFrom, readPage, spaceIdOf } from './shared';

const OPERATIONS = ['read', 'update', 'delete', 'create', 'administer', 'copy', 'move', 'export', 'restrict_content'];

export const confluenceCheckContentPermissions: ToolDef = {
  name: 'confluence_check_content_permissions',
  title: 'Check Confluence content permission',
  description:
    'Whether a user (account id) or group may perform an operation (read, update, delete, …) on a page, and why not. Cloud only.',
  toolset: 'confluence_permissions',
  product: 'confluence',
  params: {
    content_id: p.str('Page id, or the page URL'),
    user_identifier: p.str('Account id of the user, or the group name with subject_type group'),
    operation: p.oneOf(OPERATIONS, 'Operation to check'),
    subject_type: p.oneOf(['user', 'group'], 'Whom user_identifier names (default user)'),
  },
  required: ['content_id', 'user_identifier', 'operation'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    if (confluence.flavour === 'datacenter')
      throw notOnDataCenter('The content permission check (/rest/api/content/{id}/permission/check)');
    const id = pageIdFrom(String(args.content_id), 'content_id');
    const { page } = await readPage(ctx, confluence, id, undefined);
    const type = (args.subject_type as 'user' | 'group' | undefined) ?? 'user';
    const identifier = String(args.user_identifier).trim();
    const result = await attempt(`Page ${id}`, () =>
      new ConfluenceAdmin(confluence).checkPermission(id, { type, identifier }, String(args.operation), ctx.signal),
    );
    const name =
      type === 'user' ? (await displayNames(confluence, [identifier], ctx.signal)).get(identifier) : undefined;
    return prune({
      content_id: id,
      title: page.title,
      subject: prune({ type, id: identifier, name }),
      operation: args.operation,
      allowed: result.hasPermission,
      reasons: result.reasons.length ? result.reasons : undefined,
    });
  },
};

/** The space named by id (Cloud) or key (both), checked against CONFLUENCE_SPACES_FILTER. */
async function spaceOf(
  ctx: ToolContext,
  confluence: ConfluenceApi,
  value: string,
): Promise<{ id: string; key: string }> {
  if (/^\d+$/.test(value)) {
    if (confluence.flavour === 'datacenter')
      throw new InputError('Invalid argument `space_id`: Confluence Data Center names spaces by key; give the key.');
    // Read, not looked up leniently: a refused or failed read must not pass for "no such space".
    const space = await attempt(`Space ${value}`, () => confluence.space(value, ctx.signal));
    const key = String(space.key);
    allowSpace(ctx, key, `Space ${key}`);
    return { id: value, key };
  }
  const key = value.toUpperCase();
  allowSpace(ctx, key, `Space ${key}`);
  return { id: await spaceIdOf(confluence, key, 'space_id', ctx.signal), key };
}

export const confluenceGetSpacePermissions: ToolDef = {
  name: 'confluence_get_space_permissions',
  title: 'Get Confluence space permissions',
  description:
    'Who holds which permission in a space (users, groups, anonymous), grouped by holder: e.g. "read space", "create page", "administer space".',
  toolset: 'confluence_permissions',
  product: 'confluence',
  params: {
    space_id: p.str('Space id (Cloud) or space key'),
    limit: p.int('Assignments per call (default 100; Cloud)', 1, 250),
    cursor: p.str('next_cursor from the previous call'),
  },
  required: ['space_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const space = await spaceOf(ctx, confluence, String(args.space_id).trim());
    const cursor = decodeCursor(args.cursor as string | undefined, 'cursor');
    const page = await attempt(`Space ${space.key}`, () =>
      new ConfluenceAdmin(confluence).spacePermissions(space, {
        limit: (args.limit as number | undefined) ?? 100,
        cursor: cursor?.c as string | undefined,
        signal: ctx.signal,
      }),
    );
    const users = page.results.filter((r) => r.principalType === 'user').map((r) => r.principal);
    const looked =
      confluence.flavour === 'cloud' ? await displayNames(confluence, users, ctx.signal) : new Map<string, string>();
    const holders = new Map<string, { type: string; id: string; name?: string; permissions: string[] }>();
    for (const entry of page.results) {
      const key = `${entry.principalType}:${entry.principal}`;
      const holder = holders.get(key) ?? {
        type: entry.principalType,
        id: entry.principal,
        name: entry.displayName ?? looked.get(entry.principal),
        permissions: [],
      };
      if (!holder.permissions.includes(entry.operation)) holder.permissions.push(entry.operation);
      holders.set(key, holder);
    }
    return prune({
      space: space.key,
      holders: [...holders.values()].map((h) => prune({ ...h })),
      next_cursor: page.cursor ? encodeCursor({ c: page.cursor }) : undefined,
    });
  },
};
