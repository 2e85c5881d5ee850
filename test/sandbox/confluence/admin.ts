// Confluence administration as the REST docs describe it: page restrictions (v1 byOperation read,
// PUT replace; Cloud names users by accountId, Data Center by username), the v1 permission check,
// v2 space permission assignments (Cloud) and `/rest/api/space/{key}/permissions` (DC). Groups and
// space grants are seeded. Templates, copy and analytics: cloudContent.ts.
import type { Request, Response, Router } from 'express';
import { context, requireScope } from '../context';
import { hashString } from '../data/confluence-seed';
import { USERS, type SandboxUser } from '../data/users';
import { readPage, sendPage } from './paging';
import { ConfluenceError, type ConfluenceStore, type ContentRecord } from './store';

type Handler = (req: Request, res: Response, store: ConfluenceStore) => void;
type Wrap = (handler: Handler) => (req: Request, res: Response) => void;
type Operation = 'read' | 'update';

interface Restriction {
  users: Set<string>;
  groups: Set<string>;
}

const [ADA, GRACE, LINUS] = [USERS[0]!, USERS[1]!, USERS[2]!];

/** The sandbox's groups; every user is in confluence-users. */
export const GROUPS: readonly { name: string; id: string; members: readonly string[] }[] = [
  { name: 'confluence-users', id: 'a1b2c3d4-0000-4000-8000-000000000001', members: USERS.map((u) => u.accountId) },
  { name: 'confluence-administrators', id: 'a1b2c3d4-0000-4000-8000-000000000002', members: [ADA.accountId] },
  {
    name: 'eng-team',
    id: 'a1b2c3d4-0000-4000-8000-000000000003',
    members: [ADA, GRACE, LINUS].map((u) => u.accountId),
  },
];

/** Space grants: [principal type, principal (group name or account id), operation key, target type]. */
function spaceGrants(store: ConfluenceStore, spaceId: string): [string, string, string, string][] {
  const space = store.space(spaceId)!;
  const grants: [string, string, string, string][] = [
    ['group', 'confluence-users', 'read', 'space'],
    ['group', 'confluence-users', 'create', 'page'],
    ['group', 'confluence-users', 'create', 'comment'],
    ['group', 'confluence-administrators', 'read', 'space'],
    ['group', 'confluence-administrators', 'delete', 'page'],
    ['group', 'confluence-administrators', 'administer', 'space'],
    ['user', space.authorId, 'administer', 'space'],
  ];
  if (space.key === 'ENG') grants.push(['group', 'eng-team', 'delete', 'page']);
  return grants;
}

const restrictionsByStore = new WeakMap<ConfluenceStore, Map<string, Record<Operation, Restriction>>>();

export function restrictionsOf(store: ConfluenceStore, id: string): Record<Operation, Restriction> {
  const all = restrictionsByStore.get(store) ?? new Map<string, Record<Operation, Restriction>>();
  restrictionsByStore.set(store, all);
  const found = all.get(id) ?? {
    read: { users: new Set<string>(), groups: new Set<string>() },
    update: { users: new Set<string>(), groups: new Set<string>() },
  };
  all.set(id, found);
  return found;
}

export function currentPage(store: ConfluenceStore, id: string): ContentRecord {
  const page = store.content(id);
  if (!page || page.status !== 'current') throw new ConfluenceError(404, `No content found with id: ${id}`);
  return page;
}

const dc = (res: Response) => context(res).site.flavour === 'datacenter';
const usernameOf = (user: SandboxUser) => user.email.split('@')[0]!;

function userRef(res: Response, user: SandboxUser): Record<string, unknown> {
  return dc(res)
    ? { type: 'known', username: usernameOf(user), userKey: `key-${usernameOf(user)}`, displayName: user.displayName }
    : { type: 'known', accountId: user.accountId, accountType: 'atlassian', displayName: user.displayName };
}

/** A user as a restriction or subject names it: accountId on Cloud, username (or userKey) on DC. */
function findUser(res: Response, ref: Record<string, unknown>): SandboxUser {
  const user = dc(res)
    ? USERS.find((u) => ref.username === usernameOf(u) || ref.userKey === `key-${usernameOf(u)}`)
    : USERS.find((u) => u.accountId === ref.accountId);
  if (!user) throw new ConfluenceError(400, `User not found: ${JSON.stringify(ref)}`);
  return user;
}

function restrictionJson(res: Response, id: string, operation: Operation, r: Restriction): Record<string, unknown> {
  const users = USERS.filter((u) => r.users.has(u.accountId)).map((u) => userRef(res, u));
  const groups = GROUPS.filter((g) => r.groups.has(g.name)).map((g) => ({ type: 'group', name: g.name, id: g.id }));
  const list = (results: unknown[]) => ({ results, start: 0, limit: 200, size: results.length });
  const base = context(res).confluenceBase;
  return {
    operation,
    restrictions: { user: list(users), group: list(groups) },
    _expandable: { content: `/rest/api/content/${id}` },
    _links: { self: `${base}/rest/api/content/${id}/restriction/byOperation/${operation}` },
  };
}

const READ_SCOPES = ['read:confluence-content.all', 'read:content-details:confluence'];
const WRITE_SCOPES = ['write:confluence-content', 'write:content.restriction:confluence'];

const getRestrictions: Handler = (req, res, store) => {
  if (!requireScope(req, res, READ_SCOPES)) return;
  const id = String(req.params['id']);
  currentPage(store, id);
  const r = restrictionsOf(store, id);
  const base = context(res).confluenceBase;
  res.json({
    read: restrictionJson(res, id, 'read', r.read),
    update: restrictionJson(res, id, 'update', r.update),
    _links: { base, context: new URL(base).pathname },
  });
};

/** PUT replaces every restriction; accepts an array or `{results: [...]}`, lists bare or as `{results}`. */
const putRestrictions: Handler = (req, res, store) => {
  if (!requireScope(req, res, WRITE_SCOPES)) return;
  const id = String(req.params['id']);
  currentPage(store, id);
  const raw = req.body as unknown;
  const items = (Array.isArray(raw) ? raw : (raw as { results?: unknown })?.results) as unknown;
  if (!Array.isArray(items)) throw new ConfluenceError(400, 'Expected an array of content restrictions');
  const next = {
    read: { users: new Set<string>(), groups: new Set<string>() },
    update: { users: new Set<string>(), groups: new Set<string>() },
  };
  const listOf = (v: unknown): Record<string, unknown>[] =>
    (Array.isArray(v) ? v : ((v as { results?: unknown[] } | undefined)?.results ?? [])) as Record<string, unknown>[];
  for (const item of items as Record<string, unknown>[]) {
    const operation = item.operation;
    if (operation !== 'read' && operation !== 'update')
      throw new ConfluenceError(400, `Unsupported restriction operation: ${String(operation)}`);
    const restrictions = (item.restrictions ?? {}) as Record<string, unknown>;
    for (const ref of listOf(restrictions.user)) next[operation].users.add(findUser(res, ref).accountId);
    for (const ref of listOf(restrictions.group)) {
      const group = GROUPS.find((g) => g.name === ref.name || g.id === ref.id);
      if (!group) throw new ConfluenceError(400, `Group not found: ${String(ref.name ?? ref.id)}`);
      next[operation].groups.add(group.name);
    }
  }
  const r = restrictionsOf(store, id);
  Object.assign(r, next);
  res.json({
    results: [restrictionJson(res, id, 'read', r.read), restrictionJson(res, id, 'update', r.update)],
    start: 0,
    limit: 100,
    size: 2,
  });
};

/** Whether `accountId` is named by a restriction (directly or through a group); empty restricts nobody. */
function admitted(r: Restriction, accountId: string | null, group: string | null): boolean {
  if (r.users.size + r.groups.size === 0) return true;
  if (group !== null) return r.groups.has(group);
  return r.users.has(accountId!) || GROUPS.some((g) => r.groups.has(g.name) && g.members.includes(accountId!));
}

const SPACE_GRANT_FOR: Record<string, [string, string]> = {
  read: ['read', 'space'],
  update: ['create', 'page'],
  create: ['create', 'page'],
  copy: ['create', 'page'],
  move: ['create', 'page'],
  export: ['read', 'space'],
  delete: ['delete', 'page'],
  administer: ['administer', 'space'],
  restrict_content: ['create', 'page'],
};

/** `POST /rest/api/content/{id}/permission/check` `{subject: {type, identifier}, operation}`. */
const checkPermission: Handler = (req, res, store) => {
  if (!requireScope(req, res, ['read:confluence-content.permission', 'read:content.permission:confluence'])) return;
  const page = currentPage(store, String(req.params['id']));
  const body = (req.body ?? {}) as { subject?: { type?: string; identifier?: string }; operation?: string };
  const grant = SPACE_GRANT_FOR[String(body.operation)];
  if (!grant) throw new ConfluenceError(400, `Invalid operation: ${String(body.operation)}`);
  const type = body.subject?.type;
  const identifier = String(body.subject?.identifier ?? '');
  let accountId: string | null = null;
  let group: string | null = null;
  if (type === 'user') {
    if (!USERS.some((u) => u.accountId === identifier))
      throw new ConfluenceError(400, `Invalid subject: ${identifier}`);
    accountId = identifier;
  } else if (type === 'group') {
    if (!GROUPS.some((g) => g.name === identifier || g.id === identifier))
      throw new ConfluenceError(400, `Invalid subject: ${identifier}`);
    group = GROUPS.find((g) => g.name === identifier || g.id === identifier)!.name;
  } else throw new ConfluenceError(400, 'subject.type must be user or group');
  const holds = spaceGrants(store, page.spaceId).some(
    ([ptype, principal, key, target]) =>
      key === grant[0] &&
      target === grant[1] &&
      (ptype === 'user'
        ? principal === accountId
        : group !== null
          ? principal === group
          : GROUPS.some((g) => g.name === principal && g.members.includes(accountId!))),
  );
  const chain = [page, ...store.ancestors(page)];
  const viewable = chain.every((c) => admitted(restrictionsOf(store, c.id).read, accountId, group));
  const editable = admitted(restrictionsOf(store, page.id).update, accountId, group);
  const errors: { message: { key: string; args: unknown[]; translation: string } }[] = [];
  const error = (key: string, translation: string) => errors.push({ message: { key, args: [], translation } });
  if (!holds) error('space.permission.missing', `The subject lacks the space permission ${grant.join(' ')}.`);
  if (!viewable)
    error('content.restricted.read', 'A view restriction on this page or an ancestor excludes the subject.');
  if (body.operation !== 'read' && body.operation !== 'export' && !editable)
    error('content.restricted.update', 'An edit restriction on this page excludes the subject.');
  res.json(errors.length ? { hasPermission: false, errors } : { hasPermission: true });
};

/** v2 `GET /spaces/{id}/permissions`: assignments, cursor-paged. */
const spacePermissionsV2: Handler = (req, res, store) => {
  if (!requireScope(req, res, ['read:space:confluence', 'read:confluence-space.summary'])) return;
  const space = store.space(String(req.params['id']));
  if (!space) throw new ConfluenceError(404);
  const assignments = spaceGrants(store, space.id).map(([type, principal, key, targetType], i) => ({
    id: String(hashString(`${space.id}/${i}`) % 1_000_000),
    principal: { type, id: type === 'group' ? GROUPS.find((g) => g.name === principal)!.id : principal },
    operation: { key, targetType },
  }));
  sendPage(req, res, assignments, readPage(req), context(res).confluenceBase, (a) => a);
};

/** DC `GET /rest/api/space/{key}/permissions`: every grant, as a bare array. */
const spacePermissionsDc: Handler = (req, res, store) => {
  const space = store.spaceByKey(String(req.params['key']));
  if (!space) throw new ConfluenceError(404, `No space with key : ${String(req.params['key'])}`);
  res.json(
    spaceGrants(store, space.id).map(([type, principal, operationKey, targetType]) => {
      const user = USERS.find((u) => u.accountId === principal);
      const subject =
        type === 'group'
          ? { type: 'group', name: principal, displayName: principal }
          : { type: 'user', username: usernameOf(user!), displayName: user!.displayName };
      return { operation: { targetType, operationKey }, subject, spaceKey: space.key, spaceId: Number(space.id) };
    }),
  );
};

/** Cloud's v2 routes; mounted before the v2 catch-all. */
export function cloudAdminV2Routes(router: Router, wrap: Wrap): void {
  router.get('/api/v2/spaces/:id/permissions', wrap(spacePermissionsV2));
}

/** Cloud's v1 routes that are still live; mounted before the retired v1 content API answers 410. */
export function cloudAdminV1Routes(router: Router, wrap: Wrap): void {
  router.get('/rest/api/content/:id/restriction/byOperation', wrap(getRestrictions));
  router.put('/rest/api/content/:id/restriction', wrap(putRestrictions));
  router.post('/rest/api/content/:id/permission/check', wrap(checkPermission));
}

/** Data Center's: restrictions and space permissions (no templates, permission check, copy or analytics). */
export function dcAdminRoutes(router: Router, wrap: Wrap): void {
  router.get('/rest/api/content/:id/restriction/byOperation', wrap(getRestrictions));
  router.put('/rest/api/content/:id/restriction', wrap(putRestrictions));
  router.get('/rest/api/space/:key/permissions', wrap(spacePermissionsDc));
}
