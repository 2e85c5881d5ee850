// More of Jira's REST API, in Atlassian's documented shapes: Cloud's bulk changelog fetch, Cloud's bulk
// move with its task queue, Data Center's project picker, assignable-user search, and the dev-status
// API behind an issue's Development panel (Cloud and Data Center, /rest/dev-status/{1.0,latest}).
import express, { type Router } from 'express';
import { USERS } from '../data/users';
import { CLOUD_DEV_INSTANCE, DC_DEV_INSTANCE, DEV_RECORDS, type DevInstance, type DevRecord } from '../data/dev-seed';
import type { RequestContext } from '../context';
import {
  badRequest,
  bodyObject,
  isRecord,
  NoEndpointError,
  noEndpoint,
  notFound,
  paging,
  queryInt,
  queryString,
  route,
  sendJson,
  type Call,
  type Endpoint,
  type ViewFor,
} from './http';
import { ISSUE_TYPES, type IssueRecord } from './model';
import { historyJson, userJson, type Json } from './render';
import { usernameOf, type JiraStore } from './store';

type On = (path: string, methods: Partial<Record<'get' | 'post' | 'put' | 'delete', Endpoint>>) => void;

const READ = ['read:jira-work'];
const WRITE = ['write:jira-work'];
const USER = ['read:jira-user', 'read:user:jira'];

function cloudOnly(store: JiraStore): void {
  if (store.dataCenter) throw new NoEndpointError();
}

/** Registers these platform routes on the /rest/api/:version router (before `/issue/:issueIdOrKey`). */
export function toolboxRoutes(on: On): void {
  on('/changelog/bulkfetch', { post: { scopes: READ, run: bulkChangelogs } });
  on('/projects/picker', { get: { scopes: READ, run: projectPicker } });
  on('/user/assignable/search', { get: { scopes: USER, run: assignableUsers } });
  on('/bulk/issues/move', { post: { scopes: WRITE, run: submitMove } });
  on('/bulk/queue/:taskId', { get: { scopes: READ, run: taskProgress } });
}

// --- changelogs -------------------------------------------------------------------------------------

/** POST /changelog/bulkfetch: histories of up to 1,000 issues, paged over all of them by a token. */
function bulkChangelogs({ req, res, store, view }: Call): void {
  cloudOnly(store);
  const body = bodyObject(req);
  const refs = body.issueIdsOrKeys;
  if (!Array.isArray(refs) || refs.length === 0)
    throw badRequest([], { issueIdsOrKeys: 'At least one issue ID or key must be provided.' });
  if (refs.length > 1000) throw badRequest([], { issueIdsOrKeys: 'Cannot fetch changelogs of more than 1000 issues.' });
  const fieldIds = Array.isArray(body.fieldIds) ? body.fieldIds.map(String) : undefined;
  const maxResults = Math.min(10_000, typeof body.maxResults === 'number' ? body.maxResults : 1000);
  const offset =
    typeof body.nextPageToken === 'string' ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(['The provided nextPageToken is invalid.']);
  // Issues that do not exist or cannot be seen are left out, as Jira's bulk reads do.
  const issues = [...new Set(refs.map((r) => store.findIssue(String(r))).filter((i): i is IssueRecord => !!i))];
  const flat = issues.flatMap((issue) =>
    store
      .historyOf(issue)
      .map((h) => ({ ...h, items: h.items.filter((i) => !fieldIds || fieldIds.includes(i.field)) }))
      .filter((h) => h.items.length > 0)
      .map((h) => ({ issue, h })),
  );
  const page = flat.slice(offset, offset + maxResults);
  const grouped = new Map<string, Json[]>();
  for (const { issue, h } of page) grouped.set(issue.id, [...(grouped.get(issue.id) ?? []), historyJson(h, view)]);
  const next = offset + page.length;
  sendJson(res, 200, {
    issueChangeLogs: [...grouped.entries()].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
    ...(next < flat.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
  });
}

// --- projects and users -----------------------------------------------------------------------------

/** Data Center's GET /projects/picker: `{projects:[{key,name,id,avatar,html}], total}`; an empty query matches nothing. */
function projectPicker({ req, res, store }: Call): void {
  if (!store.dataCenter) throw new NoEndpointError();
  const query = (queryString(req, 'query') ?? '').trim().toLowerCase();
  const max = Math.max(0, queryInt(req, 'maxResults', 100));
  const found = query
    ? store.projects.filter((p) => p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query))
    : [];
  sendJson(res, 200, {
    projects: found.slice(0, max).map((p) => ({
      key: p.key,
      name: p.name,
      id: Number(p.id),
      avatar: `${store.site.url}/secure/projectavatar?pid=${p.id}`,
      html: `${p.name} (${p.key})`,
    })),
    total: found.length,
  });
}

/** GET /user/assignable/search: needs a project or an issue; Cloud matches `query`, Data Center `username`. */
function assignableUsers({ req, res, store, view }: Call): void {
  const projectRef = queryString(req, 'project');
  const issueKey = queryString(req, 'issueKey');
  if (!projectRef && !issueKey) throw badRequest(['Either the issueKey or the project parameter must be provided.']);
  if (issueKey && !store.findIssue(issueKey))
    throw notFound('Issue does not exist or you do not have permission to see it.');
  if (projectRef && !store.findProject(projectRef))
    throw notFound(`No project could be found with key '${projectRef}'.`);
  const query = (queryString(req, store.dataCenter ? 'username' : 'query') ?? '').toLowerCase();
  const { startAt, maxResults } = paging(req, 50, 1000);
  const found = USERS.filter(
    (u) =>
      !query ||
      u.displayName
        .toLowerCase()
        .split(/\s+/)
        .some((w) => w.startsWith(query)) ||
      u.displayName.toLowerCase().startsWith(query) ||
      u.email.toLowerCase().startsWith(query) ||
      usernameOf(u).startsWith(query),
  );
  sendJson(
    res,
    200,
    found.slice(startAt, startAt + maxResults).map((u) => userJson(u, view)),
  );
}

// --- bulk move ----------------------------------------------------------------------------------------

interface MoveTask {
  readonly taskId: string;
  readonly created: number;
  readonly total: number;
  readonly processed: number[];
  readonly failed: Record<string, string[]>;
  readonly invalid: number;
  reads: number;
}

const tasks = new WeakMap<JiraStore, Map<string, MoveTask>>();
let nextTask = 10_000;

/** Jira Cloud's POST /bulk/issues/move. The sandbox moves at once; the task reports RUNNING once, then COMPLETE. */
function submitMove({ req, res, store, user }: Call): void {
  cloudOnly(store);
  const body = bodyObject(req);
  const mapping = body.targetToSourcesMapping;
  if (!isRecord(mapping) || Object.keys(mapping).length === 0)
    throw badRequest(['targetToSourcesMapping must contain at least one mapping.']);
  const processed: number[] = [];
  const failed: Record<string, string[]> = {};
  let invalid = 0;
  let total = 0;
  for (const [target, sources] of Object.entries(mapping)) {
    const [projectRef, typeId] = target.split(',').map((s) => s.trim());
    const project = projectRef ? store.findProject(projectRef) : undefined;
    if (!project) throw badRequest([`The target project '${projectRef ?? ''}' does not exist.`]);
    if (!typeId || !project.issueTypeIds.includes(typeId))
      throw badRequest([`The issue type '${typeId ?? ''}' is not valid in project ${project.key}.`]);
    if (!isRecord(sources)) throw badRequest([`The mapping for '${target}' must be an object.`]);
    for (const flag of [
      'inferClassificationDefaults',
      'inferFieldDefaults',
      'inferStatusDefaults',
      'inferSubtaskTypeDefault',
    ])
      if (typeof sources[flag] !== 'boolean') throw badRequest([`${flag} must be provided for '${target}'.`]);
    const refs = Array.isArray(sources.issueIdsOrKeys) ? sources.issueIdsOrKeys.map(String) : [];
    if (refs.length === 0) throw badRequest([`issueIdsOrKeys must not be empty for '${target}'.`]);
    for (const ref of refs) {
      total++;
      const issue = store.findIssue(ref);
      if (!issue) {
        invalid++;
        continue;
      }
      const type = ISSUE_TYPES.find((t) => t.id === issue.issueTypeId);
      if (type?.subtask) failed[issue.id] = ['Sub-tasks can only be moved with their parent.'];
      else if (issue.projectId === project.id && issue.issueTypeId === typeId)
        failed[issue.id] = ['The issue is already in the target project and issue type.'];
      else {
        moveWithSubtasks(store, issue, project.id, typeId, user.accountId);
        processed.push(Number(issue.id));
      }
    }
  }
  const taskId = String(nextTask++);
  const map = tasks.get(store) ?? new Map<string, MoveTask>();
  map.set(taskId, { taskId, created: store.now(), total, processed, failed, invalid, reads: 0 });
  tasks.set(store, map);
  sendJson(res, 201, { taskId });
}

function moveWithSubtasks(store: JiraStore, issue: IssueRecord, projectId: string, typeId: string, by: string): void {
  const project = store.findProject(projectId)!;
  const from = store.projectOf(issue);
  const oldKey = issue.key;
  const subtasks = store.subtasksOf(issue);
  store.moveIssue(issue, project, typeId);
  // An epic parent stays behind in its project: Jira clears the link when the issue leaves.
  const parent = issue.parentId ? store.findIssue(issue.parentId) : undefined;
  if (parent && parent.projectId !== project.id && !ISSUE_TYPES.find((t) => t.id === issue.issueTypeId)?.subtask)
    issue.parentId = null;
  store.recordChange(issue, by, [
    { field: 'project', from: from.id, fromString: from.name, to: project.id, toString: project.name },
    { field: 'Key', from: null, fromString: oldKey, to: null, toString: issue.key },
  ]);
  for (const sub of subtasks) {
    const subOld = sub.key;
    store.moveIssue(sub, project, sub.issueTypeId);
    store.recordChange(sub, by, [
      { field: 'project', from: from.id, fromString: from.name, to: project.id, toString: project.name },
      { field: 'Key', from: null, fromString: subOld, to: null, toString: sub.key },
    ]);
  }
}

function taskProgress({ req, res, store, user, view }: Call): void {
  cloudOnly(store);
  const task = tasks.get(store)?.get(String(req.params.taskId ?? ''));
  if (!task) throw notFound('The task with the given ID was not found.');
  task.reads++;
  const done = task.reads > 1;
  sendJson(res, 200, {
    taskId: task.taskId,
    status: done ? 'COMPLETE' : 'RUNNING',
    progressPercent: done ? 100 : 50,
    submittedBy: { accountId: user.accountId },
    created: new Date(task.created).toISOString(),
    started: new Date(task.created).toISOString(),
    updated: new Date(store.now()).toISOString(),
    ...(done
      ? {
          ended: new Date(store.now()).toISOString(),
          processedAccessibleIssues: task.processed,
          failedAccessibleIssues: task.failed,
          invalidOrInaccessibleIssueCount: task.invalid,
          totalIssueCount: task.total,
        }
      : { totalIssueCount: task.total }),
    self: `${view.base}/rest/api/3/bulk/queue/${task.taskId}`,
  });
}

// --- development information --------------------------------------------------------------------------

const DATA_TYPES = ['pullrequest', 'branch', 'repository'];

const devViewFor: ViewFor = (_req, ctx, store) => ({
  base: ctx.jiraBase,
  apiVersion: '2',
  adf: false,
  dc: store.dataCenter,
  store,
  me: ctx.user,
});

/** The dev-status API (/rest/dev-status/1.0 and /latest), keyed by the numeric issue id. */
export function devStatusRouter(storeFor: (ctx: RequestContext) => JiraStore): Router {
  const router = express.Router({ mergeParams: true });
  router.use((req, res, next) => {
    if (['1.0', 'latest'].includes(String(req.params.version))) next();
    else noEndpoint(req, res);
  });
  const on: On = (path, methods) => route(router, path, storeFor, devViewFor, methods);
  on('/issue/summary', { get: { scopes: READ, run: devSummary } });
  on('/issue/detail', { get: { scopes: READ, run: devDetail } });
  return router;
}

function devIssue(call: Call): { issue: IssueRecord; record?: DevRecord; instance: DevInstance } {
  const id = queryString(call.req, 'issueId');
  if (!id) throw badRequest(['The issueId parameter is required.']);
  if (!/^\d+$/.test(id)) throw badRequest([`'${id}' is not a valid issue id.`]);
  const issue = call.store.findIssue(id);
  if (!issue) throw notFound('Issue does not exist or you do not have permission to see it.');
  // Dev data stays with the issue through moves: it was recorded against the key it had then.
  const record =
    DEV_RECORDS[issue.key] ?? Object.entries(DEV_RECORDS).find(([k]) => call.store.findIssue(k) === issue)?.[1];
  return { issue, record, instance: call.store.dataCenter ? DC_DEV_INSTANCE : CLOUD_DEV_INSTANCE };
}

function devSummary(call: Call): void {
  const { record, instance } = devIssue(call);
  const section = (count: number, extra: Json = {}): Json => ({
    overall: { count, lastUpdated: count > 0 ? '2026-11-03T17:00:00.000+0000' : null, ...extra },
    byInstanceType: count > 0 ? { [instance.type]: { count, name: instance.name } } : {},
  });
  const prs = record?.pullRequests ?? [];
  sendJson(call.res, 200, {
    errors: [],
    configErrors: [],
    summary: {
      pullrequest: section(prs.length, {
        stateCount: prs.filter((p) => p.status === 'OPEN').length,
        state: prs.some((p) => p.status === 'OPEN') ? 'OPEN' : prs.length > 0 ? 'MERGED' : null,
        dataType: 'pullrequest',
        open: prs.some((p) => p.status === 'OPEN'),
      }),
      build: section(0, { dataType: 'build' }),
      review: section(0, { dataType: 'review' }),
      'deployment-environment': section(0, { dataType: 'deployment-environment' }),
      repository: section(record?.commits.length ?? 0, { dataType: 'repository' }),
      branch: section(record?.branches.length ?? 0, { dataType: 'branch' }),
    },
  });
}

function devDetail(call: Call): void {
  const { record, instance } = devIssue(call);
  const applicationType = queryString(call.req, 'applicationType');
  const dataType = queryString(call.req, 'dataType');
  if (!applicationType) throw badRequest(['The applicationType parameter is required.']);
  if (!dataType || !DATA_TYPES.includes(dataType)) throw badRequest([`Unknown dataType '${dataType ?? ''}'.`]);
  if (applicationType !== instance.type || !record) {
    sendJson(call.res, 200, { errors: [], detail: [] });
    return;
  }
  const repoUrl = `${instance.baseUrl}/${record.repository}`;
  const repository = {
    id: record.repository,
    name: record.repository,
    url: repoUrl,
    avatar: `${instance.baseUrl}/avatar.png`,
  };
  const person = (name: string) => ({ name, avatar: `${instance.baseUrl}/avatars/${encodeURIComponent(name)}.png` });
  const commits = record.commits.map((c) => ({
    id: c.id,
    displayId: c.id.slice(0, 7),
    authorTimestamp: c.at,
    url: `${repoUrl}/commit/${c.id}`,
    author: person(c.author),
    fileCount: c.files,
    merge: false,
    message: c.message,
    files: [],
  }));
  sendJson(call.res, 200, {
    errors: [],
    detail: [
      {
        branches:
          dataType === 'branch'
            ? record.branches.map((name) => ({
                name,
                url: `${repoUrl}/tree/${encodeURIComponent(name)}`,
                createPullRequestUrl: `${repoUrl}/compare/${encodeURIComponent(name)}`,
                repository,
                lastCommit: commits.at(-1) ?? null,
              }))
            : [],
        pullRequests:
          dataType === 'pullrequest'
            ? record.pullRequests.map((p) => ({
                author: person(p.author),
                id: p.id,
                name: p.title,
                commentCount: 0,
                source: { branch: p.source, url: `${repoUrl}/tree/${encodeURIComponent(p.source)}` },
                destination: { branch: p.destination, url: `${repoUrl}/tree/${encodeURIComponent(p.destination)}` },
                reviewers: p.reviewers.map((r) => ({ ...person(r.name), approved: r.approved })),
                status: p.status,
                url: `${repoUrl}/pull/${p.id.replace('#', '')}`,
                lastUpdate: p.updated,
                repositoryId: record.repository,
                repositoryName: record.repository,
                repositoryUrl: repoUrl,
              }))
            : [],
        repositories: dataType === 'repository' ? [{ ...repository, commits }] : [],
        _instance: {
          singleInstance: true,
          baseUrl: instance.baseUrl,
          name: instance.name,
          typeName: instance.name,
          id: `${instance.type}-1`,
          type: instance.type,
        },
      },
    ],
  });
}
