// Confluence administration calls: page copies, the space page tree, templates, restrictions,
// permissions and view analytics. Cloud uses REST v2 where it has the operation and v1 where only v1
// does (copy, templates, restrictions, permission check, analytics); Data Center uses its own
// `/rest/api`, and says plainly which operations it does not have.
import type { ConfluenceApi, Paged } from './confluence';
import { notOnDataCenter } from './confluenceDc';
import type { RequestOptions } from './http';
import type { Json } from './jira';
import { pathSegment } from './ids';
import { textOf } from '../core/text';

const READ = ['read:confluence-content.all', 'read:page:confluence'];
const WRITE = ['write:confluence-content', 'write:page:confluence'];
const SPACES = ['read:confluence-space.summary', 'read:space:confluence'];
const RESTRICTIONS_READ = ['read:confluence-content.all', 'read:content-details:confluence'];
const RESTRICTIONS_WRITE = ['write:confluence-content', 'write:content.restriction:confluence'];
const PERMISSION_CHECK = ['read:confluence-content.permission', 'read:content.permission:confluence'];
const TEMPLATES = ['read:confluence-content.summary', 'read:template:confluence'];
const ANALYTICS = ['read:confluence-content.summary', 'read:analytics.content:confluence'];

/** Who a restriction names: Cloud users by account id, Data Center users by username. */
export interface RestrictionSet {
  readonly users: string[];
  readonly groups: string[];
}

export type RestrictionOperation = 'read' | 'update';

export type Restrictions = Record<RestrictionOperation, RestrictionSet & { userNames: Record<string, string> }>;

/** A page of the space tree: id, title and parent, in Confluence's order. */
export interface TreePage {
  readonly id: string;
  readonly title: string;
  readonly parentId?: string;
  readonly position?: number;
}

export interface SpacePermission {
  readonly principalType: string;
  readonly principal: string;
  readonly displayName?: string;
  readonly operation: string;
}

export class ConfluenceAdmin {
  constructor(readonly confluence: ConfluenceApi) {}

  private get dc(): boolean {
    return this.confluence.flavour === 'datacenter';
  }

  private request<T = Json>(options: RequestOptions): Promise<T> {
    return this.confluence.http.request<T>(options);
  }

  /**
   * Cloud: the v1 copy operation (one page, optionally with attachments and labels). Data Center has no
   * public copy call: the caller copies through read + create instead (see the tool).
   */
  copyPage(
    id: string,
    options: { destination: { type: 'space' | 'parent_page'; value: string }; title: string; copyAttachments: boolean },
    signal?: AbortSignal,
  ): Promise<Json> {
    if (this.dc) return Promise.reject(notOnDataCenter('The page copy operation (/rest/api/content/{id}/copy)'));
    return this.request<Json>({
      method: 'POST',
      path: `/rest/api/content/${pathSegment(id)}/copy`,
      body: {
        destination: options.destination,
        pageTitle: options.title,
        copyAttachments: options.copyAttachments,
        copyLabels: true,
        copyProperties: true,
        copyPermissions: false,
        copyCustomContents: false,
      },
      scopes: WRITE,
      signal,
    });
  }

  /** Every current page of a space, a batch at a time (`cursor` opaque, from the previous batch). */
  async spacePages(
    space: { id: string; key: string },
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<TreePage>> {
    if (this.dc) {
      const start = Number(options.cursor ?? 0);
      const body = await this.request<Json>({
        path: '/rest/api/content',
        query: {
          spaceKey: space.key,
          type: 'page',
          status: 'current',
          expand: 'ancestors',
          start,
          limit: options.limit,
        },
        scopes: READ,
        signal: options.signal,
      });
      const results = ((body.results as Json[] | undefined) ?? []).map((c) => {
        const ancestors = (c.ancestors as Json[] | undefined) ?? [];
        const parent = ancestors[ancestors.length - 1]?.id;
        return {
          id: String(c.id),
          title: String(c.title),
          parentId: parent === undefined ? undefined : textOf(parent),
        };
      });
      const more = typeof (body._links as Json | undefined)?.next === 'string';
      return { results, cursor: more ? String(start + results.length) : undefined };
    }
    const body = await this.request<Json>({
      path: `/api/v2/spaces/${pathSegment(space.id)}/pages`,
      query: { depth: 'all', status: 'current', limit: options.limit, cursor: options.cursor },
      scopes: READ,
      signal: options.signal,
    });
    const results = ((body.results as Json[] | undefined) ?? []).map((p) => ({
      id: String(p.id),
      title: String(p.title),
      parentId: p.parentId === undefined || p.parentId === null ? undefined : textOf(p.parentId),
      position: typeof p.position === 'number' ? p.position : undefined,
    }));
    return { results, cursor: cursorOf(body) };
  }

  /** Page templates of a space, or the site's global ones without a space key (Cloud only). */
  async pageTemplates(
    spaceKey: string | undefined,
    options: { limit: number; start: number; signal?: AbortSignal },
  ): Promise<{ results: Json[]; more: boolean }> {
    if (this.dc) throw notOnDataCenter('The page template API (/rest/api/template)');
    const body = await this.request<Json>({
      path: '/rest/api/template/page',
      query: { spaceKey, start: options.start, limit: options.limit },
      scopes: TEMPLATES,
      signal: options.signal,
    });
    return {
      results: (body.results as Json[] | undefined) ?? [],
      more: typeof (body._links as Json | undefined)?.next === 'string',
    };
  }

  pageTemplate(id: string, signal?: AbortSignal): Promise<Json> {
    if (this.dc) return Promise.reject(notOnDataCenter('The page template API (/rest/api/template)'));
    return this.request<Json>({ path: `/rest/api/template/${pathSegment(id)}`, scopes: TEMPLATES, signal });
  }

  /** Read and edit restrictions, users and groups named as each deployment names them. */
  async restrictions(id: string, signal?: AbortSignal): Promise<Restrictions> {
    const body = await this.request<Json>({
      path: `/rest/api/content/${pathSegment(id)}/restriction/byOperation`,
      query: { expand: 'restrictions.user,restrictions.group' },
      scopes: RESTRICTIONS_READ,
      signal,
    });
    // Data Center's documentation shows the map wrapped in `restrictions`; servers answer it bare.
    const byOperation = (body.restrictions as Json | undefined) ?? body;
    const one = (operation: RestrictionOperation) => {
      const entry = ((byOperation[operation] as Json | undefined)?.restrictions as Json | undefined) ?? {};
      const users = ((entry.user as Json | undefined)?.results as Json[] | undefined) ?? [];
      const groups = ((entry.group as Json | undefined)?.results as Json[] | undefined) ?? [];
      const userNames: Record<string, string> = {};
      const ids = users.map((u) => {
        const key = textOf((this.dc ? (u.username ?? u.userKey) : u.accountId) ?? '');
        if (typeof u.displayName === 'string') userNames[key] = u.displayName;
        return key;
      });
      return { users: ids.filter(Boolean), groups: groups.map((g) => String(g.name)), userNames };
    };
    return { read: one('read'), update: one('update') };
  }

  /** Replaces every restriction of the page with these (an empty set lifts that operation's). */
  async setRestrictions(
    id: string,
    restrictions: Record<RestrictionOperation, RestrictionSet>,
    signal?: AbortSignal,
  ): Promise<void> {
    const user = (name: string) => (this.dc ? { type: 'known', username: name } : { type: 'known', accountId: name });
    const body = (['read', 'update'] as const).map((operation) => ({
      operation,
      restrictions: {
        user: restrictions[operation].users.map(user),
        group: restrictions[operation].groups.map((name) => ({ type: 'group', name })),
      },
    }));
    await this.request({
      method: 'PUT',
      path: `/rest/api/content/${pathSegment(id)}/restriction`,
      body,
      scopes: RESTRICTIONS_WRITE,
      retryable: true,
      signal,
    });
  }

  /** Whether a user or group may perform an operation on a piece of content (Cloud only). */
  async checkPermission(
    id: string,
    subject: { type: 'user' | 'group'; identifier: string },
    operation: string,
    signal?: AbortSignal,
  ): Promise<{ hasPermission: boolean; reasons: string[] }> {
    if (this.dc) throw notOnDataCenter('The content permission check (/rest/api/content/{id}/permission/check)');
    const body = await this.request<Json>({
      method: 'POST',
      path: `/rest/api/content/${pathSegment(id)}/permission/check`,
      body: { subject, operation },
      scopes: PERMISSION_CHECK,
      retryable: true,
      signal,
    });
    const reasons = ((body.errors as Json[] | undefined) ?? []).map((e) => {
      const message = (e.message as Json | undefined) ?? {};
      return textOf(message.translation ?? message.key, JSON.stringify(e));
    });
    return { hasPermission: body.hasPermission === true, reasons };
  }

  /** A space's permission assignments: v2 on Cloud (paged by cursor), `/rest/api/space/{key}/permissions` on DC. */
  async spacePermissions(
    space: { id: string; key: string },
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<SpacePermission>> {
    if (this.dc) {
      const body = await this.request<unknown>({
        path: `/rest/api/space/${pathSegment(space.key)}/permissions`,
        scopes: SPACES,
        signal: options.signal,
      });
      const all = (Array.isArray(body) ? body : []) as Json[];
      return {
        results: all.map((entry) => {
          const subject = (entry.subject as Json | undefined) ?? {};
          const operation = (entry.operation as Json | undefined) ?? {};
          const name = subject.groupName ?? subject.name ?? subject.username ?? subject.displayName ?? subject.type;
          return {
            principalType: textOf(subject.type, 'unknown'),
            principal: String(name),
            displayName: typeof subject.displayName === 'string' ? subject.displayName : undefined,
            operation: `${String(operation.operationKey)} ${String(operation.targetType)}`,
          };
        }),
      };
    }
    const body = await this.request<Json>({
      path: `/api/v2/spaces/${pathSegment(space.id)}/permissions`,
      query: { limit: options.limit, cursor: options.cursor },
      scopes: SPACES,
      signal: options.signal,
    });
    return {
      results: ((body.results as Json[] | undefined) ?? []).map((entry) => {
        const principal = (entry.principal as Json | undefined) ?? {};
        const operation = (entry.operation as Json | undefined) ?? {};
        return {
          principalType: textOf(principal.type, 'unknown'),
          principal: textOf(principal.id, ''),
          operation: `${String(operation.key)} ${String(operation.targetType)}`,
        };
      }),
      cursor: cursorOf(body),
    };
  }

  /** Total views and distinct viewers of a page (Cloud analytics only). */
  async pageViews(id: string, signal?: AbortSignal): Promise<{ views: number; viewers: number }> {
    if (this.dc) throw notOnDataCenter('Page view analytics (/rest/api/analytics)');
    const get = (what: 'views' | 'viewers') =>
      this.request<Json>({
        path: `/rest/api/analytics/content/${pathSegment(id)}/${what}`,
        scopes: ANALYTICS,
        signal,
      });
    const [views, viewers] = await Promise.all([get('views'), get('viewers')]);
    return { views: Number(views.count ?? 0), viewers: Number(viewers.count ?? 0) };
  }
}

function cursorOf(body: Json): string | undefined {
  const next = (body._links as Json | undefined)?.next;
  if (typeof next !== 'string') return undefined;
  return new URL(next, 'http://x').searchParams.get('cursor') ?? undefined;
}
