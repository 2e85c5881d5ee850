// Confluence Cloud's people: the v2 bulk lookup by account id (`POST /api/v2/users-bulk`) and the
// v1 CQL user search (`GET /rest/api/search/user`, user fields only). Users are the sandbox's own.
import type { Request, Response } from 'express';
import { context, requireScope } from '../context';
import { confluenceV1Error } from '../errors';
import { CqlError, parseUserCql, type CqlExpr, type CqlValue } from '../cql';
import { USERS, type SandboxUser } from '../data/users';
import { decodeCursor, encodeCursor, queryParam } from './paging';
import { ConfluenceError, type ConfluenceStore } from './store';

// Classic or granular, either family is accepted as on the real gateway.
const READ_USER_SCOPES = ['read:confluence-user', 'read:user:confluence'];
const USER_SEARCH_SCOPES = [
  'search:confluence',
  'read:confluence-user',
  'read:content-details:confluence',
  'read:user:confluence',
];
const BULK_MAX = 250;

function profilePicture(user: SandboxUser): Record<string, unknown> {
  return { path: `/wiki/aa-avatar/${user.accountId}`, width: 48, height: 48, isDefault: false };
}

/** v2 `User`. */
export function userV2Json(user: SandboxUser): Record<string, unknown> {
  return {
    displayName: user.displayName,
    timeZone: user.timeZone,
    personalSpaceId: null,
    isExternalCollaborator: false,
    accountStatus: 'active',
    accountId: user.accountId,
    email: user.email,
    accountType: 'atlassian',
    publicName: user.displayName,
    profilePicture: profilePicture(user),
  };
}

/** v1 `User` as search results carry it. */
function userV1Json(user: SandboxUser, base: string): Record<string, unknown> {
  return {
    type: 'known',
    accountId: user.accountId,
    accountType: 'atlassian',
    email: user.email,
    publicName: user.displayName,
    profilePicture: profilePicture(user),
    displayName: user.displayName,
    isExternalCollaborator: false,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `${base}/rest/api/user?accountId=${encodeURIComponent(user.accountId)}` },
  };
}

/** `POST /api/v2/users-bulk` `{accountIds}`: known users only, in the order asked (unknown ids are left out). */
export function usersBulk(req: Request, res: Response): void {
  if (!requireScope(req, res, READ_USER_SCOPES)) return;
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ConfluenceError(400, 'The request body must be a JSON object');
  const ids = (body as Record<string, unknown>)['accountIds'];
  if (ids === undefined || ids === null) throw new ConfluenceError(400, 'accountIds is required');
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
    throw new ConfluenceError(400, 'accountIds must be an array of strings');
  if (ids.length < 1 || ids.length > BULK_MAX)
    throw new ConfluenceError(400, `accountIds must contain between 1 and ${BULK_MAX} account IDs`);
  const base = context(res).confluenceBase;
  const found = [...new Set(ids as string[])]
    .map((id) => USERS.find((u) => u.accountId === id))
    .filter((u): u is SandboxUser => u !== undefined);
  res.set('Link', `<${base}>; rel="base"`);
  res.json({ results: found.map(userV2Json), _links: { base } });
}

function literalValues(values: readonly CqlValue[], currentUser: string): string[] {
  return values.map((v) => (v.kind === 'literal' ? v.value : v.name === 'currentuser' ? currentUser : ''));
}

/** `user.fullname ~ "jo"`: every word asked for starts a word of the name (or the name itself). */
function nameMatches(query: string, name: string): boolean {
  const words = name.toLowerCase().split(/\s+/);
  const asked = query.toLowerCase().replace(/\*/g, ' ').split(/\s+/).filter(Boolean);
  if (asked.length === 0) return false;
  return (
    name.toLowerCase().startsWith(query.toLowerCase().trim()) || asked.every((a) => words.some((w) => w.startsWith(a)))
  );
}

function userMatches(expr: CqlExpr, user: SandboxUser, currentUser: string): boolean {
  switch (expr.kind) {
    case 'and':
      return userMatches(expr.left, user, currentUser) && userMatches(expr.right, user, currentUser);
    case 'or':
      return userMatches(expr.left, user, currentUser) || userMatches(expr.right, user, currentUser);
    case 'not':
      return !userMatches(expr.expr, user, currentUser);
    case 'clause': {
      const values = literalValues(expr.values, currentUser);
      let hit: boolean;
      switch (expr.field) {
        case 'type':
          hit = values.some((v) => v.toLowerCase() === 'user');
          break;
        case 'user':
        case 'user.accountid':
          hit = values.includes(user.accountId);
          break;
        case 'user.fullname':
          hit = values.some((v) => nameMatches(v, user.displayName));
          break;
        default:
          // Cloud accounts have no user keys any more (GDPR migration), so nothing matches one.
          hit = false;
      }
      return expr.op === '!=' || expr.op === '!~' || expr.op === 'not in' ? !hit : hit;
    }
  }
}

function nonNegative(req: Request, name: string, fallback: number): number {
  const raw = queryParam(req, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfluenceError(400, `Invalid ${name}: ${raw}`);
  return Number(raw);
}

/** `GET /rest/api/search/user?cql=…`: the v1 search envelope with a `user` in each result. */
export function searchUsers(req: Request, res: Response, store: ConfluenceStore): void {
  if (!requireScope(req, res, USER_SEARCH_SCOPES)) return;
  const started = Date.now();
  const cql = queryParam(req, 'cql') ?? '';
  if (cql.trim() === '') return confluenceV1Error(res, 400, 'cql query parameter is required');
  const cursor = queryParam(req, 'cursor');
  const start = cursor !== undefined ? decodeCursor(cursor) : nonNegative(req, 'start', 0);
  const limit = nonNegative(req, 'limit', 25);
  let where: CqlExpr | null;
  try {
    where = parseUserCql(cql).where;
  } catch (error) {
    if (error instanceof CqlError) return confluenceV1Error(res, 400, error.message);
    throw error;
  }
  const ctx = context(res);
  const base = ctx.confluenceBase;
  const hits = USERS.filter((u) => where === null || userMatches(where, u, ctx.user.accountId)).sort((a, b) =>
    a.displayName.localeCompare(b.displayName),
  );
  const slice = hits.slice(start, start + limit);
  const url = (params: Record<string, string>) =>
    `/rest/api/search/user?${new URLSearchParams({ ...params, cql }).toString()}`;
  const links: Record<string, string> = { base, context: '/wiki' };
  if (limit > 0 && start + limit < hits.length)
    links['next'] = url({ cursor: encodeCursor(start + limit), limit: String(limit), start: String(start + limit) });
  links['self'] = `${base}${url({})}`;
  const now = new Date(store.currentTime()).toISOString();
  res.json({
    results: slice.map((user) => ({
      user: userV1Json(user, base),
      title: user.displayName,
      excerpt: '',
      url: `/people/${user.accountId}`,
      breadcrumbs: [],
      entityType: 'user',
      iconCssClass: 'aui-icon content-type-profile',
      lastModified: now,
      score: 0,
    })),
    start,
    limit,
    size: slice.length,
    totalSize: hits.length,
    cqlQuery: cql,
    searchDuration: Math.max(1, Date.now() - started),
    _links: links,
  });
}
