// The Jira platform REST API (/rest/api/{2,3,latest}) over a site's store: server info, users, JQL
// search, issues, transitions, comments, worklogs, links, watchers, projects and configuration.
import express, { type Request, type Router } from 'express';
import { USERS, type SandboxUser } from '../data/users';
import { adfProblem, wikiToAdf, type RichText } from './adf';
import { CANNOT_SET, REQUIRED_ON_SCREEN, InputReader, parseDuration, type IssuePatch } from './issue-input';
import {
  badRequest,
  bodyObject,
  isRecord,
  JiraHttpError,
  MediaTypeError,
  NoEndpointError,
  notFound,
  pageBean,
  pageToken,
  paging,
  queryBool,
  queryInt,
  queryList,
  queryString,
  readPageToken,
  ReadRequestError,
  route,
  sendJiraError,
  sendJson,
  type Call,
  type Endpoint,
  type ViewFor,
} from './http';
import {
  ISSUE_TYPES,
  LINK_TYPES,
  PRIORITIES,
  RESOLUTIONS,
  STATUS_CATEGORIES,
  STATUSES,
  type AttachmentRecord,
  type CommentRecord,
  type IssueRecord,
  type ProjectRecord,
  type RemoteLinkRecord,
} from './model';
import {
  FIELD_DEFS,
  api,
  attachmentJson,
  commentJson,
  createMetaFields,
  editMetaFields,
  fieldDetailsJson,
  historyJson,
  issueJson,
  issueTypeById,
  issueTypeJson,
  jiraDate,
  linkJson,
  linkTypeJson,
  metaFieldJson,
  myselfJson,
  priorityJson,
  projectJson,
  remoteLinkJson,
  resolutionJson,
  selectFields,
  statusCategoryJson,
  statusJson,
  transitionFieldsJson,
  transitionJson,
  userJson,
  versionJson,
  worklogJson,
  type Json,
  type View,
} from './render';
import { autocompleteData, autocompleteSuggestions } from './jqlAutocomplete';
import { toolboxRoutes } from './toolbox';
import { usernameOf, type JiraStore } from './store';
import type { RequestContext } from '../context';

const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

// Any one scope of each list suffices: the classic scope, or its main granular equivalent.
const S = {
  readWork: ['read:jira-work'],
  issueRead: ['read:jira-work', 'read:issue:jira', 'read:issue-details:jira'],
  search: ['read:jira-work', 'read:issue-details:jira'],
  meta: ['read:jira-work', 'read:issue-meta:jira'],
  issueWrite: ['write:jira-work', 'write:issue:jira'],
  issueDelete: ['write:jira-work', 'delete:issue:jira'],
  transitionsRead: ['read:jira-work', 'read:issue.transition:jira'],
  commentRead: ['read:jira-work', 'read:comment:jira'],
  commentWrite: ['write:jira-work', 'write:comment:jira'],
  commentDelete: ['write:jira-work', 'delete:comment:jira'],
  worklogRead: ['read:jira-work', 'read:issue-worklog:jira'],
  worklogWrite: ['write:jira-work', 'write:issue-worklog:jira'],
  linkRead: ['read:jira-work', 'read:issue-link:jira'],
  linkWrite: ['write:jira-work', 'write:issue-link:jira'],
  linkDelete: ['write:jira-work', 'delete:issue-link:jira'],
  linkTypeRead: ['read:jira-work', 'read:issue-link-type:jira'],
  remoteLinkRead: ['read:jira-work', 'read:issue.remote-link:jira'],
  remoteLinkWrite: ['write:jira-work', 'write:issue.remote-link:jira'],
  remoteLinkDelete: ['write:jira-work', 'delete:issue.remote-link:jira'],
  watcherRead: ['read:jira-work', 'read:issue.watcher:jira'],
  watcherWrite: ['write:jira-work', 'write:issue.watcher:jira'],
  project: ['read:jira-work', 'read:project:jira'],
  issueType: ['read:jira-work', 'read:issue-type:jira'],
  priority: ['read:jira-work', 'read:priority:jira'],
  status: ['read:jira-work', 'read:status:jira'],
  resolution: ['read:jira-work', 'read:resolution:jira'],
  field: ['read:jira-work', 'read:field:jira'],
  label: ['read:jira-work', 'read:label:jira'],
  user: ['read:jira-user', 'read:user:jira'],
  attachmentRead: ['read:jira-work', 'read:attachment:jira'],
  attachmentWrite: ['write:jira-work', 'write:attachment:jira'],
  attachmentDelete: ['write:jira-work', 'delete:attachment:jira'],
  versionRead: ['read:jira-work', 'read:project-version:jira'],
  versionWrite: ['manage:jira-project', 'write:project-version:jira'],
} as const;

const viewFor: ViewFor = (req, ctx, store) => {
  const apiVersion = String(req.params.version ?? '2');
  return {
    base: ctx.jiraBase,
    apiVersion,
    adf: !store.dataCenter && apiVersion === '3',
    dc: store.dataCenter,
    store,
    me: ctx.user,
  };
};

function requireIssue(store: JiraStore, idOrKey: string | undefined): IssueRecord {
  const issue = idOrKey ? store.findIssue(idOrKey) : undefined;
  if (!issue) throw notFound(ISSUE_NOT_FOUND);
  return issue;
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

function expandSet(value: unknown): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return new Set(
    text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  );
}

/** The Platform API router; mounted at `/rest/api/:version` with merged params. */
export function platformRouter(storeFor: (ctx: RequestContext) => JiraStore): Router {
  const router = express.Router({ mergeParams: true });
  const on = (path: string, methods: Partial<Record<'get' | 'post' | 'put' | 'delete', Endpoint>>): void =>
    route(router, path, storeFor, viewFor, methods);

  on('/serverInfo', { get: { scopes: null, run: serverInfo } });
  on('/myself', { get: { scopes: S.user, run: ({ res, user, view }) => sendJson(res, 200, myselfJson(user, view)) } });
  on('/user', { get: { scopes: S.user, run: getUser } });
  on('/user/search', { get: { scopes: S.user, run: searchUsers } });
  on('/users/search', { get: { scopes: S.user, run: allUsers } });
  toolboxRoutes(on);
  on('/users', { get: { scopes: S.user, run: allUsers } });

  on('/search/jql', {
    get: { scopes: S.search, run: (call) => enhancedSearch(call, searchParamsFromQuery(call.req)) },
    post: { scopes: S.search, run: (call) => enhancedSearch(call, searchParamsFromBody(call.req)) },
  });
  on('/jql/autocompletedata', {
    get: { scopes: S.search, run: ({ res }) => sendJson(res, 200, autocompleteData()) },
    post: { scopes: S.search, run: ({ res }) => sendJson(res, 200, autocompleteData()) },
  });
  on('/jql/autocompletedata/suggestions', {
    get: {
      scopes: S.search,
      run: ({ req, res, store }) =>
        sendJson(
          res,
          200,
          autocompleteSuggestions(store, queryString(req, 'fieldName') ?? '', queryString(req, 'fieldValue') ?? ''),
        ),
    },
  });
  on('/search/approximate-count', { post: { scopes: S.search, run: approximateCount } });
  on('/search', {
    get: { scopes: S.search, run: (call) => legacySearch(call, false) },
    post: { scopes: S.search, run: (call) => legacySearch(call, true) },
  });
  on('/search/id', { post: { scopes: S.search, run: (call) => retiredSearch(call) } });

  on('/issue', { post: { scopes: S.issueWrite, run: createIssue } });
  // Before /issue/:issueIdOrKey, which would otherwise answer POST /issue/bulk with a 405.
  on('/issue/bulk', { post: { scopes: S.issueWrite, run: bulkCreateIssues } });
  on('/issue/createmeta/:projectIdOrKey/issuetypes', { get: { scopes: S.meta, run: createMetaTypes } });
  on('/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId', {
    get: { scopes: S.meta, run: createMetaFieldsRoute },
  });
  on('/issue/:issueIdOrKey', {
    get: { scopes: S.issueRead, run: getIssue },
    put: { scopes: S.issueWrite, run: editIssue },
    delete: { scopes: S.issueDelete, run: deleteIssue },
  });
  on('/issue/:issueIdOrKey/changelog', { get: { scopes: S.issueRead, run: getChangelog } });
  on('/issue/:issueIdOrKey/editmeta', { get: { scopes: S.meta, run: editMeta } });
  on('/issue/:issueIdOrKey/assignee', { put: { scopes: S.issueWrite, run: assignIssue } });
  on('/issue/:issueIdOrKey/transitions', {
    get: { scopes: S.transitionsRead, run: getTransitions },
    post: { scopes: S.issueWrite, run: doTransition },
  });
  on('/issue/:issueIdOrKey/comment', {
    get: { scopes: S.commentRead, run: getComments },
    post: { scopes: S.commentWrite, run: addComment },
  });
  on('/issue/:issueIdOrKey/comment/:id', {
    get: { scopes: S.commentRead, run: getComment },
    put: { scopes: S.commentWrite, run: updateComment },
    delete: { scopes: S.commentDelete, run: deleteComment },
  });
  on('/issue/:issueIdOrKey/worklog', {
    get: { scopes: S.worklogRead, run: getWorklogs },
    post: { scopes: S.worklogWrite, run: addWorklog },
  });
  on('/issue/:issueIdOrKey/worklog/:id', { get: { scopes: S.worklogRead, run: getWorklog } });
  on('/issue/:issueIdOrKey/watchers', {
    get: { scopes: S.watcherRead, run: getWatchers },
    post: { scopes: S.watcherWrite, run: addWatcher },
    delete: { scopes: S.watcherWrite, run: removeWatcher },
  });
  on('/issue/:issueIdOrKey/remotelink', {
    get: { scopes: S.remoteLinkRead, run: getRemoteLinks },
    post: { scopes: S.remoteLinkWrite, run: createRemoteLink },
  });
  on('/issue/:issueIdOrKey/remotelink/:linkId', {
    get: {
      scopes: S.remoteLinkRead,
      run: ({ req, res, store, view }) => sendJson(res, 200, remoteLinkJson(requireRemoteLink(store, req), view)),
    },
    delete: { scopes: S.remoteLinkDelete, run: deleteRemoteLink },
  });
  on('/issue/:issueIdOrKey/attachments', { post: { scopes: S.attachmentWrite, run: addAttachments } });
  on('/attachment/content/:id', { get: { scopes: S.attachmentRead, run: attachmentContent } });
  on('/attachment/:id', {
    get: {
      scopes: S.attachmentRead,
      run: ({ req, res, store, view }) =>
        sendJson(res, 200, attachmentJson(requireAttachment(store, param(req, 'id')), view)),
    },
    delete: { scopes: S.attachmentDelete, run: deleteAttachment },
  });

  on('/issueLinkType', {
    get: {
      scopes: S.linkTypeRead,
      run: ({ res, view }) => sendJson(res, 200, { issueLinkTypes: LINK_TYPES.map((t) => linkTypeJson(t.id, view)) }),
    },
  });
  on('/issueLinkType/:id', { get: { scopes: S.linkTypeRead, run: getLinkType } });
  on('/issueLink', { post: { scopes: S.linkWrite, run: linkIssues } });
  on('/issueLink/:linkId', {
    get: { scopes: S.linkRead, run: getLink },
    delete: { scopes: S.linkDelete, run: deleteLink },
  });

  on('/project', {
    get: {
      scopes: S.project,
      run: ({ res, store, view }) =>
        sendJson(
          res,
          200,
          store.projects.map((p) => projectJson(p, view)),
        ),
    },
  });
  on('/project/search', { get: { scopes: S.project, run: searchProjects } });
  on('/project/:projectIdOrKey', { get: { scopes: S.project, run: getProject } });
  on('/project/:projectIdOrKey/statuses', { get: { scopes: S.project, run: projectStatuses } });
  on('/project/:projectIdOrKey/components', { get: { scopes: S.project, run: projectComponents } });
  on('/project/:projectIdOrKey/versions', { get: { scopes: S.versionRead, run: projectVersions } });
  on('/version', { post: { scopes: S.versionWrite, run: createVersion } });
  on('/version/:id', {
    get: { scopes: S.versionRead, run: getVersion },
    put: { scopes: S.versionWrite, run: updateVersion },
  });

  on('/issuetype', {
    get: {
      scopes: S.issueType,
      run: ({ res, view }) =>
        sendJson(
          res,
          200,
          ISSUE_TYPES.map((t) => issueTypeJson(t, view)),
        ),
    },
  });
  on('/issuetype/project', { get: { scopes: S.issueType, run: issueTypesForProject } });
  on('/issuetype/:id', { get: { scopes: S.issueType, run: getIssueType } });
  on('/priority', {
    get: {
      scopes: S.priority,
      run: ({ res, view }) =>
        sendJson(
          res,
          200,
          PRIORITIES.map((p) => priorityJson(p, view, true)),
        ),
    },
  });
  on('/priority/search', { get: { scopes: S.priority, run: searchPriorities } });
  on('/priority/:id', { get: { scopes: S.priority, run: getPriority } });
  on('/status', {
    get: {
      scopes: S.status,
      run: ({ res, view }) =>
        sendJson(
          res,
          200,
          STATUSES.map((s) => statusJson(s, view)),
        ),
    },
  });
  on('/status/:idOrName', { get: { scopes: S.status, run: getStatus } });
  on('/statuscategory', {
    get: {
      scopes: S.status,
      run: ({ res, view }) =>
        sendJson(
          res,
          200,
          STATUS_CATEGORIES.map((c) => statusCategoryJson(c.key, view)),
        ),
    },
  });
  on('/statuscategory/:idOrKey', { get: { scopes: S.status, run: getStatusCategory } });
  on('/resolution', {
    get: {
      scopes: S.resolution,
      run: ({ res, view }) =>
        sendJson(
          res,
          200,
          RESOLUTIONS.map((r) => resolutionJson(r.id, view)),
        ),
    },
  });
  on('/resolution/:id', { get: { scopes: S.resolution, run: getResolution } });
  on('/field', { get: { scopes: S.field, run: ({ res }) => sendJson(res, 200, FIELD_DEFS.map(fieldDetailsJson)) } });
  on('/field/search', { get: { scopes: S.field, run: searchFields } });
  on('/label', { get: { scopes: S.label, run: labels } });
  return router;
}

// --- server and users ----------------------------------------------------------------------------------

function serverInfo({ res, ctx, store }: Call): void {
  const now = store.now();
  if (store.dataCenter) {
    sendJson(res, 200, {
      baseUrl: ctx.site.url,
      version: '9.12.15',
      versionNumbers: [9, 12, 15],
      deploymentType: 'DataCenter',
      buildNumber: 9120015,
      buildDate: '2024-10-29T00:00:00.000+0000',
      databaseBuildNumber: 9120015,
      serverTime: jiraDate(now),
      scmInfo: '0f1a1ddc0a2c4f3b9c1e6a0e3d1b2c3d4e5f6a7b',
      serverTitle: 'Jira',
    });
    return;
  }
  sendJson(res, 200, {
    baseUrl: ctx.site.url,
    displayUrl: ctx.site.url,
    displayUrlServicedeskHelpCenter: ctx.site.url,
    displayUrlConfluence: `${ctx.site.url}/wiki`,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100298,
    buildDate: '2026-11-18T09:12:41.000+0000',
    serverTime: jiraDate(now),
    scmInfo: 'c7b2f8e0d1a94b6e8f3c2a1d0e9b8c7a6f5e4d3c',
    serverTitle: 'Jira',
    defaultLocale: { locale: 'en_US' },
    serverTimeZone: 'Etc/UTC',
  });
}

function userByRef(store: JiraStore, req: Request): SandboxUser | undefined {
  const ref = queryString(req, 'accountId') ?? queryString(req, 'username') ?? queryString(req, 'key');
  return ref ? store.findUser(ref) : undefined;
}

function getUser({ req, res, store, view, user: caller }: Call): void {
  // Anyone can look themselves up, including the extra people load tests sign in (not in the seed data).
  const user = userByRef(store, req) ?? (queryString(req, 'accountId') === caller.accountId ? caller : null);
  if (!user) {
    const ref = queryString(req, 'accountId') ?? queryString(req, 'username') ?? queryString(req, 'key');
    if (!ref)
      throw badRequest([
        store.dataCenter
          ? 'The username query parameter was not provided'
          : 'The accountId query parameter needs to be provided',
      ]);
    throw notFound(
      store.dataCenter
        ? `The user named '${ref}' does not exist`
        : 'Specified user does not exist or you do not have required permissions',
    );
  }
  sendJson(res, 200, {
    ...userJson(user, view),
    expand: 'groups,applicationRoles',
    locale: 'en_US',
    groups: { size: 1, items: [] },
    applicationRoles: { size: 1, items: [] },
  });
}

function matchesUser(user: SandboxUser, query: string): boolean {
  const q = query.toLowerCase();
  const words = [...user.displayName.toLowerCase().split(/\s+/), user.email.toLowerCase(), usernameOf(user)];
  return user.displayName.toLowerCase().startsWith(q) || words.some((w) => w.startsWith(q));
}

function searchUsers({ req, res, store, view }: Call): void {
  const query = queryString(req, 'query') ?? (store.dataCenter ? queryString(req, 'username') : undefined);
  const accountId = queryString(req, 'accountId');
  if (query === undefined && accountId === undefined) {
    throw badRequest([
      store.dataCenter
        ? 'The username query parameter was not provided'
        : 'One of the query parameters query, accountId or property is required.',
    ]);
  }
  const { startAt, maxResults } = paging(req, 50, 1000);
  const found = USERS.filter(
    (u) => (accountId ? u.accountId === accountId : true) && (query ? matchesUser(u, query) : true),
  );
  sendJson(
    res,
    200,
    found.slice(startAt, startAt + maxResults).map((u) => userJson(u, view)),
  );
}

function allUsers({ req, res, view }: Call): void {
  const { startAt, maxResults } = paging(req, 50, 1000);
  sendJson(
    res,
    200,
    USERS.slice(startAt, startAt + maxResults).map((u) => userJson(u, view)),
  );
}

// --- search ----------------------------------------------------------------------------------------------

interface SearchParams {
  readonly jql: string | undefined;
  readonly nextPageToken: string | undefined;
  readonly maxResults: number;
  readonly fields: readonly string[];
  readonly expand: Set<string>;
}

function searchParamsFromQuery(req: Request): SearchParams {
  return {
    jql: queryString(req, 'jql'),
    nextPageToken: queryString(req, 'nextPageToken'),
    maxResults: queryInt(req, 'maxResults', 50),
    fields: queryList(req, 'fields'),
    expand: expandSet(queryString(req, 'expand')),
  };
}

const SEARCH_BODY_KEYS = new Set([
  'jql',
  'nextPageToken',
  'maxResults',
  'fields',
  'expand',
  'properties',
  'fieldsByKeys',
  'failFast',
  'reconcileIssues',
]);

/** The POST body is SearchAndReconcileRequestBean: unknown members, or an array `expand`, are unreadable. */
function searchParamsFromBody(req: Request): SearchParams {
  const body = bodyObject(req);
  const unreadable =
    Object.keys(body).some((k) => !SEARCH_BODY_KEYS.has(k)) ||
    (body.expand !== undefined && typeof body.expand !== 'string') ||
    (body.fields !== undefined && !Array.isArray(body.fields)) ||
    (body.maxResults !== undefined && typeof body.maxResults !== 'number') ||
    (body.jql !== undefined && body.jql !== null && typeof body.jql !== 'string') ||
    (body.nextPageToken !== undefined && body.nextPageToken !== null && typeof body.nextPageToken !== 'string');
  if (unreadable) throw new ReadRequestError();
  return {
    jql: typeof body.jql === 'string' ? body.jql : undefined,
    nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined,
    maxResults: typeof body.maxResults === 'number' ? body.maxResults : 50,
    fields: Array.isArray(body.fields) ? body.fields.filter((f): f is string => typeof f === 'string') : [],
    expand: expandSet(body.expand),
  };
}

function enhancedSearch(call: Call, params: SearchParams): void {
  const { res, store, user, view } = call;
  if (store.dataCenter) throw new NoEndpointError();
  const jql = params.jql?.trim() ?? '';
  if (!jql) throw badRequest([UNBOUNDED]);
  if (params.maxResults < 1 || params.maxResults > 5000)
    throw badRequest(['The maxResults parameter must be between 1 and 5,000.']);
  const { compiled, issues } = store.search(jql, user);
  if (!compiled.bounded) throw badRequest([UNBOUNDED]);
  const offset = params.nextPageToken ? readPageToken(params.nextPageToken, jql) : 0;
  const fields = selectFields(params.fields, 'id');
  const idsOnly = [...fields].every((f) => f === 'id' || f === 'key');
  const pageSize = Math.min(params.maxResults, idsOnly ? 5000 : 100);
  const page = issues.slice(offset, offset + pageSize);
  const isLast = offset + page.length >= issues.length;
  const onlyId = fields.size === 1 && fields.has('id');
  const out: Json = {
    issues: page.map((issue) =>
      onlyId ? { id: issue.id } : issueJson(issue, view, { fields, expand: params.expand, maxComments: 20 }),
    ),
    ...(isLast ? {} : { nextPageToken: pageToken(offset + page.length, jql) }),
    isLast,
  };
  addNamesAndSchema(out, fields, params.expand);
  sendJson(res, 200, out);
}

function addNamesAndSchema(out: Json, fields: ReadonlySet<string>, expand: ReadonlySet<string>): void {
  const known = FIELD_DEFS.filter((f) => fields.has(f.id));
  if (expand.has('names')) out.names = Object.fromEntries(known.map((f) => [f.id, f.name]));
  if (expand.has('schema')) out.schema = Object.fromEntries(known.map((f) => [f.id, f.schema]));
}

function approximateCount({ req, res, store, user }: Call): void {
  if (store.dataCenter) throw new NoEndpointError();
  const body = bodyObject(req);
  const jql = typeof body.jql === 'string' ? body.jql.trim() : '';
  if (!jql) throw badRequest([UNBOUNDED]);
  const { compiled, issues } = store.search(jql, user);
  if (!compiled.bounded) throw badRequest([UNBOUNDED]);
  sendJson(res, 200, { count: issues.length });
}

function retiredSearch({ res, store }: Call): void {
  if (store.dataCenter) throw new NoEndpointError();
  sendJiraError(res, 410, [SEARCH_REMOVED]);
}

/** Data Center's offset search; on Cloud the endpoint is gone (410). */
function legacySearch(call: Call, post: boolean): void {
  const { req, res, store, user, view } = call;
  if (!store.dataCenter) {
    retiredSearch(call);
    return;
  }
  let jql: string;
  let startAt: number;
  let maxResults: number;
  let fieldList: string[];
  let expand: Set<string>;
  if (post) {
    const body = bodyObject(req);
    jql = typeof body.jql === 'string' ? body.jql : '';
    startAt = typeof body.startAt === 'number' ? body.startAt : 0;
    maxResults = typeof body.maxResults === 'number' ? body.maxResults : 50;
    fieldList = Array.isArray(body.fields) ? body.fields.filter((f): f is string => typeof f === 'string') : [];
    expand = expandSet(body.expand);
  } else {
    jql = queryString(req, 'jql') ?? '';
    startAt = queryInt(req, 'startAt', 0);
    maxResults = queryInt(req, 'maxResults', 50);
    fieldList = queryList(req, 'fields');
    expand = expandSet(queryString(req, 'expand'));
  }
  startAt = Math.max(0, startAt);
  maxResults = Math.min(1000, Math.max(0, maxResults));
  const { issues } = store.search(jql, user);
  const fields = selectFields(fieldList, '*navigable');
  const out: Json = {
    expand: 'schema,names',
    startAt,
    maxResults,
    total: issues.length,
    issues: issues.slice(startAt, startAt + maxResults).map((issue) => issueJson(issue, view, { fields, expand })),
  };
  addNamesAndSchema(out, fields, expand);
  sendJson(res, 200, out);
}

// --- issues ----------------------------------------------------------------------------------------------

function getIssue({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const fields = selectFields(queryList(req, 'fields'), '*all');
  sendJson(res, 200, issueJson(issue, view, { fields, expand: expandSet(queryString(req, 'expand')) }));
}

function applyPatch(store: JiraStore, issue: IssueRecord, patch: IssuePatch, author: SandboxUser): void {
  if (patch.summary !== undefined) issue.summary = patch.summary;
  if (patch.description !== undefined) issue.description = patch.description;
  if (patch.environment !== undefined) issue.environment = patch.environment;
  if (patch.issueTypeId !== undefined) issue.issueTypeId = patch.issueTypeId;
  if (patch.priorityId !== undefined) issue.priorityId = patch.priorityId;
  if (patch.assigneeId !== undefined) {
    issue.assigneeId = patch.assigneeId;
    if (patch.assigneeId && !issue.watcherIds.includes(patch.assigneeId)) issue.watcherIds.push(patch.assigneeId);
  }
  if (patch.reporterId !== undefined) issue.reporterId = patch.reporterId;
  if (patch.labels !== undefined) issue.labels = patch.labels;
  if (patch.parentId !== undefined) issue.parentId = patch.parentId;
  if (patch.dueDate !== undefined) issue.dueDate = patch.dueDate;
  if (patch.storyPoints !== undefined) issue.storyPoints = patch.storyPoints;
  if (patch.originalEstimateSeconds !== undefined) issue.originalEstimateSeconds = patch.originalEstimateSeconds;
  if (patch.remainingEstimateSeconds !== undefined) issue.remainingEstimateSeconds = patch.remainingEstimateSeconds;
  if (patch.componentIds !== undefined) issue.componentIds = patch.componentIds;
  if (patch.fixVersionIds !== undefined) issue.fixVersionIds = patch.fixVersionIds;
  if (patch.customValues !== undefined) issue.customValues = { ...issue.customValues, ...patch.customValues };
  if (patch.sprintId !== undefined) {
    const sprint = patch.sprintId === null ? undefined : store.sprints.find((s) => s.id === patch.sprintId);
    if (sprint) store.moveToSprint(sprint, [issue]);
    else issue.sprintIds = issue.sprintIds.filter((id) => store.sprints.find((s) => s.id === id)?.state === 'closed');
  }
  for (const body of patch.comments ?? []) store.addComment(issue, author, body);
  store.touch(issue);
}

function failInput(reader: InputReader): never {
  throw new JiraHttpError(400, reader.errorMessages, reader.errors);
}

function createIssue({ req, res, store, user, view }: Call): void {
  const issue = createFromBody(store, user, view, bodyObject(req));
  sendJson(res, 201, { id: issue.id, key: issue.key, self: `${api(view)}/issue/${issue.id}` });
}

/** One IssueUpdateBean ({fields, update}) validated and created; a JiraHttpError when it is invalid. */
function createFromBody(store: JiraStore, user: SandboxUser, view: View, body: Record<string, unknown>): IssueRecord {
  const reader = new InputReader({ store, adf: view.adf });
  reader.read(body.fields, body.update);
  const patch = reader.patch;
  const fields = isRecord(body.fields) ? body.fields : {};
  if (!('project' in fields)) reader.errors.project ??= 'Specify a valid project ID or key';
  if (!('issuetype' in fields)) reader.errors.issuetype ??= 'Specify an issue type';
  if (!('summary' in fields) && patch.summary === undefined)
    reader.errors.summary ??= 'You must specify a summary of the issue.';
  if (patch.project && patch.issueTypeId) {
    reader.checkHierarchy(patch.issueTypeId, patch.project);
    reader.checkRequired(patch.issueTypeId, patch.project, (id) => FIELD_DEFS.find((f) => f.id === id)?.name ?? id);
  }
  if (!reader.ok || !patch.project || !patch.issueTypeId || patch.summary === undefined) failInput(reader);
  const issue = store.createIssue({
    project: patch.project,
    issueTypeId: patch.issueTypeId,
    summary: patch.summary,
    description: patch.description ?? null,
    environment: patch.environment ?? null,
    priorityId: patch.priorityId ?? PRIORITIES[2]!.id,
    assigneeId: patch.assigneeId ?? null,
    reporterId: patch.reporterId ?? user.accountId,
    creatorId: user.accountId,
    labels: patch.labels ?? [],
    parentId: patch.parentId ?? null,
    dueDate: patch.dueDate ?? null,
    storyPoints: patch.storyPoints ?? null,
    originalEstimateSeconds: patch.originalEstimateSeconds ?? null,
  });
  if (patch.sprintId) {
    const sprint = store.sprints.find((s) => s.id === patch.sprintId);
    if (sprint) store.moveToSprint(sprint, [issue]);
  }
  if (patch.componentIds) issue.componentIds = patch.componentIds;
  if (patch.fixVersionIds) issue.fixVersionIds = patch.fixVersionIds;
  if (patch.customValues) issue.customValues = { ...patch.customValues };
  for (const comment of patch.comments ?? []) store.addComment(issue, user, comment);
  return issue;
}

const BULK_CREATE_LIMIT = 50;

/**
 * POST /issue/bulk: each element is created or refused on its own. Refusals come back as
 * BulkOperationErrorResult entries ({status, elementErrors, failedElementNumber}, 0-based); the
 * answer is 201 when at least one issue was created, 400 (same body) when none was.
 */
function bulkCreateIssues({ req, res, store, user, view }: Call): void {
  const body = bodyObject(req);
  const updates = body.issueUpdates;
  if (!Array.isArray(updates))
    throw new JiraHttpError(
      400,
      ['Invalid request payload. Refer to the REST API documentation and try again.'],
      {},
      true,
    );
  // Jira documents the limit ("up to 50 issues"); the wording of this refusal is the sandbox's.
  if (updates.length > BULK_CREATE_LIMIT)
    throw badRequest([
      `Bulk create accepts at most ${BULK_CREATE_LIMIT} issues per request; this one has ${updates.length}.`,
    ]);
  const issues: Json[] = [];
  const errors: Json[] = [];
  updates.forEach((update, index) => {
    try {
      if (!isRecord(update))
        throw new JiraHttpError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
      const issue = createFromBody(store, user, view, update);
      issues.push({ id: issue.id, key: issue.key, self: `${api(view)}/issue/${issue.id}` });
    } catch (error) {
      if (!(error instanceof JiraHttpError)) throw error;
      errors.push({
        status: error.status,
        elementErrors: { errorMessages: [...error.errorMessages], errors: { ...error.errors } },
        failedElementNumber: index,
      });
    }
  });
  sendJson(res, issues.length === 0 && errors.length > 0 ? 400 : 201, { issues, errors });
}

function editIssue({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  const reader = new InputReader({ store, adf: view.adf, issue });
  reader.read(body.fields, body.update);
  const typeId = reader.patch.issueTypeId ?? issue.issueTypeId;
  if (reader.patch.parentId !== undefined || reader.patch.issueTypeId !== undefined)
    reader.checkHierarchy(typeId, store.projectOf(issue));
  if (!reader.ok) failInput(reader);
  applyPatch(store, issue, reader.patch, user);
  if (queryBool(req, 'returnIssue')) {
    sendJson(
      res,
      200,
      issueJson(issue, view, { fields: selectFields([], '*all'), expand: expandSet(queryString(req, 'expand')) }),
    );
    return;
  }
  res.status(204).end();
}

function deleteIssue({ req, res, store }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  if (store.subtasksOf(issue).length && !queryBool(req, 'deleteSubtasks')) {
    throw badRequest([
      `The issue '${issue.key}' has subtasks. You must specify the 'deleteSubtasks' parameter to delete this issue and all its subtasks.`,
    ]);
  }
  store.deleteIssue(issue);
  res.status(204).end();
}

function assignIssue({ req, res, store, user }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  const ref = store.dataCenter ? (body.name ?? body.key) : body.accountId;
  let assigneeId: string | null;
  if (ref === null || ref === undefined || ref === '-1') assigneeId = null;
  else {
    const assignee = typeof ref === 'string' ? store.findUser(ref) : undefined;
    if (!assignee)
      throw badRequest([], {
        assignee: store.dataCenter
          ? `User '${String(ref)}' does not exist.`
          : `User '${String(ref)}' cannot be assigned issues.`,
      });
    assigneeId = assignee.accountId;
  }
  if (issue.assigneeId !== assigneeId) {
    const name = (id: string | null) => (id ? (store.user(id)?.displayName ?? id) : null);
    store.recordChange(issue, user.accountId, [
      {
        field: 'assignee',
        from: issue.assigneeId,
        fromString: name(issue.assigneeId),
        to: assigneeId,
        toString: name(assigneeId),
      },
    ]);
  }
  issue.assigneeId = assigneeId;
  if (assigneeId && !issue.watcherIds.includes(assigneeId)) issue.watcherIds.push(assigneeId);
  store.touch(issue);
  res.status(204).end();
}

function editMeta({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  sendJson(res, 200, { fields: editMetaFields(issue, view) });
}

function requireProject(store: JiraStore, ref: string): ProjectRecord {
  const project = store.findProject(ref);
  if (!project)
    throw notFound(
      /^\d+$/.test(ref)
        ? `No project could be found with id '${ref}'.`
        : `No project could be found with key '${ref}'.`,
    );
  return project;
}

function createMetaTypes({ req, res, store, view }: Call): void {
  const project = requireProject(store, param(req, 'projectIdOrKey'));
  const { startAt, maxResults } = paging(req, 50, 200);
  // The create-meta issue types carry no untranslatedName (IssueTypeIssueCreateMetadata).
  const types = project.issueTypeIds.map((id) => {
    const { untranslatedName: _untranslated, ...type } = issueTypeJson(issueTypeById(id), view);
    return type;
  });
  const page = types.slice(startAt, startAt + maxResults);
  sendJson(res, 200, { maxResults, startAt, total: types.length, issueTypes: page });
}

function createMetaFieldsRoute({ req, res, store, view }: Call): void {
  const project = requireProject(store, param(req, 'projectIdOrKey'));
  const typeId = param(req, 'issueTypeId');
  if (!project.issueTypeIds.includes(typeId))
    throw badRequest([`The issue type with id '${typeId}' does not exist or is not valid for this project.`]);
  const { startAt, maxResults } = paging(req, 50, 200);
  const fields = createMetaFields(project, typeId, view).map((f) => metaFieldJson(f, view));
  const page = fields.slice(startAt, startAt + maxResults);
  sendJson(res, 200, { maxResults, startAt, total: fields.length, fields: page, results: page });
}

/**
 * Cloud's paged changelog (`{values, startAt, maxResults, total, isLast}`, oldest first). Data Center
 * has no such resource: it answers 404 and gives the changelog through `expand=changelog` only.
 */
function getChangelog({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  if (store.dataCenter) throw notFound('null for uri: /rest/api/2/issue/changelog');
  const { startAt, maxResults } = paging(req, 100, 100);
  const all = store.historyOf(issue);
  const values = all.slice(startAt, startAt + maxResults).map((h) => historyJson(h, view));
  sendJson(res, 200, {
    self: `${view.base}/rest/api/${view.apiVersion}/issue/${issue.key}/changelog?startAt=${startAt}&maxResults=${maxResults}`,
    maxResults,
    startAt,
    total: all.length,
    isLast: startAt + values.length >= all.length,
    values,
  });
}

// --- transitions -------------------------------------------------------------------------------------------

function getTransitions({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const only = queryString(req, 'transitionId');
  const withFields = expandSet(queryString(req, 'expand')).has('transitions.fields');
  const transitions = store
    .transitionsFor(issue)
    .filter((t) => !only || t.id === only)
    .map((t) => {
      const json = transitionJson(t, view);
      return withFields ? { ...json, fields: transitionFieldsJson(t, view) } : json;
    });
  sendJson(res, 200, { expand: 'transitions', transitions });
}

function doTransition({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  const ref = isRecord(body.transition) ? (body.transition.id ?? body.transition.name) : undefined;
  if (ref === undefined) throw badRequest(["Missing 'transition' identifier"]);
  const transition = store.transitionsFor(issue).find((t) => t.id === String(ref));
  if (!transition) throw badRequest([`Transition id '${String(ref)}' is not valid for this issue.`]);
  const fields = isRecord(body.fields) ? body.fields : {};
  let resolutionId = transition.resolutionId;
  const errors: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'resolution' && transition.resolutionId) {
      const resolutionRef = isRecord(value) ? (value.id ?? value.name) : undefined;
      const resolution = RESOLUTIONS.find(
        (r) => r.id === String(resolutionRef) || r.name.toLowerCase() === String(resolutionRef).toLowerCase(),
      );
      if (!resolution) errors.resolution = 'Resolution is invalid.';
      else resolutionId = resolution.id;
    } else {
      errors[field] = CANNOT_SET(field);
    }
  }
  const reader = new InputReader({ store, adf: view.adf, issue });
  if (isRecord(body.update)) {
    for (const [field, ops] of Object.entries(body.update)) {
      if (field !== 'comment') errors[field] = CANNOT_SET(field);
      else reader.read(undefined, { comment: ops });
    }
  }
  Object.assign(errors, reader.errors);
  // A required screen field without a default, missing: Jira names it in errorMessages.
  const missing =
    transition.resolutionRequired && !isRecord(fields.resolution) ? [REQUIRED_ON_SCREEN('Resolution')] : [];
  if (Object.keys(errors).length || reader.errorMessages.length || missing.length)
    throw new JiraHttpError(400, [...missing, ...reader.errorMessages], errors);
  const fromStatus = STATUSES.find((st) => st.id === issue.statusId);
  store.applyTransition(issue, resolutionId === transition.resolutionId ? transition : { ...transition, resolutionId });
  const toStatus = STATUSES.find((st) => st.id === issue.statusId);
  if (fromStatus !== toStatus)
    store.recordChange(issue, user.accountId, [
      {
        field: 'status',
        from: fromStatus?.id ?? null,
        fromString: fromStatus?.name ?? null,
        to: toStatus?.id ?? null,
        toString: toStatus?.name ?? null,
      },
    ]);
  for (const comment of reader.patch.comments ?? []) store.addComment(issue, user, comment);
  res.status(204).end();
}

// --- comments ----------------------------------------------------------------------------------------------

function requireComment(issue: IssueRecord, id: string): CommentRecord {
  const comment = issue.comments.find((c) => c.id === id);
  if (!comment) throw notFound(`Can not find a comment for the id: ${id}.`);
  return comment;
}

/** The body of a comment in the version's format: ADF on v3 (a string is "not valid"), a string on v2. */
function commentBody(store: JiraStore, view: View, value: unknown): RichText {
  if (value === undefined || value === null || value === '')
    throw badRequest([], { comment: 'Comment body can not be empty!' });
  if (view.adf) {
    if (adfProblem(value) !== null) throw badRequest([], { comment: 'Comment body is not valid!' });
    return value as RichText;
  }
  if (typeof value !== 'string')
    throw badRequest(['Can not deserialize instance of java.lang.String out of START_OBJECT token']);
  return store.dataCenter ? value : wikiToAdf(value);
}

function getComments({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const { startAt, maxResults } = paging(req, store.dataCenter ? 5000 : 100, 5000);
  const descending = queryString(req, 'orderBy') === '-created';
  const rendered = expandSet(queryString(req, 'expand')).has('renderedBody');
  const ordered = descending ? [...issue.comments].reverse() : issue.comments;
  sendJson(res, 200, {
    startAt,
    maxResults,
    total: issue.comments.length,
    comments: ordered.slice(startAt, startAt + maxResults).map((c) => commentJson(issue, c, view, rendered)),
  });
}

function getComment({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const comment = requireComment(issue, param(req, 'id'));
  sendJson(res, 200, commentJson(issue, comment, view, expandSet(queryString(req, 'expand')).has('renderedBody')));
}

function addComment({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  const comment = store.addComment(issue, user, commentBody(store, view, body.body));
  sendJson(res, 201, commentJson(issue, comment, view));
}

function updateComment({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const comment = requireComment(issue, param(req, 'id'));
  const body = bodyObject(req);
  store.updateComment(issue, comment, user, commentBody(store, view, body.body));
  sendJson(res, 200, commentJson(issue, comment, view));
}

function deleteComment({ req, res, store }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  store.deleteComment(issue, requireComment(issue, param(req, 'id')));
  res.status(204).end();
}

// --- worklogs ----------------------------------------------------------------------------------------------

function getWorklogs({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const { startAt, maxResults } = paging(req, 5000, 5000);
  const after = queryInt(req, 'startedAfter', Number.MIN_SAFE_INTEGER);
  const before = queryInt(req, 'startedBefore', Number.MAX_SAFE_INTEGER);
  const worklogs = issue.worklogs.filter((w) => w.started >= after && w.started <= before);
  sendJson(res, 200, {
    startAt,
    maxResults,
    total: worklogs.length,
    worklogs: worklogs.slice(startAt, startAt + maxResults).map((w) => worklogJson(issue, w, view)),
  });
}

function getWorklog({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const worklog = issue.worklogs.find((w) => w.id === param(req, 'id'));
  if (!worklog) throw notFound(`Cannot find worklog with id: '${param(req, 'id')}'.`);
  sendJson(res, 200, worklogJson(issue, worklog, view));
}

/** `2021-01-17T12:34:00.000+0000` — the format Jira requires for `started`. */
function parseStarted(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})([+-]\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const stamp = Date.parse(`${match[1]}${match[2]}:${match[3]}`);
  return Number.isNaN(stamp) ? null : stamp;
}

function addWorklog({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  let seconds: number | null = null;
  if (typeof body.timeSpentSeconds === 'number') seconds = body.timeSpentSeconds;
  else if (typeof body.timeSpent === 'string') {
    seconds = parseDuration(body.timeSpent);
    if (seconds === null) throw badRequest([], { timeLogged: 'Invalid time duration entered.' });
  }
  if (seconds === null || seconds <= 0)
    throw badRequest([], { timeLogged: 'You must indicate the time spent working.' });
  let started = store.now();
  if (body.started !== undefined) {
    const parsed = parseStarted(body.started);
    if (parsed === null)
      throw badRequest([
        `Could not parse the 'started' date '${String(body.started)}'. Use the format yyyy-MM-dd'T'HH:mm:ss.SSSZ.`,
      ]);
    started = parsed;
  }
  let comment: RichText | null = null;
  if (body.comment !== undefined && body.comment !== null) {
    if (view.adf) {
      if (adfProblem(body.comment) !== null) throw badRequest([], { comment: 'Comment body is not valid!' });
      comment = body.comment as RichText;
    } else if (typeof body.comment === 'string') comment = store.dataCenter ? body.comment : wikiToAdf(body.comment);
    else throw badRequest(['Can not deserialize instance of java.lang.String out of START_OBJECT token']);
  }
  const remainingBefore = issue.remainingEstimateSeconds;
  const worklog = store.addWorklog(issue, user, started, seconds, comment);
  applyEstimateAdjustment(req, issue, remainingBefore);
  sendJson(res, 201, worklogJson(issue, worklog, view));
}

function applyEstimateAdjustment(req: Request, issue: IssueRecord, remainingBefore: number | null): void {
  const mode = queryString(req, 'adjustEstimate') ?? 'auto';
  if (mode === 'leave') issue.remainingEstimateSeconds = remainingBefore;
  else if (mode === 'new') {
    const estimate = parseDuration(queryString(req, 'newEstimate') ?? '');
    if (estimate === null) throw badRequest([], { newEstimate: 'You must supply a valid new estimate.' });
    issue.remainingEstimateSeconds = estimate;
  } else if (mode === 'manual') {
    const reduceBy = parseDuration(queryString(req, 'reduceBy') ?? '');
    if (reduceBy === null)
      throw badRequest([], { reduceBy: 'You must supply a valid amount to reduce the estimate by.' });
    issue.remainingEstimateSeconds = Math.max(0, (remainingBefore ?? 0) - reduceBy);
  }
}

// --- watchers ------------------------------------------------------------------------------------------------

function getWatchers({ req, res, store, user, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  sendJson(res, 200, {
    self: `${api(view)}/issue/${issue.key}/watchers`,
    isWatching: issue.watcherIds.includes(user.accountId),
    watchCount: issue.watcherIds.length,
    watchers: issue.watcherIds.map((id) => userJson(store.user(id), view)),
  });
}

function addWatcher({ req, res, store, user }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body: unknown = req.body;
  const ref = typeof body === 'string' && body ? body : user.accountId;
  const watcher = store.findUser(ref);
  if (!watcher) throw notFound(store.dataCenter ? `The user "${ref}" does not exist` : 'The user does not exist.');
  if (!issue.watcherIds.includes(watcher.accountId)) issue.watcherIds.push(watcher.accountId);
  res.status(204).end();
}

function removeWatcher({ req, res, store }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const ref = queryString(req, store.dataCenter ? 'username' : 'accountId');
  if (!ref) throw badRequest([store.dataCenter ? 'Parameter username is required' : 'accountId must be provided']);
  const watcher = store.findUser(ref);
  if (!watcher) throw notFound('The user does not exist.');
  issue.watcherIds = issue.watcherIds.filter((id) => id !== watcher.accountId);
  res.status(204).end();
}

// --- attachments ----------------------------------------------------------------------------------------------
// Uploads are multipart/form-data (field `file`, repeatable) and need `X-Atlassian-Token: no-check`.
// Real Jira answers GET /attachment/content/{id} with a redirect to its media host unless
// `redirect=false`; the sandbox always serves the bytes itself, with the attachment's media type.

const MAX_UPLOAD = 10 * 1024 * 1024;
const MIME_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  log: 'text/plain',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

function requireAttachment(store: JiraStore, id: string): AttachmentRecord {
  const attachment = store.findAttachment(id);
  if (!attachment) throw notFound(`The attachment with id '${id}' does not exist`);
  return attachment;
}

export async function readRaw(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD) throw new JiraHttpError(413, ['The attachment is too large.'], {});
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface FilePart {
  readonly filename: string;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** The `file` parts of a multipart/form-data body. */
export function fileParts(body: Buffer, boundary: string): FilePart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FilePart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const headerStart = start + delimiter.length;
    if (body.subarray(headerStart, headerStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, headerStart);
    if (next < 0) break;
    const part = body.subarray(headerStart + 2, next - 2); // after CRLF, before CRLF--boundary
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim();
      if (name === 'file' && filename)
        parts.push({ filename, contentType, data: Buffer.from(part.subarray(split + 4)) });
    }
    start = next;
  }
  return parts;
}

export function mimeTypeOfPart(part: FilePart): string {
  if (part.contentType && part.contentType !== 'application/octet-stream') return part.contentType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(part.filename)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

async function addAttachments({ req, res, store, user, view }: Call): Promise<void> {
  if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check') {
    res.status(403).setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end('XSRF check failed');
    return;
  }
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data\b.*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) throw new MediaTypeError(type || 'application/octet-stream');
  const parts = fileParts(await readRaw(req), boundary[1] ?? boundary[2]!);
  if (parts.length === 0) throw badRequest(['No file was attached: send the file in a multipart field named "file".']);
  const added = parts.map((part) => store.addAttachment(issue, user, part.filename, mimeTypeOfPart(part), part.data));
  sendJson(
    res,
    200,
    added.map((a) => attachmentJson(a, view)),
  );
}

function attachmentContent({ req, res, store }: Call): void {
  const attachment = requireAttachment(store, param(req, 'id'));
  res.status(200).setHeader('Content-Type', attachment.mimeType);
  res.setHeader('Content-Length', String(attachment.data.length));
  res.setHeader('Content-Disposition', `attachment; filename="${attachment.filename.replace(/"/g, '')}"`);
  res.end(attachment.data);
}

function deleteAttachment({ req, res, store }: Call): void {
  store.deleteAttachment(requireAttachment(store, param(req, 'id')));
  res.status(204).end();
}

// --- versions ---------------------------------------------------------------------------------------------------

function projectVersions({ req, res, store, view }: Call): void {
  const project = requireProject(store, param(req, 'projectIdOrKey'));
  sendJson(
    res,
    200,
    store.versionsOf(project).map((v) => versionJson(v, view)),
  );
}

function getVersion({ req, res, store, view }: Call): void {
  const version = store.versions.find((v) => v.id === param(req, 'id'));
  if (!version) throw notFound(`Could not find version for id '${param(req, 'id')}'`);
  sendJson(res, 200, versionJson(version, view));
}

function createVersion({ req, res, store, view }: Call): void {
  const body = bodyObject(req);
  const ref =
    body.projectId !== undefined ? String(body.projectId) : typeof body.project === 'string' ? body.project : '';
  const project = ref ? store.findProject(ref) : undefined;
  if (!project) throw badRequest([], { project: 'Project must be specified to create a version.' });
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) throw badRequest([], { name: 'You must specify a valid version name' });
  if (store.versionsOf(project).some((v) => v.name.toLowerCase() === name.toLowerCase()))
    throw badRequest([], { name: 'A version with this name already exists in this project.' });
  const date = (field: 'startDate' | 'releaseDate'): string | null => {
    const value = body[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      throw badRequest([], { [field]: 'Please enter the date in the following format: yyyy-MM-dd' });
    return value;
  };
  const version = store.createVersion(project, {
    name,
    description: typeof body.description === 'string' ? body.description : '',
    released: body.released === true,
    archived: body.archived === true,
    startDate: date('startDate'),
    releaseDate: date('releaseDate'),
  });
  sendJson(res, 201, versionJson(version, view));
}

function updateVersion({ req, res, store, view }: Call): void {
  const version = store.versions.find((v) => v.id === param(req, 'id'));
  if (!version) throw notFound(`Could not find version for id '${param(req, 'id')}'`);
  const body = bodyObject(req);
  for (const flag of ['released', 'archived'] as const) {
    if (body[flag] !== undefined && body[flag] !== null && typeof body[flag] !== 'boolean')
      throw new ReadRequestError();
  }
  const errors: Record<string, string> = {};
  let name: string | undefined;
  if (body.name !== undefined) {
    name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) errors.name = 'You must specify a valid version name';
    else if (
      store.versions.some(
        (v) => v !== version && v.projectId === version.projectId && v.name.toLowerCase() === name!.toLowerCase(),
      )
    ) {
      errors.name = 'A version with this name already exists in this project.';
    }
  }
  const dates: Partial<Record<'startDate' | 'releaseDate', string | null>> = {};
  for (const field of ['startDate', 'releaseDate'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') dates[field] = null;
    else if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      errors[field] = 'Please enter the date in the following format: yyyy-MM-dd';
    else dates[field] = value;
  }
  if (Object.keys(errors).length) throw badRequest([], errors);
  if (name !== undefined) version.name = name;
  if (typeof body.description === 'string') version.description = body.description;
  if (typeof body.released === 'boolean') version.released = body.released;
  if (typeof body.archived === 'boolean') version.archived = body.archived;
  if (dates.startDate !== undefined) version.startDate = dates.startDate;
  if (dates.releaseDate !== undefined) version.releaseDate = dates.releaseDate;
  sendJson(res, 200, versionJson(version, view));
}

// --- remote links ----------------------------------------------------------------------------------------------
// Web links and other remote objects on an issue. Posting a globalId that the issue already has
// updates that link (200) instead of adding another (201).

function requireRemoteLink(store: JiraStore, req: Request): RemoteLinkRecord {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const link = store.remoteLinksOf(issue).find((l) => l.id === param(req, 'linkId'));
  if (!link) throw notFound(`No remote link with id '${param(req, 'linkId')}' exists on issue ${issue.key}.`);
  return link;
}

function getRemoteLinks({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const globalId = queryString(req, 'globalId');
  const links = store.remoteLinksOf(issue);
  if (globalId === undefined) {
    sendJson(
      res,
      200,
      links.map((l) => remoteLinkJson(l, view)),
    );
    return;
  }
  const link = links.find((l) => l.globalId === globalId);
  if (!link) throw notFound(`No remote link with global id '${globalId}' exists on issue ${issue.key}.`);
  sendJson(res, 200, remoteLinkJson(link, view));
}

function createRemoteLink({ req, res, store, view }: Call): void {
  const issue = requireIssue(store, param(req, 'issueIdOrKey'));
  const body = bodyObject(req);
  const object = isRecord(body.object) ? body.object : {};
  const errors: Record<string, string> = {};
  if (typeof object.url !== 'string' || !object.url.trim()) errors.url = "'URL' is required.";
  if (typeof object.title !== 'string' || !object.title.trim()) errors.title = "'Link Text' is required.";
  if (Object.keys(errors).length) throw badRequest([], errors);
  const globalId = typeof body.globalId === 'string' && body.globalId ? body.globalId : null;
  const fields = {
    globalId,
    application: isRecord(body.application) ? { ...body.application } : null,
    relationship: typeof body.relationship === 'string' && body.relationship ? body.relationship : null,
    object: { ...object },
  };
  const existing = globalId === null ? undefined : store.remoteLinksOf(issue).find((l) => l.globalId === globalId);
  if (existing) {
    Object.assign(existing, fields);
    store.touch(issue);
  }
  const link = existing ?? store.addRemoteLink(issue, fields);
  sendJson(res, existing ? 200 : 201, {
    id: Number(link.id),
    self: `${api(view)}/issue/${issue.key}/remotelink/${link.id}`,
  });
}

function deleteRemoteLink({ req, res, store }: Call): void {
  store.deleteRemoteLink(requireRemoteLink(store, req));
  res.status(204).end();
}

// --- links ---------------------------------------------------------------------------------------------------

function getLinkType({ req, res, view }: Call): void {
  const id = param(req, 'id');
  if (!LINK_TYPES.some((t) => t.id === id)) throw notFound(`No issue link type with id '${id}' found.`);
  sendJson(res, 200, linkTypeJson(id, view));
}

function linkIssues({ req, res, store, user, view }: Call): void {
  const body = bodyObject(req);
  const typeRef = isRecord(body.type) ? (body.type.id ?? body.type.name) : undefined;
  const type = LINK_TYPES.find(
    (t) => t.id === String(typeRef) || t.name.toLowerCase() === String(typeRef).toLowerCase(),
  );
  if (!type) throw notFound(`No issue link type with name '${String(typeRef)}' found.`);
  const ref = (side: unknown): string | undefined =>
    isRecord(side)
      ? typeof side.key === 'string'
        ? side.key
        : typeof side.id === 'string'
          ? side.id
          : undefined
      : undefined;
  const inward = store.findIssue(ref(body.inwardIssue) ?? '');
  const outward = store.findIssue(ref(body.outwardIssue) ?? '');
  if (!inward || !outward) throw notFound(ISSUE_NOT_FOUND);
  if (inward === outward) throw badRequest(['You cannot link an issue to itself.']);
  const exists = store.links.some(
    (l) => l.typeId === type.id && l.inwardId === inward.id && l.outwardId === outward.id,
  );
  if (!exists) store.addLink(type.id, inward, outward);
  if (isRecord(body.comment) && body.comment.body !== undefined)
    store.addComment(inward, user, commentBody(store, view, body.comment.body));
  res.status(201).end();
}

function getLink({ req, res, store, view }: Call): void {
  const link = store.links.find((l) => l.id === param(req, 'linkId'));
  if (!link) throw notFound(`No issue link with id '${param(req, 'linkId')}' exists.`);
  sendJson(res, 200, linkJson(link, view));
}

function deleteLink({ req, res, store }: Call): void {
  const link = store.links.find((l) => l.id === param(req, 'linkId'));
  if (!link) throw notFound(`No issue link with id '${param(req, 'linkId')}' exists.`);
  store.deleteLink(link);
  res.status(204).end();
}

// --- projects and configuration ---------------------------------------------------------------------------------

function searchProjects({ req, res, store, view }: Call): void {
  const { startAt, maxResults } = paging(req, 50, 100);
  const query = queryString(req, 'query')?.toLowerCase();
  const keys = queryList(req, 'keys').map((k) => k.toUpperCase());
  const ids = queryList(req, 'id');
  const typeKey = queryString(req, 'typeKey');
  const orderBy = queryString(req, 'orderBy') ?? 'key';
  const expand = expandSet(queryString(req, 'expand'));
  let projects = store.projects.filter(
    (p) =>
      (!query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
      (!keys.length || keys.includes(p.key)) &&
      (!ids.length || ids.includes(p.id)) &&
      (!typeKey || typeKey.split(',').includes(p.projectTypeKey)),
  );
  const field = orderBy.replace(/^[+-]/, '');
  projects = [...projects].sort(
    (a, b) =>
      (field === 'name' ? a.name.localeCompare(b.name) : a.key.localeCompare(b.key)) *
      (orderBy.startsWith('-') ? -1 : 1),
  );
  const values = projects.map((p) => {
    const json = projectJson(p, view, false);
    if (expand.has('description')) json.description = p.description;
    if (expand.has('lead')) json.lead = userJson(store.user(p.leadAccountId), view);
    if (expand.has('issueTypes')) json.issueTypes = p.issueTypeIds.map((id) => issueTypeJson(issueTypeById(id), view));
    if (expand.has('insight')) {
      const issues = store.allIssues().filter((i) => i.projectId === p.id);
      json.insight = {
        totalIssueCount: issues.length,
        lastIssueUpdateTime: jiraDate(Math.max(0, ...issues.map((i) => i.updated))),
      };
    }
    return json;
  });
  sendJson(res, 200, pageBean(req, res, values, startAt, maxResults));
}

function getProject({ req, res, store, view }: Call): void {
  sendJson(res, 200, projectJson(requireProject(store, param(req, 'projectIdOrKey')), view, true));
}

function projectStatuses({ req, res, store, view }: Call): void {
  const project = requireProject(store, param(req, 'projectIdOrKey'));
  sendJson(
    res,
    200,
    project.issueTypeIds.map((id) => {
      const type = issueTypeById(id);
      return {
        self: `${api(view)}/issueType/${type.id}`,
        id: type.id,
        name: type.name,
        subtask: type.subtask,
        statuses: STATUSES.map((s) => statusJson(s, view)),
      };
    }),
  );
}

function projectComponents({ req, res, store, view }: Call): void {
  const project = requireProject(store, param(req, 'projectIdOrKey'));
  sendJson(
    res,
    200,
    (projectJson(project, view, true).components as Json[]).map((c) => ({
      ...c,
      project: project.key,
      projectId: Number(project.id),
    })),
  );
}

function issueTypesForProject({ req, res, store, view }: Call): void {
  const projectId = queryString(req, 'projectId');
  if (!projectId) throw badRequest(['The projectId parameter is required.']);
  const project = requireProject(store, projectId);
  sendJson(
    res,
    200,
    project.issueTypeIds.map((id) => issueTypeJson(issueTypeById(id), view)),
  );
}

function getIssueType({ req, res, view }: Call): void {
  const type = ISSUE_TYPES.find((t) => t.id === param(req, 'id'));
  if (!type) throw notFound(`Issue type with ID '${param(req, 'id')}' does not exist.`);
  sendJson(res, 200, issueTypeJson(type, view));
}

function getPriority({ req, res, view }: Call): void {
  const priority = PRIORITIES.find((p) => p.id === param(req, 'id'));
  if (!priority) throw notFound(`Cannot find priority with id '${param(req, 'id')}'.`);
  sendJson(res, 200, priorityJson(priority, view, true));
}

function searchPriorities({ req, res, view }: Call): void {
  const { startAt, maxResults } = paging(req, 50, 50);
  const ids = queryList(req, 'id');
  const name = queryString(req, 'priorityName')?.toLowerCase();
  const found = PRIORITIES.filter(
    (p) => (!ids.length || ids.includes(p.id)) && (!name || p.name.toLowerCase().includes(name)),
  );
  sendJson(
    res,
    200,
    pageBean(
      req,
      res,
      found.map((p) => priorityJson(p, view, true)),
      startAt,
      maxResults,
    ),
  );
}

function getResolution({ req, res, view }: Call): void {
  const resolution = resolutionJson(param(req, 'id'), view);
  if (!resolution) throw notFound(`The resolution with ID ${param(req, 'id')} does not exist.`);
  sendJson(res, 200, resolution);
}

function getStatusCategory({ req, res, view }: Call): void {
  const ref = param(req, 'idOrKey');
  const category = STATUS_CATEGORIES.find((c) => String(c.id) === ref || c.key === ref);
  if (!category) throw notFound(`The status category with id or key '${ref}' does not exist.`);
  sendJson(res, 200, statusCategoryJson(category.key, view));
}

function getStatus({ req, res, view }: Call): void {
  const ref = param(req, 'idOrName');
  const status = STATUSES.find((s) => s.id === ref || s.name.toLowerCase() === ref.toLowerCase());
  if (!status) throw notFound(`The status with id '${ref}' does not exist.`);
  sendJson(res, 200, statusJson(status, view));
}

function searchFields({ req, res }: Call): void {
  const { startAt, maxResults } = paging(req, 50, 100);
  const query = queryString(req, 'query')?.toLowerCase();
  const types = queryList(req, 'type');
  const ids = queryList(req, 'id');
  const fields = FIELD_DEFS.filter((f) => {
    const custom = f.id.startsWith('customfield_');
    return (
      (!query || f.name.toLowerCase().includes(query) || f.id.toLowerCase().includes(query)) &&
      (!types.length || types.includes(custom ? 'custom' : 'system')) &&
      (!ids.length || ids.includes(f.id))
    );
  }).map((f) => ({
    id: f.id,
    name: f.name,
    schema: Object.keys(f.schema).length ? f.schema : { type: 'any' },
    description: '',
    key: f.id,
    isLocked: !f.id.startsWith('customfield_'),
    searcherKey: '',
    screensCount: 1,
    contextsCount: 1,
    projectsCount: 0,
    lastUsed: { type: 'NOT_TRACKED' },
  }));
  sendJson(res, 200, pageBean(req, res, fields, startAt, maxResults));
}

function labels({ req, res, store }: Call): void {
  const { startAt, maxResults } = paging(req, 1000, 1000);
  sendJson(res, 200, pageBean(req, res, store.labels(), startAt, maxResults));
}
