// The Jira Software (Agile) REST API, /rest/agile/1.0: boards, sprints, epics and the issues in them.
// Agile responses embed issues in the v2 representation, as Jira Software's API does.
import express, { type Request, type Router } from 'express';
import type { RequestContext } from '../context';
import { ISSUE_TYPE, type BoardRecord, type IssueRecord, type SprintRecord } from './model';
import {
  badRequest,
  bodyObject,
  isRecord,
  notFound,
  pageToken,
  paging,
  queryInt,
  queryList,
  queryString,
  readPageToken,
  route,
  sendJson,
  type Call,
  type Endpoint,
  type ViewFor,
} from './http';
import { boardJson, issueJson, selectFields, sprintJson, type Json, type View } from './render';
import type { JiraStore } from './store';

const S = {
  board: ['read:jira-work', 'read:board-scope:jira-software'],
  sprintRead: ['read:jira-work', 'read:sprint:jira-software'],
  sprintWrite: ['write:jira-work', 'write:sprint:jira-software'],
  issues: ['read:jira-work', 'read:issue:jira-software'],
  issuesWrite: ['write:jira-work', 'write:issue:jira-software'],
  epicRead: ['read:jira-work', 'read:epic:jira-software'],
  epicWrite: ['write:jira-work', 'write:epic:jira-software'],
} as const;

const viewFor: ViewFor = (_req, ctx, store) => ({
  base: ctx.jiraBase,
  apiVersion: '2',
  adf: false,
  dc: store.dataCenter,
  store,
  me: ctx.user,
});

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

function requireBoard(store: JiraStore, id: string): BoardRecord {
  const board = store.boards.find((b) => String(b.id) === id);
  if (!board) throw notFound('Board does not exist or you do not have permission to see it.');
  return board;
}

/** An issue of the Epic type; anything else is refused as Jira Software does. */
function requireEpic(store: JiraStore, idOrKey: string): IssueRecord {
  const epic = store.findIssue(idOrKey);
  if (!epic) throw notFound('Epic does not exist or you do not have permission to see it.');
  if (epic.issueTypeId !== ISSUE_TYPE.epic) throw badRequest([`Issue ${epic.key} is not an epic.`]);
  return epic;
}

function epicJson(epic: IssueRecord, view: View): Json {
  return {
    id: Number(epic.id),
    key: epic.key,
    self: `${view.base}/rest/agile/1.0/epic/${epic.id}`,
    name: epic.summary,
    summary: epic.summary,
    color: { key: 'color_4' },
    done: epic.resolutionId !== null,
  };
}

function requireSprint(store: JiraStore, id: string): SprintRecord {
  const sprint = store.sprints.find((s) => String(s.id) === id);
  if (!sprint) throw notFound('Sprint does not exist or you do not have permission to see it.');
  return sprint;
}

function page(values: readonly unknown[], startAt: number, maxResults: number): Json {
  const slice = values.slice(startAt, startAt + maxResults);
  return { maxResults, startAt, total: values.length, isLast: startAt + slice.length >= values.length, values: slice };
}

export function agileRouter(storeFor: (ctx: RequestContext) => JiraStore): Router {
  const router = express.Router();
  const on = (path: string, methods: Partial<Record<'get' | 'post' | 'put' | 'delete', Endpoint>>): void =>
    route(router, path, storeFor, viewFor, methods);
  on('/board', { get: { scopes: S.board, run: listBoards } });
  on('/board/:boardId', {
    get: {
      scopes: S.board,
      run: ({ req, res, store, view }) =>
        sendJson(res, 200, boardJson(requireBoard(store, param(req, 'boardId')), view)),
    },
  });
  on('/board/:boardId/sprint', { get: { scopes: S.sprintRead, run: boardSprints } });
  on('/board/:boardId/issue', { get: { scopes: S.issues, run: (call) => issuePage(call, boardIssues(call, false)) } });
  on('/board/:boardId/backlog', { get: { scopes: S.issues, run: (call) => issuePage(call, boardIssues(call, true)) } });
  on('/board/:boardId/sprint/:sprintId/issue', {
    get: { scopes: S.issues, run: (call) => issuePage(call, sprintIssues(call)) },
  });
  on('/sprint', { post: { scopes: S.sprintWrite, run: createSprint } });
  on('/sprint/:sprintId', {
    get: {
      scopes: S.sprintRead,
      run: ({ req, res, store, view }) =>
        sendJson(res, 200, sprintJson(requireSprint(store, param(req, 'sprintId')), view)),
    },
    post: { scopes: S.sprintWrite, run: (call) => updateSprint(call, true) },
    put: { scopes: S.sprintWrite, run: (call) => updateSprint(call, false) },
    delete: { scopes: S.sprintWrite, run: deleteSprint },
  });
  on('/sprint/:sprintId/issue', {
    get: { scopes: S.issues, run: (call) => issuePage(call, sprintIssues(call)) },
    post: { scopes: S.issuesWrite, run: moveToSprint },
  });
  on('/backlog/issue', { post: { scopes: S.issuesWrite, run: moveToBacklog } });
  // `none` is Jira's name for "no epic": POST /epic/none/issue takes issues out of their epics.
  on('/epic/none/issue', {
    get: { scopes: S.issues, run: (call) => issuePage(call, issuesWithoutEpic(call)) },
    post: { scopes: S.epicWrite, run: (call) => moveToEpic(call, null) },
  });
  on('/epic/:epicIdOrKey', {
    get: {
      scopes: S.epicRead,
      run: ({ req, res, store, view }) =>
        sendJson(res, 200, epicJson(requireEpic(store, param(req, 'epicIdOrKey')), view)),
    },
  });
  on('/epic/:epicIdOrKey/issue', {
    get: { scopes: S.issues, run: (call) => issuePage(call, epicIssues(call)) },
    post: {
      scopes: S.epicWrite,
      run: (call) => moveToEpic(call, requireEpic(call.store, param(call.req, 'epicIdOrKey'))),
    },
  });
  on('/issue/:issueIdOrKey', { get: { scopes: S.issues, run: getAgileIssue } });
  return router;
}

/** Jira Software 1.0 (`/rest/software/1.0`): the token-paged issue lists that replace Agile's. */
export function softwareRouter(storeFor: (ctx: RequestContext) => JiraStore): Router {
  const router = express.Router();
  const on = (path: string, methods: Partial<Record<'get', Endpoint>>): void =>
    route(router, path, storeFor, viewFor, methods);
  const count = (list: (call: Call) => readonly IssueRecord[]) => (call: Call) =>
    sendJson(call.res, 200, { count: filterByJql(call, list(call)).length });
  on('/board/:boardId/issue', {
    get: { scopes: S.issues, run: (call) => issueTokenPage(call, boardIssues(call, false)) },
  });
  on('/board/:boardId/issue/approximate-count', {
    get: { scopes: S.issues, run: count((call) => boardIssues(call, false)) },
  });
  on('/board/:boardId/backlog', {
    get: { scopes: S.issues, run: (call) => issueTokenPage(call, boardIssues(call, true)) },
  });
  on('/board/:boardId/backlog/approximate-count', {
    get: { scopes: S.issues, run: count((call) => boardIssues(call, true)) },
  });
  on('/board/:boardId/sprint/:sprintId/issue', {
    get: { scopes: S.issues, run: (call) => issueTokenPage(call, sprintIssues(call)) },
  });
  on('/sprint/:sprintId/issue', { get: { scopes: S.issues, run: (call) => issueTokenPage(call, sprintIssues(call)) } });
  return router;
}

function listBoards({ req, res, store, view }: Call): void {
  const { startAt, maxResults } = paging(req, 50, 50);
  const projectRef = queryString(req, 'projectKeyOrId');
  const type = queryList(req, 'type');
  const name = queryString(req, 'name')?.toLowerCase();
  const project = projectRef ? store.findProject(projectRef) : undefined;
  if (projectRef && !project) throw badRequest([`No project could be found with key or id '${projectRef}'.`]);
  const boards = store.boards.filter(
    (b) =>
      (!project || b.projectKey === project.key) &&
      (!type.length || type.includes(b.type)) &&
      (!name || b.name.toLowerCase().includes(name)),
  );
  sendJson(
    res,
    200,
    page(
      boards.map((b) => boardJson(b, view)),
      startAt,
      maxResults,
    ),
  );
}

function boardSprints({ req, res, store, view }: Call): void {
  const board = requireBoard(store, param(req, 'boardId'));
  if (board.type !== 'scrum') throw badRequest(['The board does not support sprints']);
  const { startAt, maxResults } = paging(req, 50, 50);
  const states = queryList(req, 'state');
  const sprints = store.sprints.filter(
    (s) => s.originBoardId === board.id && (!states.length || states.includes(s.state)),
  );
  sendJson(
    res,
    200,
    page(
      sprints.map((s) => sprintJson(s, view)),
      startAt,
      maxResults,
    ),
  );
}

/** An issue as the Agile API returns it: v2 fields plus sprint, closedSprints, flagged and epic. */
function agileIssueJson(
  issue: IssueRecord,
  view: View,
  requested: readonly string[],
  fallback: string,
  expand: Set<string>,
): Json {
  const fields = selectFields(requested, fallback);
  const json = issueJson(issue, view, { fields, expand });
  json.self = `${view.base}/rest/agile/1.0/issue/${issue.id}`;
  const out = json.fields as Json;
  const sprints = issue.sprintIds
    .map((id) => view.store.sprints.find((s) => s.id === id))
    .filter((s): s is SprintRecord => s !== undefined);
  const wantAll = requested.length === 0 || requested.some((f) => f === '*all' || f === '*navigable');
  if (wantAll || fields.has('sprint')) {
    const open = sprints.find((s) => s.state !== 'closed');
    out.sprint = open ? sprintJson(open, view) : null;
  }
  if (wantAll || fields.has('closedSprints'))
    out.closedSprints = sprints.filter((s) => s.state === 'closed').map((s) => sprintJson(s, view));
  if (wantAll || fields.has('flagged')) out.flagged = false;
  if (wantAll || fields.has('epic')) {
    const parent = issue.parentId ? view.store.findIssue(issue.parentId) : undefined;
    out.epic = parent && parent.issueTypeId === ISSUE_TYPE.epic ? epicJson(parent, view) : null;
  }
  return json;
}

/** Narrows a board's or sprint's issues by the request's `jql` (its ORDER BY replaces rank order). */
function filterByJql(call: Call, issues: readonly IssueRecord[]): readonly IssueRecord[] {
  const jql = queryString(call.req, 'jql');
  if (!jql) return issues;
  const compiled = call.store.search(jql, call.user).compiled;
  const filtered = issues.filter((i) => compiled.matches(i));
  return compiled.query.orderBy.length ? [...filtered].sort(compiled.compare) : filtered;
}

/** Agile 1.0: offset paging with a total. */
function issuePage(call: Call, issues: readonly IssueRecord[]): void {
  const { req, res, view } = call;
  const { startAt, maxResults } = paging(req, 50, 100);
  const filtered = filterByJql(call, issues);
  const requested = queryList(req, 'fields');
  const expand = new Set(queryList(req, 'expand'));
  sendJson(res, 200, {
    expand: 'schema,names',
    startAt,
    maxResults,
    total: filtered.length,
    issues: filtered
      .slice(startAt, startAt + maxResults)
      .map((i) => agileIssueJson(i, view, requested, '*navigable', expand)),
  });
}

/** Jira Software 1.0 (the agile issue lists' successor): token paging, no total. */
function issueTokenPage(call: Call, issues: readonly IssueRecord[]): void {
  const { req, res, view } = call;
  const maxResults = queryInt(req, 'maxResults', 50);
  if (maxResults < 1 || maxResults > 5000) throw badRequest(['The maxResults parameter must be between 1 and 5,000.']);
  const filtered = filterByJql(call, issues);
  const requested = queryList(req, 'fields');
  const cursorKey = `${req.path}|${queryString(req, 'jql') ?? ''}`;
  const token = queryString(req, 'nextPageToken');
  const offset = token ? readPageToken(token, cursorKey) : 0;
  const page = filtered.slice(offset, offset + Math.min(maxResults, 100));
  const isLast = offset + page.length >= filtered.length;
  sendJson(res, 200, {
    expand: 'schema,names',
    issues: page.map((i) => agileIssueJson(i, view, requested, '*navigable', new Set(queryList(req, 'expand')))),
    ...(isLast ? {} : { nextPageToken: pageToken(offset + page.length, cursorKey) }),
    isLast,
  });
}

function byRank(a: IssueRecord, b: IssueRecord): number {
  return a.rank - b.rank;
}

function boardIssues(call: Call, backlogOnly: boolean): IssueRecord[] {
  const board = requireBoard(call.store, param(call.req, 'boardId'));
  const project = call.store.findProject(board.projectKey);
  const openSprints = new Set(
    call.store.sprints.filter((s) => s.originBoardId === board.id && s.state !== 'closed').map((s) => s.id),
  );
  if (backlogOnly && board.type !== 'scrum') throw badRequest(['The board does not support a backlog']);
  return call.store
    .allIssues()
    .filter((i) => i.projectId === project?.id)
    .filter(
      (i) =>
        !backlogOnly ||
        (i.resolutionId === null &&
          !i.sprintIds.some((id) => openSprints.has(id)) &&
          i.issueTypeId !== ISSUE_TYPE.epic),
    )
    .sort(byRank);
}

function sprintIssues(call: Call): IssueRecord[] {
  const sprint = requireSprint(call.store, param(call.req, 'sprintId'));
  const boardId = call.req.params.boardId;
  if (boardId !== undefined && String(sprint.originBoardId) !== boardId) requireBoard(call.store, String(boardId));
  return call.store
    .allIssues()
    .filter((i) => i.sprintIds.includes(sprint.id))
    .sort(byRank);
}

function epicIssues(call: Call): IssueRecord[] {
  const epic = requireEpic(call.store, param(call.req, 'epicIdOrKey'));
  return call.store
    .allIssues()
    .filter((i) => i.parentId === epic.id)
    .sort(byRank);
}

function issuesWithoutEpic(call: Call): IssueRecord[] {
  const { store } = call;
  return store
    .allIssues()
    .filter((i) => i.issueTypeId !== ISSUE_TYPE.epic && i.issueTypeId !== ISSUE_TYPE.subtask)
    .filter((i) => !i.parentId || store.findIssue(i.parentId)?.issueTypeId !== ISSUE_TYPE.epic)
    .sort(byRank);
}

/** Puts issues under an epic (null: out of their epic). Sub-tasks follow their parent; epics cannot nest. */
function moveToEpic(call: Call, epic: IssueRecord | null): void {
  const issues = issuesFromBody(call);
  const refused = issues.find((i) => i.issueTypeId === ISSUE_TYPE.subtask || i.issueTypeId === ISSUE_TYPE.epic);
  if (refused) {
    throw badRequest([
      refused.issueTypeId === ISSUE_TYPE.epic
        ? `Issue ${refused.key} is an epic and cannot be added to another epic.`
        : `Issue ${refused.key} is a sub-task and cannot be added to an epic.`,
    ]);
  }
  for (const issue of issues) {
    if (epic === null && (!issue.parentId || call.store.findIssue(issue.parentId)?.issueTypeId !== ISSUE_TYPE.epic))
      continue;
    issue.parentId = epic?.id ?? null;
    call.store.touch(issue);
  }
  call.res.status(204).end();
}

function getAgileIssue({ req, res, store, view }: Call): void {
  const issue = store.findIssue(param(req, 'issueIdOrKey'));
  if (!issue) throw notFound('Issue does not exist or you do not have permission to see it.');
  sendJson(res, 200, agileIssueJson(issue, view, queryList(req, 'fields'), '*all', new Set(queryList(req, 'expand'))));
}

function parseAgileDate(value: unknown, field: string): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const stamp = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(stamp)) throw badRequest([], { [field]: `The ${field} is not a valid date.` });
  return stamp;
}

function createSprint({ req, res, store, view }: Call): void {
  const body = bodyObject(req);
  const errors: Record<string, string> = {};
  if (typeof body.name !== 'string' || !body.name.trim()) errors.name = 'Sprint name cannot be empty.';
  else if (body.name.length > 30) errors.name = 'Sprint name must not exceed 30 characters.';
  const board = store.boards.find((b) => b.id === Number(body.originBoardId));
  if (!board) errors.originBoardId = 'Board does not exist or you do not have permission to see it.';
  else if (board.type !== 'scrum') errors.originBoardId = 'The board does not support sprints';
  if (Object.keys(errors).length) throw badRequest([], errors);
  const sprint = store.createSprint(
    board!.id,
    String(body.name),
    typeof body.goal === 'string' ? body.goal : '',
    parseAgileDate(body.startDate, 'startDate') ?? null,
    parseAgileDate(body.endDate, 'endDate') ?? null,
  );
  sendJson(res, 201, sprintJson(sprint, view));
}

/** POST is a partial update, PUT a full one; state moves future → active → closed only. */
function updateSprint({ req, res, store, view }: Call, partial: boolean): void {
  const sprint = requireSprint(store, param(req, 'sprintId'));
  const body = bodyObject(req);
  const state = body.state;
  if (typeof body.name === 'string') sprint.name = body.name;
  else if (!partial) throw badRequest([], { name: 'Sprint name cannot be empty.' });
  if (typeof body.goal === 'string' || !partial) sprint.goal = typeof body.goal === 'string' ? body.goal : '';
  const start = parseAgileDate(body.startDate, 'startDate');
  const end = parseAgileDate(body.endDate, 'endDate');
  if (start !== undefined) sprint.startDate = start;
  if (end !== undefined) sprint.endDate = end;
  if (state !== undefined && state !== sprint.state) {
    const allowed =
      (sprint.state === 'future' && state === 'active') || (sprint.state === 'active' && state === 'closed');
    if (!allowed) throw badRequest([`Sprint state cannot be changed from '${sprint.state}' to '${String(state)}'.`]);
    if (state === 'active') {
      if (sprint.startDate === null || sprint.endDate === null)
        throw badRequest([], { startDate: 'Sprint cannot be started without a start and end date.' });
      if (store.sprints.some((s) => s.originBoardId === sprint.originBoardId && s.state === 'active')) {
        throw badRequest(['Another sprint is already active on this board.']);
      }
      sprint.state = 'active';
    } else {
      sprint.state = 'closed';
      sprint.completeDate = store.now();
    }
  }
  sendJson(res, 200, sprintJson(sprint, view));
}

function deleteSprint({ req, res, store }: Call): void {
  const sprint = requireSprint(store, param(req, 'sprintId'));
  if (sprint.state !== 'future') throw badRequest(['Only future sprints can be deleted.']);
  for (const issue of store.allIssues()) issue.sprintIds = issue.sprintIds.filter((id) => id !== sprint.id);
  store.sprints.splice(store.sprints.indexOf(sprint), 1);
  res.status(204).end();
}

function issuesFromBody(call: Call): IssueRecord[] {
  const body = bodyObject(call.req);
  if (!Array.isArray(body.issues) || body.issues.length === 0)
    throw badRequest([], { issues: 'At least one issue must be specified.' });
  if (body.issues.length > 50) throw badRequest(['Cannot move more than 50 issues at once.']);
  return body.issues.map((ref) => {
    const issue = typeof ref === 'string' || typeof ref === 'number' ? call.store.findIssue(String(ref)) : undefined;
    if (!issue)
      throw badRequest([
        `Issue '${String(isRecord(ref) ? JSON.stringify(ref) : ref)}' does not exist or you do not have permission to see it.`,
      ]);
    return issue;
  });
}

function moveToSprint(call: Call): void {
  const sprint = requireSprint(call.store, param(call.req, 'sprintId'));
  if (sprint.state === 'closed') throw badRequest(['Cannot move issues to a closed sprint.']);
  const issues = issuesFromBody(call);
  if (issues.some((i) => i.issueTypeId === ISSUE_TYPE.subtask))
    throw badRequest(['Sub-tasks cannot be moved independently of their parent issue.']);
  call.store.moveToSprint(sprint, issues);
  call.res.status(204).end();
}

function moveToBacklog(call: Call): void {
  const { store } = call;
  for (const issue of issuesFromBody(call)) {
    issue.sprintIds = issue.sprintIds.filter((id) => store.sprints.find((s) => s.id === id)?.state === 'closed');
    store.touch(issue);
  }
  call.res.status(204).end();
}
