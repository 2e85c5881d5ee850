// Jira Software boards and sprints (toolset jira_agile), limited to the allowed projects.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { SEARCH_ROW_FIELDS, issueFields, prune, searchRow, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { projectOfIssueKey, restrictQuery } from '../../scope';
import { decodeCursor, encodeCursor, jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { FIELDS_HELP, list, allowIssue, allowProject, attempt } from './shared';
import { textOf } from '../../../core/text';

/** An ISO 8601 date-time for the Agile API (a bare date means midnight UTC). */
function agileDate(value: unknown, argument: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new InputError(
      `Invalid argument \`${argument}\`: expected an ISO 8601 date or date-time such as 2026-11-20T09:00:00Z, got ${JSON.stringify(value)}.`,
    );
  return new Date(ms).toISOString();
}

function sprintView(s: Json): Json {
  return prune({
    id: s.id,
    name: s.name,
    state: s.state,
    start: shortDate(s.startDate),
    end: shortDate(s.endDate),
    goal: s.goal || undefined,
    board_id: s.originBoardId,
  });
}

/** With JIRA_PROJECTS_FILTER set, a board must belong to an allowed project (its location says which). */
async function allowBoard(ctx: ToolContext, jira: JiraApi, boardId: number, argument: string): Promise<void> {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  const board = await attempt(`Board ${boardId}`, () => jira.board(boardId, ctx.signal));
  const project = textOf((board.location as Json | undefined)?.projectKey, '').toUpperCase();
  if (!project || !allowed.includes(project)) {
    throw new InputError(
      `Invalid argument \`${argument}\`: board ${boardId} belongs to ${project ? `project ${project}` : 'no single project'}, outside this bridge's allowed projects (${allowed.join(', ')}).`,
    );
  }
}

async function allowSprint(ctx: ToolContext, jira: JiraApi, sprintId: number): Promise<void> {
  if (!ctx.config.projectsFilter) return;
  const sprint = await attempt(`Sprint ${sprintId}`, () => jira.sprint(sprintId, ctx.signal));
  await allowBoard(ctx, jira, Number(sprint.originBoardId), 'sprint_id');
}

export const jiraGetAgileBoards: ToolDef = {
  name: 'jira_get_agile_boards',
  title: 'Get Jira boards',
  description:
    'Find Jira Software agile boards (Scrum, Kanban) by name, project or type; a board id leads to its sprints and issues.',
  toolset: 'jira_agile',
  product: 'jira',
  params: {
    board_name: p.str(),
    project_key: p.str(),
    board_type: p.oneOf(['scrum', 'kanban']),
    limit: p.int('Default 10', 1, 50),
    start_at: p.int(undefined, 0),
  },
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    if (args.project_key) allowProject(ctx, textOf(args.project_key), 'project_key');
    const page = await jira.boards(
      {
        name: args.board_name as string | undefined,
        projectKeyOrId: args.project_key as string | undefined,
        type: args.board_type as string | undefined,
        maxResults: (args.limit as number | undefined) ?? 10,
        startAt: args.start_at as number | undefined,
      },
      ctx.signal,
    );
    const allowed = ctx.config.projectsFilter;
    return ((page.values as Json[] | undefined) ?? [])
      .filter(
        (b) => !allowed || allowed.includes(textOf((b.location as Json | undefined)?.projectKey, '').toUpperCase()),
      )
      .map((b) =>
        prune({ id: b.id, name: b.name, type: b.type, project: (b.location as Json | undefined)?.projectKey }),
      );
  },
};

export const jiraGetSprintsFromBoard: ToolDef = {
  name: 'jira_get_sprints_from_board',
  title: 'Get Jira sprints',
  description:
    'Sprints of a Scrum board (active, future, closed) with ids, dates and goals; use a sprint id with jira_get_sprint_issues or in JQL (sprint = 123).',
  toolset: 'jira_agile',
  product: 'jira',
  params: {
    board_id: p.int('Board id'),
    state: p.oneOf(['active', 'future', 'closed']),
    limit: p.int('Default 10', 1, 50),
    start_at: p.int(undefined, 0),
  },
  required: ['board_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    await allowBoard(ctx, jira, args.board_id as number, 'board_id');
    const page = await attempt(`Board ${String(args.board_id)}`, () =>
      jira.sprints(
        args.board_id as number,
        {
          state: args.state as string | undefined,
          maxResults: (args.limit as number | undefined) ?? 10,
          startAt: args.start_at as number | undefined,
        },
        ctx.signal,
      ),
    );
    return ((page.values as Json[] | undefined) ?? []).map((s) =>
      prune({
        id: s.id,
        name: s.name,
        state: s.state,
        start: shortDate(s.startDate),
        end: shortDate(s.endDate),
        goal: s.goal || undefined,
      }),
    );
  },
};

export const jiraGetSprintIssues: ToolDef = {
  name: 'jira_get_sprint_issues',
  title: 'Get Jira sprint issues',
  description:
    'Issues in a Jira sprint (the sprint backlog) with status and assignee, or the `fields` you name (e.g. story points); narrow them with JQL.',
  toolset: 'jira_agile',
  product: 'jira',
  params: {
    sprint_id: p.int('Sprint id'),
    jql: p.str('Further JQL condition within the sprint'),
    fields: p.str(FIELDS_HELP),
    limit: p.int('Default 10', 1, 50),
    start_at: p.int(undefined, 0),
  },
  required: ['sprint_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    await allowSprint(ctx, jira, args.sprint_id as number);
    const fields = list(args.fields);
    const allowed = ctx.config.projectsFilter;
    const page = await attempt(`Sprint ${String(args.sprint_id)}`, () =>
      jira.sprintIssues(
        args.sprint_id as number,
        {
          fields: fields ?? [...SEARCH_ROW_FIELDS],
          maxResults: (args.limit as number | undefined) ?? 10,
          startAt: args.start_at as number | undefined,
          jql: restrictQuery(textOf(args.jql, ''), 'project', allowed, 'JQL', 'jql') || undefined,
        },
        ctx.signal,
      ),
    );
    const issues = ((page.issues as Json[] | undefined) ?? []).filter(
      (i) => !allowed || allowed.includes(projectOfIssueKey(String(i.key)) ?? ''),
    );
    return prune({
      issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
      total: issues.length === ((page.issues as Json[] | undefined) ?? []).length ? page.total : undefined,
    });
  },
};

export const jiraAddIssuesToSprint: ToolDef = {
  name: 'jira_add_issues_to_sprint',
  title: 'Add issues to Jira sprint',
  description: 'Move Jira issues into a sprint (sprint planning); they leave the sprint they were in.',
  toolset: 'jira_agile',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { sprint_id: p.int('Sprint id'), issue_keys: p.str('Comma-separated issue keys') },
  required: ['sprint_id', 'issue_keys'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const keys = list(args.issue_keys) ?? [];
    await allowSprint(ctx, jira, args.sprint_id as number);
    for (const key of keys) await allowIssue(ctx, jira, key);
    await attempt(`Sprint ${String(args.sprint_id)}`, () =>
      jira.moveToSprint(args.sprint_id as number, keys, ctx.signal),
    );
    return { sprint_id: args.sprint_id, added: keys };
  },
};

export const jiraGetBoardIssues: ToolDef = {
  name: 'jira_get_board_issues',
  title: 'Get Jira board issues',
  description:
    'Issues on a Jira agile board (Scrum or Kanban), optionally narrowed by JQL; `fields` is honoured (e.g. story points). Returns next_page_token when more exist.',
  toolset: 'jira_agile',
  product: 'jira',
  params: {
    board_id: p.int('Board id (see jira_get_agile_boards)'),
    jql: p.str('JQL condition within the board, e.g. status = "In Progress"'),
    fields: p.str(FIELDS_HELP),
    limit: p.int('Issues per page (default 10)', 1, 50),
    start_at: p.int('Offset of the first issue (prefer page_token)', 0),
    page_token: p.str('next_page_token from the previous page'),
    expand: p.str('Jira expand, e.g. changelog'),
  },
  required: ['board_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const boardId = args.board_id as number;
    await allowBoard(ctx, jira, boardId, 'board_id');
    const allowed = ctx.config.projectsFilter;
    const fields = list(args.fields);
    const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
    const startAt = (cursor?.s as number | undefined) ?? (args.start_at as number | undefined) ?? 0;
    const page = await attempt(`Board ${boardId}`, () =>
      jira.boardIssues(
        boardId,
        {
          jql: restrictQuery(textOf(args.jql, ''), 'project', allowed, 'JQL', 'jql') || undefined,
          fields: fields ?? [...SEARCH_ROW_FIELDS],
          maxResults: (args.limit as number | undefined) ?? 10,
          startAt,
          expand: args.expand as string | undefined,
        },
        ctx.signal,
      ),
    );
    const returned = (page.issues as Json[] | undefined) ?? [];
    const issues = returned.filter((i) => !allowed || allowed.includes(projectOfIssueKey(String(i.key)) ?? ''));
    const total = typeof page.total === 'number' && issues.length === returned.length ? page.total : undefined;
    const next = startAt + returned.length;
    return prune({
      issues: issues.map((i) => (fields ? issueFields(i, fields, jira.flavour) : searchRow(i))),
      total,
      next_page_token:
        returned.length > 0 && total !== undefined && next < total ? encodeCursor({ s: next }) : undefined,
    });
  },
};

export const jiraCreateSprint: ToolDef = {
  name: 'jira_create_sprint',
  title: 'Create Jira sprint',
  description:
    'Create a future sprint on a Jira Scrum board, with optional dates (ISO 8601: 2026-11-20 or 2026-11-20T09:00:00Z) and goal.',
  toolset: 'jira_agile',
  product: 'jira',
  write: true,
  params: {
    board_id: p.int('Board id (see jira_get_agile_boards)'),
    name: p.str('Sprint name, e.g. "Sprint 12"'),
    start_date: p.str('Start (ISO 8601)'),
    end_date: p.str('End (ISO 8601)'),
    goal: p.str('Sprint goal'),
  },
  required: ['board_id', 'name'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const boardId = args.board_id as number;
    const startDate = agileDate(args.start_date, 'start_date');
    const endDate = agileDate(args.end_date, 'end_date');
    if (startDate && endDate && endDate < startDate)
      throw new InputError('Invalid argument `end_date`: it is before start_date.');
    await allowBoard(ctx, jira, boardId, 'board_id');
    const sprint = await attempt(`Board ${boardId}`, () =>
      jira.createSprint(
        prune({
          originBoardId: boardId,
          name: String(args.name).trim(),
          startDate,
          endDate,
          goal: args.goal as string | undefined,
        }),
        ctx.signal,
      ),
    );
    return sprintView(sprint);
  },
};

export const jiraUpdateSprint: ToolDef = {
  name: 'jira_update_sprint',
  title: 'Update Jira sprint',
  description:
    'Change a Jira sprint: rename it, change its dates or goal, start it (state "active") or complete it (state "closed"). Only the values given change. Starting needs start and end dates.',
  toolset: 'jira_agile',
  product: 'jira',
  write: true,
  destructive: true,
  params: {
    sprint_id: p.int('Sprint id (see jira_get_sprints_from_board)'),
    name: p.str('New name'),
    state: p.oneOf(['future', 'active', 'closed'], 'New state: active starts the sprint, closed completes it'),
    start_date: p.str('New start (ISO 8601)'),
    end_date: p.str('New end (ISO 8601)'),
    goal: p.str('New goal'),
  },
  required: ['sprint_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const sprintId = args.sprint_id as number;
    const changes: Json = prune({
      name: typeof args.name === 'string' ? args.name.trim() : undefined,
      state: args.state as string | undefined,
      startDate: agileDate(args.start_date, 'start_date'),
      endDate: agileDate(args.end_date, 'end_date'),
      goal: args.goal as string | undefined,
    });
    if (Object.keys(changes).length === 0)
      throw new InputError('Missing arguments: give at least one of name, state, start_date, end_date or goal.');
    await allowSprint(ctx, jira, sprintId);
    const sprint = await attempt(`Sprint ${sprintId}`, () => jira.updateSprint(sprintId, changes, ctx.signal));
    return sprintView(sprint);
  },
};
