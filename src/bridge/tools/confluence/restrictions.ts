// Page restrictions (toolset confluence_pages): who may view and who may edit a page. Users are
// account ids on Cloud and usernames on Data Center; groups are names on both.
import {
  ConfluenceAdmin,
  type RestrictionOperation,
  type Restrictions,
  type RestrictionSet,
} from '../../../atlassian/confluenceAdmin';
import type { ConfluenceApi } from '../../../atlassian/confluence';
import { InputError, p } from '../../schema';
import { confluenceFor, type ToolContext, type ToolDef } from '../../tooling';
import { PAGE_ID, attempt, displayNames, pageIdFrom, readPage } from './shared';

/** The model's words for Confluence's operations. */
const LABELS: Record<RestrictionOperation, 'view' | 'edit'> = { read: 'view', update: 'edit' };

async function describe(
  ctx: ToolContext,
  confluence: ConfluenceApi,
  id: string,
  title: unknown,
  restrictions: Restrictions,
): Promise<Record<string, unknown>> {
  const ids = [...restrictions.read.users, ...restrictions.update.users];
  const looked =
    confluence.flavour === 'cloud' ? await displayNames(confluence, ids, ctx.signal) : new Map<string, string>();
  const out: Record<string, unknown> = { page_id: id, title };
  for (const operation of ['read', 'update'] as const) {
    const set = restrictions[operation];
    out[LABELS[operation]] = {
      restricted: set.users.length + set.groups.length > 0,
      users: set.users.map((user) => {
        const name = set.userNames[user] ?? looked.get(user);
        return name ? { id: user, name } : { id: user };
      }),
      groups: set.groups,
    };
  }
  out.note =
    'Only restrictions set on this page are listed; view restrictions on its ancestor pages also apply. Unrestricted means anyone with space permission.';
  return out;
}

export const confluenceGetPageRestrictions: ToolDef = {
  name: 'confluence_get_page_restrictions',
  title: 'Get Confluence page restrictions',
  description:
    'Who may view and who may edit a page: the users and groups its view and edit restrictions name (empty = unrestricted).',
  toolset: 'confluence_pages',
  product: 'confluence',
  params: { page_id: PAGE_ID },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const { page } = await readPage(ctx, confluence, id, undefined);
    const restrictions = await attempt(`Page ${id}`, () =>
      new ConfluenceAdmin(confluence).restrictions(id, ctx.signal),
    );
    return describe(ctx, confluence, id, page.title, restrictions);
  },
};

function names(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).map((v) => String(v).trim()).filter(Boolean);
  return [...new Set(list)];
}

export const confluenceSetPageRestrictions: ToolDef = {
  name: 'confluence_set_page_restrictions',
  title: 'Set Confluence page restrictions',
  description:
    "Replace a page's view and/or edit restrictions. Each list given replaces that part (an empty list lifts it); parts not given stay as they are. Users: account ids on Cloud, usernames on Data Center. Returns the restrictions now in force.",
  toolset: 'confluence_pages',
  product: 'confluence',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    page_id: PAGE_ID,
    read_users: p.list('Users who may view (replaces the current list)'),
    read_groups: p.list('Groups who may view (replaces the current list)'),
    edit_users: p.list('Users who may edit (replaces the current list)'),
    edit_groups: p.list('Groups who may edit (replaces the current list)'),
  },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    const wanted = {
      read: { users: names(args.read_users), groups: names(args.read_groups) },
      update: { users: names(args.edit_users), groups: names(args.edit_groups) },
    };
    if (Object.values(wanted).every((w) => w.users === undefined && w.groups === undefined))
      throw new InputError(
        'Missing argument: give at least one of `read_users`, `read_groups`, `edit_users`, `edit_groups` (an empty list lifts that restriction).',
      );
    const { page } = await readPage(ctx, confluence, id, undefined);
    const admin = new ConfluenceAdmin(confluence);
    const current = await attempt(`Page ${id}`, () => admin.restrictions(id, ctx.signal));
    const next = {} as Record<RestrictionOperation, RestrictionSet>;
    for (const operation of ['read', 'update'] as const) {
      next[operation] = {
        users: wanted[operation].users ?? current[operation].users,
        groups: wanted[operation].groups ?? current[operation].groups,
      };
    }
    await attempt(`Page ${id}`, () => admin.setRestrictions(id, next, ctx.signal));
    return describe(ctx, confluence, id, page.title, await admin.restrictions(id, ctx.signal));
  },
};
