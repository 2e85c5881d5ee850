// Turns store records into the JSON Jira sends: absolute `self` links, Jira's timestamp format, ADF
// on Cloud v3 and wiki strings on v2/Data Center, users by accountId (Cloud) or username (DC).
import type { SandboxUser } from '../data/users';
import { adfToWiki, richTextToHtml, wikiToAdf, type RichText } from './adf';
import {
  CHANGE_RISK_OPTIONS,
  CUSTOM_FIELD,
  ISSUE_TYPES,
  LINK_TYPES,
  PRIORITIES,
  RESOLUTIONS,
  STATUS_CATEGORIES,
  STATUSES,
  type AttachmentRecord,
  type BoardRecord,
  type CommentRecord,
  type HistoryRecord,
  type IssueRecord,
  type IssueTypeDef,
  type LinkRecord,
  type PriorityDef,
  type ProjectRecord,
  type RemoteLinkRecord,
  type SprintRecord,
  type StatusDef,
  type TransitionDef,
  type VersionRecord,
  type WorklogRecord,
} from './model';
import { userKeyOf, usernameOf, type JiraStore } from './store';

export interface View {
  /** Absolute Jira base of this route (gateway or site URL), no trailing slash. */
  readonly base: string;
  /** The path version as requested: '2', '3' or 'latest' (used in self links). */
  readonly apiVersion: string;
  /** Rich text as ADF (Cloud v3) rather than wiki strings (v2, latest, Data Center). */
  readonly adf: boolean;
  readonly dc: boolean;
  readonly store: JiraStore;
  readonly me: SandboxUser;
}

export type Json = Record<string, unknown>;

export function api(view: View): string {
  return `${view.base}/rest/api/${view.apiVersion}`;
}

/** Jira's timestamp format: `2021-01-17T12:34:00.000+0000`. */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Agile and sprint dates use plain ISO strings with `Z`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function richText(value: RichText | null, view: View): unknown {
  if (value === null) return null;
  if (view.adf) return typeof value === 'string' ? wikiToAdf(value) : value;
  return typeof value === 'string' ? value : adfToWiki(value);
}

// --- users -------------------------------------------------------------------------------------------

/** User avatars come from the sandbox's own asset route, so nothing ever reaches the network. */
function userAvatarUrls(view: View, user: SandboxUser): Json {
  const path = `${new URL(view.base).origin}/_assets/avatars/user/${encodeURIComponent(user.accountId)}.svg`;
  return { '48x48': path, '24x24': `${path}?size=24`, '16x16': `${path}?size=16`, '32x32': `${path}?size=32` };
}

function projectAvatarUrls(view: View, projectId: string): Json {
  const path = `${view.base}/rest/api/2/universal_avatar/view/type/project/avatar/${10400 + (Number(projectId) % 10)}`;
  return {
    '48x48': path,
    '24x24': `${path}?size=small`,
    '16x16': `${path}?size=xsmall`,
    '32x32': `${path}?size=medium`,
  };
}

export function userJson(user: SandboxUser | null, view: View): Json | null {
  if (!user) return null;
  if (view.dc) {
    const name = usernameOf(user);
    return {
      self: `${api(view)}/user?username=${encodeURIComponent(name)}`,
      name,
      key: userKeyOf(user),
      emailAddress: user.email,
      avatarUrls: userAvatarUrls(view, user),
      displayName: user.displayName,
      active: true,
      timeZone: user.timeZone,
    };
  }
  return {
    self: `${api(view)}/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    emailAddress: user.email,
    avatarUrls: userAvatarUrls(view, user),
    displayName: user.displayName,
    active: true,
    timeZone: user.timeZone,
    accountType: 'atlassian',
  };
}

export function myselfJson(user: SandboxUser, view: View): Json {
  return {
    ...userJson(user, view),
    locale: 'en_US',
    groups: { size: 2, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  };
}

// --- configuration objects ----------------------------------------------------------------------------

export function statusCategoryJson(key: string, view: View): Json {
  const category = STATUS_CATEGORIES.find((c) => c.key === key) ?? STATUS_CATEGORIES[0]!;
  return {
    self: `${api(view)}/statuscategory/${category.id}`,
    id: category.id,
    key: category.key,
    colorName: category.colorName,
    name: category.name,
  };
}

export function statusJson(status: StatusDef, view: View): Json {
  return {
    self: `${api(view)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${view.base}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: statusCategoryJson(status.category, view),
  };
}

export function statusById(id: string): StatusDef {
  return STATUSES.find((s) => s.id === id) ?? STATUSES[0]!;
}

export function issueTypeJson(type: IssueTypeDef, view: View): Json {
  return {
    self: `${api(view)}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${view.base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
    name: type.name,
    untranslatedName: type.name,
    subtask: type.subtask,
    avatarId: type.avatarId,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function issueTypeById(id: string): IssueTypeDef {
  return ISSUE_TYPES.find((t) => t.id === id) ?? ISSUE_TYPES[2]!;
}

export function priorityJson(priority: PriorityDef, view: View, full = false): Json {
  const base: Json = {
    self: `${api(view)}/priority/${priority.id}`,
    iconUrl: `${view.base}/images/icons/priorities/${priority.icon}.svg`,
    name: priority.name,
    id: priority.id,
  };
  return full
    ? {
        ...base,
        statusColor: priority.statusColor,
        description: priority.description,
        isDefault: priority.name === 'Medium',
      }
    : base;
}

export function priorityById(id: string): PriorityDef {
  return PRIORITIES.find((p) => p.id === id) ?? PRIORITIES[2]!;
}

export function resolutionJson(id: string | null, view: View): Json | null {
  const resolution = RESOLUTIONS.find((r) => r.id === id);
  return resolution
    ? {
        self: `${api(view)}/resolution/${resolution.id}`,
        id: resolution.id,
        description: resolution.description,
        name: resolution.name,
      }
    : null;
}

export function projectJson(project: ProjectRecord, view: View, detail = false): Json {
  const out: Json = {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${api(view)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    avatarUrls: projectAvatarUrls(view, project.id),
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
  if (view.dc) {
    delete out.simplified;
    delete out.style;
    delete out.isPrivate;
    delete out.properties;
  }
  if (!detail) return out;
  const store = view.store;
  return {
    ...out,
    description: project.description,
    lead: userJson(store.user(project.leadAccountId), view),
    components: project.components.map((_name, i) => componentJson(project, i, view)),
    issueTypes: project.issueTypeIds.map((id) => issueTypeJson(issueTypeById(id), view)),
    assigneeType: 'UNASSIGNED',
    versions: store.versionsOf(project).map((v) => versionJson(v, view)),
    roles: {},
  };
}

/** A project's component (the seed names them; ids follow the project's id). */
export function componentJson(project: ProjectRecord, index: number, view: View): Json {
  return {
    self: `${api(view)}/component/${componentId(project, index)}`,
    id: componentId(project, index),
    name: project.components[index],
    isAssigneeTypeValid: false,
  };
}

export function componentId(project: ProjectRecord, index: number): string {
  return String(Number(project.id) * 10 + index);
}

/** A Change risk option as Jira shows a select field's value. */
export function changeRiskJson(id: string, view: View): Json | null {
  const option = CHANGE_RISK_OPTIONS.find((o) => o.id === id);
  return option ? { self: `${api(view)}/customFieldOption/${option.id}`, value: option.value, id: option.id } : null;
}

/** An attachment as GET /attachment/{id} and the issue's `attachment` field show it. */
export function attachmentJson(attachment: AttachmentRecord, view: View): Json {
  const out: Json = {
    self: `${api(view)}/attachment/${attachment.id}`,
    id: attachment.id,
    filename: attachment.filename,
    author: userJson(view.store.user(attachment.authorId), view),
    created: jiraDate(attachment.created),
    size: attachment.data.length,
    mimeType: attachment.mimeType,
    content: `${api(view)}/attachment/content/${attachment.id}`,
  };
  if (attachment.mimeType.startsWith('image/')) out.thumbnail = `${api(view)}/attachment/thumbnail/${attachment.id}`;
  return out;
}

export function versionJson(version: VersionRecord, view: View): Json {
  const out: Json = {
    self: `${api(view)}/version/${version.id}`,
    id: version.id,
    name: version.name,
    archived: version.archived,
    released: version.released,
    projectId: Number(version.projectId),
  };
  if (version.description) out.description = version.description;
  if (version.startDate) out.startDate = version.startDate;
  if (version.releaseDate) {
    out.releaseDate = version.releaseDate;
    out.overdue = !version.released && Date.parse(version.releaseDate) + 86_400_000 <= view.store.now();
  }
  return out;
}

/** A remote link as GET /issue/{key}/remotelink lists it (ids are numbers there). */
export function remoteLinkJson(link: RemoteLinkRecord, view: View): Json {
  const issue = view.store.findIssue(link.issueId);
  const out: Json = {
    id: Number(link.id),
    self: `${api(view)}/issue/${issue?.key ?? link.issueId}/remotelink/${link.id}`,
  };
  if (link.globalId !== null) out.globalId = link.globalId;
  out.application = link.application ?? {};
  if (link.relationship !== null) out.relationship = link.relationship;
  out.object = { icon: {}, ...link.object };
  return out;
}

export function linkTypeJson(id: string, view: View): Json {
  const type = LINK_TYPES.find((t) => t.id === id) ?? LINK_TYPES[0]!;
  return {
    id: type.id,
    name: type.name,
    inward: type.inward,
    outward: type.outward,
    self: `${api(view)}/issueLinkType/${type.id}`,
  };
}

export function transitionJson(transition: TransitionDef, view: View): Json {
  return {
    id: transition.id,
    name: transition.name,
    to: statusJson(statusById(transition.to), view),
    // Transitions that resolve the issue show a screen asking for the resolution, as Jira's default workflow does.
    hasScreen: transition.resolutionId !== undefined,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}

/**
 * The fields a transition's screen asks for (`expand=transitions.fields`): the resolution where it
 * resolves, required with a default (Done) or required without one (Won't Do: the person picks).
 */
export function transitionFieldsJson(transition: TransitionDef, view: View): Json {
  if (transition.resolutionId === undefined) return {};
  return {
    resolution: {
      required: true,
      schema: { type: 'resolution', system: 'resolution' },
      name: 'Resolution',
      key: 'resolution',
      hasDefaultValue: transition.resolutionRequired !== true,
      operations: ['set'],
      allowedValues: RESOLUTIONS.map((r) => resolutionJson(r.id, view)),
    },
  };
}

/** Changes Jira Cloud returns with an issue (`expand=changelog`). */
const CLOUD_EXPANDED_CHANGES = 100;

export function historyJson(history: HistoryRecord, view: View): Json {
  return {
    id: history.id,
    author: userJson(view.store.user(history.authorId), view),
    created: jiraDate(history.created),
    items: history.items.map((item) => ({ ...item, fieldtype: 'jira' })),
  };
}

// --- comments and worklogs ---------------------------------------------------------------------------

export function commentJson(issue: IssueRecord, comment: CommentRecord, view: View, rendered = false): Json {
  const out: Json = {
    self: `${api(view)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: userJson(view.store.user(comment.authorId), view),
    body: richText(comment.body, view),
    updateAuthor: userJson(view.store.user(comment.updateAuthorId), view),
    created: jiraDate(comment.created),
    updated: jiraDate(comment.updated),
  };
  if (rendered) out.renderedBody = richTextToHtml(comment.body);
  if (!view.dc) out.jsdPublic = true;
  return out;
}

/** "3h 20m", "1d 2h" — Jira's duration format (8-hour days, 5-day weeks). */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['w', 5 * 8 * 3600],
    ['d', 8 * 3600],
    ['h', 3600],
    ['m', 60],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  return parts.length ? parts.join(' ') : '0m';
}

export function worklogJson(issue: IssueRecord, worklog: WorklogRecord, view: View): Json {
  const out: Json = {
    self: `${api(view)}/issue/${issue.id}/worklog/${worklog.id}`,
    author: userJson(view.store.user(worklog.authorId), view),
    updateAuthor: userJson(view.store.user(worklog.updateAuthorId), view),
    created: jiraDate(worklog.created),
    updated: jiraDate(worklog.updated),
    started: jiraDate(worklog.started),
    timeSpent: formatDuration(worklog.timeSpentSeconds),
    timeSpentSeconds: worklog.timeSpentSeconds,
    id: worklog.id,
    issueId: issue.id,
  };
  if (worklog.comment !== null) out.comment = richText(worklog.comment, view);
  return out;
}

// --- issues ----------------------------------------------------------------------------------------

function issueRef(issue: IssueRecord, view: View): Json {
  return {
    id: issue.id,
    key: issue.key,
    self: `${api(view)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusJson(statusById(issue.statusId), view),
      priority: priorityJson(priorityById(issue.priorityId), view),
      issuetype: issueTypeJson(issueTypeById(issue.issueTypeId), view),
    },
  };
}

export function linkJson(link: LinkRecord, view: View): Json {
  const store = view.store;
  const inward = store.findIssue(link.inwardId);
  const outward = store.findIssue(link.outwardId);
  return {
    id: link.id,
    self: `${api(view)}/issueLink/${link.id}`,
    type: linkTypeJson(link.typeId, view),
    inwardIssue: inward ? issueRef(inward, view) : null,
    outwardIssue: outward ? issueRef(outward, view) : null,
  };
}

/** The link as one side sees it: the other issue under its role ("A blocks B": A lists B as outwardIssue). */
function issueLinkEntry(issue: IssueRecord, link: LinkRecord, view: View): Json | null {
  const otherId = link.inwardId === issue.id ? link.outwardId : link.inwardId;
  const other = view.store.findIssue(otherId);
  if (!other) return null;
  const role = link.inwardId === issue.id ? 'outwardIssue' : 'inwardIssue';
  return {
    id: link.id,
    self: `${api(view)}/issueLink/${link.id}`,
    type: linkTypeJson(link.typeId, view),
    [role]: issueRef(other, view),
  };
}

export function sprintJson(sprint: SprintRecord, view: View, forField = false): Json {
  const out: Json = {
    id: sprint.id,
    ...(forField ? {} : { self: `${view.base}/rest/agile/1.0/sprint/${sprint.id}` }),
    state: sprint.state,
    name: sprint.name,
    ...(sprint.startDate !== null ? { startDate: isoDate(sprint.startDate) } : {}),
    ...(sprint.endDate !== null ? { endDate: isoDate(sprint.endDate) } : {}),
    ...(sprint.completeDate !== null ? { completeDate: isoDate(sprint.completeDate) } : {}),
    ...(forField ? {} : { createdDate: isoDate(sprint.createdDate) }),
    originBoardId: sprint.originBoardId,
    goal: sprint.goal,
  };
  if (forField) {
    out.boardId = sprint.originBoardId;
    delete out.originBoardId;
  }
  return out;
}

export function boardJson(board: BoardRecord, view: View): Json {
  const project = view.store.findProject(board.projectKey);
  return {
    id: board.id,
    self: `${view.base}/rest/agile/1.0/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: project
      ? {
          projectId: Number(project.id),
          displayName: `${project.name} (${project.key})`,
          projectName: project.name,
          projectKey: project.key,
          projectTypeKey: project.projectTypeKey,
          avatarURI: `${view.base}/secure/projectavatar?size=small&pid=${project.id}`,
          name: `${project.name} (${project.key})`,
        }
      : undefined,
  };
}

function timeTracking(issue: IssueRecord): Json {
  const spent = issue.worklogs.reduce((s, w) => s + w.timeSpentSeconds, 0);
  const out: Json = {};
  if (issue.originalEstimateSeconds !== null) {
    out.originalEstimate = formatDuration(issue.originalEstimateSeconds);
    out.remainingEstimate = formatDuration(issue.remainingEstimateSeconds ?? 0);
  }
  if (spent) out.timeSpent = formatDuration(spent);
  if (issue.originalEstimateSeconds !== null) {
    out.originalEstimateSeconds = issue.originalEstimateSeconds;
    out.remainingEstimateSeconds = issue.remainingEstimateSeconds ?? 0;
  }
  if (spent) out.timeSpentSeconds = spent;
  return out;
}

function progress(issue: IssueRecord): Json {
  const spent = issue.worklogs.reduce((s, w) => s + w.timeSpentSeconds, 0);
  const remaining = issue.remainingEstimateSeconds ?? 0;
  const total = spent + remaining;
  return total ? { progress: spent, total, percent: Math.round((spent / total) * 100) } : { progress: 0, total: 0 };
}

/** Every field of an issue, keyed by field id, as GET /issue returns with fields=*all. */
export function issueFields(issue: IssueRecord, view: View, maxComments = Infinity): Json {
  const store = view.store;
  const project = store.projectOf(issue);
  const parent = issue.parentId ? store.findIssue(issue.parentId) : undefined;
  const spent = issue.worklogs.reduce((s, w) => s + w.timeSpentSeconds, 0);
  const comments = issue.comments.slice(0, maxComments);
  const fields: Json = {
    statuscategorychangedate: jiraDate(issue.statusCategoryChangeDate),
    issuetype: issueTypeJson(issueTypeById(issue.issueTypeId), view),
    timespent: spent || null,
    project: projectJson(project, view),
    fixVersions: (issue.fixVersionIds ?? [])
      .map((id) => store.versions.find((v) => v.id === id))
      .filter((v) => v !== undefined)
      .map((v) => versionJson(v, view)),
    aggregatetimespent: spent || null,
    resolution: resolutionJson(issue.resolutionId, view),
    resolutiondate: issue.resolutionDate === null ? null : jiraDate(issue.resolutionDate),
    workratio: issue.originalEstimateSeconds ? Math.round((spent / issue.originalEstimateSeconds) * 100) : -1,
    watches: {
      self: `${api(view)}/issue/${issue.key}/watchers`,
      watchCount: issue.watcherIds.length,
      isWatching: issue.watcherIds.includes(view.me.accountId),
    },
    lastViewed: null,
    created: jiraDate(issue.created),
    priority: priorityJson(priorityById(issue.priorityId), view),
    labels: [...issue.labels],
    aggregatetimeoriginalestimate: issue.originalEstimateSeconds,
    timeestimate: issue.remainingEstimateSeconds,
    versions: [],
    issuelinks: store
      .linksOf(issue)
      .map((l) => issueLinkEntry(issue, l, view))
      .filter((l) => l !== null),
    assignee: userJson(store.user(issue.assigneeId), view),
    updated: jiraDate(issue.updated),
    status: statusJson(statusById(issue.statusId), view),
    components: (issue.componentIds ?? [])
      .map((id) => project.components.findIndex((_c, i) => componentId(project, i) === id))
      .filter((i) => i >= 0)
      .map((i) => componentJson(project, i, view)),
    timeoriginalestimate: issue.originalEstimateSeconds,
    description: richText(issue.description, view),
    timetracking: timeTracking(issue),
    security: null,
    attachment: store.attachmentsOf(issue).map((a) => attachmentJson(a, view)),
    aggregatetimeestimate: issue.remainingEstimateSeconds,
    summary: issue.summary,
    creator: userJson(store.user(issue.creatorId), view),
    subtasks: store.subtasksOf(issue).map((s) => issueRef(s, view)),
    reporter: userJson(store.user(issue.reporterId), view),
    aggregateprogress: progress(issue),
    environment: richText(issue.environment, view),
    duedate: issue.dueDate,
    progress: progress(issue),
    votes: { self: `${api(view)}/issue/${issue.key}/votes`, votes: 0, hasVoted: false },
    comment: {
      comments: comments.map((c) => commentJson(issue, c, view)),
      self: `${api(view)}/issue/${issue.id}/comment`,
      maxResults: comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
    worklog: {
      startAt: 0,
      maxResults: 20,
      total: issue.worklogs.length,
      worklogs: issue.worklogs.slice(0, 20).map((w) => worklogJson(issue, w, view)),
    },
    [CUSTOM_FIELD.storyPoints]: issue.storyPoints,
    [CUSTOM_FIELD.sprint]: issue.sprintIds.length
      ? issue.sprintIds
          .map((id) => store.sprints.find((s) => s.id === id))
          .filter((s) => s !== undefined)
          .map((s) => sprintJson(s, view, true))
      : null,
    [CUSTOM_FIELD.rank]: lexoRank(issue.rank),
  };
  const changeRisk = issue.customValues?.[CUSTOM_FIELD.changeRisk];
  if (typeof changeRisk === 'string') fields[CUSTOM_FIELD.changeRisk] = changeRiskJson(changeRisk, view);
  if (parent) fields.parent = issueRef(parent, view);
  if (!view.dc) fields.issuerestriction = { issuerestrictions: {}, shouldDisplay: false };
  return fields;
}

function lexoRank(rank: number): string {
  return `0|i${Math.round(rank).toString(36).padStart(5, '0')}:`;
}

// --- field catalog -------------------------------------------------------------------------------------

export interface FieldDef {
  readonly id: string;
  readonly name: string;
  readonly schema: Json;
  readonly navigable: boolean;
  readonly orderable: boolean;
  readonly searchable: boolean;
  readonly clauseNames: readonly string[];
}

const sys = (
  id: string,
  name: string,
  schema: Json,
  clauseNames: readonly string[],
  flags: Partial<Pick<FieldDef, 'navigable' | 'orderable' | 'searchable'>> = {},
): FieldDef => ({
  id,
  name,
  schema: { ...schema, system: id },
  clauseNames,
  navigable: flags.navigable ?? true,
  orderable: flags.orderable ?? true,
  searchable: flags.searchable ?? true,
});

export const FIELD_DEFS: readonly FieldDef[] = [
  sys('summary', 'Summary', { type: 'string' }, ['summary']),
  sys('description', 'Description', { type: 'string' }, ['description']),
  sys('environment', 'Environment', { type: 'string' }, ['environment']),
  sys('issuetype', 'Issue Type', { type: 'issuetype' }, ['issuetype', 'type']),
  sys('project', 'Project', { type: 'project' }, ['project']),
  sys('status', 'Status', { type: 'status' }, ['status'], { orderable: false }),
  sys('statusCategory', 'Status Category', { type: 'statusCategory' }, ['statusCategory'], { orderable: false }),
  sys('resolution', 'Resolution', { type: 'resolution' }, ['resolution']),
  sys('resolutiondate', 'Resolved', { type: 'datetime' }, ['resolutiondate', 'resolved'], { orderable: false }),
  sys('priority', 'Priority', { type: 'priority' }, ['priority']),
  sys('assignee', 'Assignee', { type: 'user' }, ['assignee']),
  sys('reporter', 'Reporter', { type: 'user' }, ['reporter']),
  sys('creator', 'Creator', { type: 'user' }, ['creator'], { orderable: false }),
  sys('labels', 'Labels', { type: 'array', items: 'string' }, ['labels']),
  sys('created', 'Created', { type: 'datetime' }, ['created', 'createdDate'], { orderable: false }),
  sys('updated', 'Updated', { type: 'datetime' }, ['updated', 'updatedDate'], { orderable: false }),
  sys('duedate', 'Due date', { type: 'date' }, ['due', 'duedate']),
  sys('statuscategorychangedate', 'Status Category Changed', { type: 'datetime' }, ['statusCategoryChangedDate'], {
    orderable: false,
  }),
  sys('lastViewed', 'Last Viewed', { type: 'datetime' }, ['lastViewed'], { orderable: false }),
  sys('watches', 'Watchers', { type: 'watches' }, ['watchers'], { orderable: false }),
  sys('votes', 'Votes', { type: 'votes' }, ['votes'], { orderable: false }),
  sys('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks' }, ['issueLink']),
  sys('subtasks', 'Sub-tasks', { type: 'array', items: 'issuelinks' }, ['subtasks'], { orderable: false }),
  sys('parent', 'Parent', { type: 'issuelink' }, ['parent']),
  sys('components', 'Components', { type: 'array', items: 'component' }, ['component']),
  sys('fixVersions', 'Fix versions', { type: 'array', items: 'version' }, ['fixVersion']),
  sys('versions', 'Affects versions', { type: 'array', items: 'version' }, ['affectedVersion']),
  sys('attachment', 'Attachment', { type: 'array', items: 'attachment' }, ['attachments']),
  sys('comment', 'Comment', { type: 'comments-page' }, ['comment'], { navigable: false }),
  sys('worklog', 'Log Work', { type: 'array', items: 'worklog' }, ['worklogComment', 'worklogDate'], {
    navigable: false,
  }),
  sys('timetracking', 'Time tracking', { type: 'timetracking' }, [], { navigable: false }),
  sys('timeoriginalestimate', 'Original estimate', { type: 'number' }, ['originalEstimate'], { orderable: false }),
  sys('timeestimate', 'Remaining Estimate', { type: 'number' }, ['remainingEstimate'], { orderable: false }),
  sys('timespent', 'Time Spent', { type: 'number' }, ['timespent'], { orderable: false }),
  sys('aggregatetimeoriginalestimate', 'Σ Original Estimate', { type: 'number' }, [], {
    orderable: false,
    searchable: false,
  }),
  sys('aggregatetimeestimate', 'Σ Remaining Estimate', { type: 'number' }, [], { orderable: false, searchable: false }),
  sys('aggregatetimespent', 'Σ Time Spent', { type: 'number' }, [], { orderable: false, searchable: false }),
  sys('progress', 'Progress', { type: 'progress' }, ['progress'], { orderable: false }),
  sys('aggregateprogress', 'Σ Progress', { type: 'progress' }, [], { orderable: false, searchable: false }),
  sys('workratio', 'Work Ratio', { type: 'number' }, ['workratio'], { orderable: false }),
  sys('security', 'Security Level', { type: 'securitylevel' }, ['level']),
  sys('issuerestriction', 'Restrict to', { type: 'issuerestriction' }, [], { searchable: false }),
  {
    id: 'issuekey',
    name: 'Key',
    schema: {},
    navigable: true,
    orderable: false,
    searchable: false,
    clauseNames: ['id', 'issue', 'issuekey', 'key'],
  },
  {
    id: CUSTOM_FIELD.storyPoints,
    name: 'Story Points',
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10016]', 'Story Points', 'Story point estimate'],
    schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10016 },
  },
  {
    id: CUSTOM_FIELD.sprint,
    name: 'Sprint',
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10020]', 'Sprint'],
    schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 },
  },
  {
    id: CUSTOM_FIELD.rank,
    name: 'Rank',
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10019]', 'Rank'],
    schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank', customId: 10019 },
  },
  {
    id: CUSTOM_FIELD.changeRisk,
    name: 'Change risk',
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10050]', 'Change risk'],
    schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10050 },
  },
];

export function fieldDetailsJson(field: FieldDef): Json {
  const custom = field.id.startsWith('customfield_');
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    ...(custom ? { untranslatedName: field.name } : {}),
    custom,
    orderable: field.orderable,
    navigable: field.navigable,
    searchable: field.searchable,
    clauseNames: field.clauseNames,
    ...(Object.keys(field.schema).length ? { schema: field.schema } : {}),
  };
}

/** Resolves a `fields` parameter (`*all`, `*navigable`, ids, `-excluded`) against the field catalog. */
export function selectFields(requested: readonly string[], fallback: string): Set<string> {
  const items = (requested.length ? requested : [fallback])
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const selected = new Set<string>();
  const excluded = new Set<string>();
  for (const item of items) {
    if (item === '*all') FIELD_DEFS.forEach((f) => selected.add(f.id));
    else if (item === '*navigable') FIELD_DEFS.filter((f) => f.navigable).forEach((f) => selected.add(f.id));
    else if (item.startsWith('-')) excluded.add(item.slice(1));
    else {
      const byName = FIELD_DEFS.find((f) => f.name.toLowerCase() === item.toLowerCase());
      selected.add(byName && !FIELD_DEFS.some((f) => f.id === item) ? byName.id : item);
    }
  }
  for (const e of excluded) selected.delete(e);
  return selected;
}

export interface IssueOptions {
  readonly fields: Set<string>;
  readonly expand: ReadonlySet<string>;
  readonly maxComments?: number;
}

export function issueJson(issue: IssueRecord, view: View, options: IssueOptions): Json {
  const wanted = [...options.fields].filter(
    (f) => f !== 'id' && f !== 'key' && f !== 'issuekey' && f !== 'statusCategory',
  );
  const all = wanted.length ? issueFields(issue, view, options.maxComments) : {};
  const fields: Json = {};
  for (const id of wanted) {
    if (id in all) fields[id] = all[id];
    else if (FIELD_DEFS.some((f) => f.id === id) && id !== 'parent') fields[id] = null;
  }
  const out: Json = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${api(view)}/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
  const expand = options.expand;
  if (expand.has('renderedFields')) out.renderedFields = renderedFields(issue, wanted, view);
  if (expand.has('names'))
    out.names = Object.fromEntries(
      Object.keys(fields).map((id) => [id, FIELD_DEFS.find((f) => f.id === id)?.name ?? id]),
    );
  if (expand.has('schema'))
    out.schema = Object.fromEntries(
      Object.keys(fields).map((id) => [id, FIELD_DEFS.find((f) => f.id === id)?.schema ?? {}]),
    );
  if (expand.has('transitions')) out.transitions = view.store.transitionsFor(issue).map((t) => transitionJson(t, view));
  if (expand.has('changelog')) {
    // Cloud sends only the newest 100 changes with an issue (the rest: GET …/changelog); Data Center all.
    const all = view.store.historyOf(issue);
    const shown = view.store.dataCenter ? all : all.slice(-CLOUD_EXPANDED_CHANGES);
    out.changelog = {
      startAt: all.length - shown.length,
      maxResults: view.store.dataCenter ? all.length : CLOUD_EXPANDED_CHANGES,
      total: all.length,
      histories: shown.map((h) => historyJson(h, view)),
    };
  }
  if (expand.has('editmeta')) out.editmeta = { fields: editMetaFields(issue, view) };
  if (expand.has('operations')) out.operations = { linkGroups: [] };
  if (expand.has('versionedRepresentations')) {
    out.versionedRepresentations = Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { 1: value }]));
    delete out.fields;
  }
  return out;
}

function renderedDate(ms: number | null): string | null {
  if (ms === null) return null;
  const d = new Date(ms);
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  const hours = d.getUTCHours() % 12 || 12;
  return `${String(d.getUTCDate()).padStart(2, '0')}/${month}/${String(d.getUTCFullYear()).slice(2)} ${hours}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

function renderedFields(issue: IssueRecord, wanted: readonly string[], view: View): Json {
  const out: Json = {};
  for (const id of wanted) {
    switch (id) {
      case 'description':
        out[id] = richTextToHtml(issue.description) ?? '';
        break;
      case 'environment':
        out[id] = richTextToHtml(issue.environment) ?? '';
        break;
      case 'created':
        out[id] = renderedDate(issue.created);
        break;
      case 'updated':
        out[id] = renderedDate(issue.updated);
        break;
      case 'resolutiondate':
        out[id] = renderedDate(issue.resolutionDate);
        break;
      case 'comment':
        out[id] = {
          comments: issue.comments.map((c) => ({ ...commentJson(issue, c, view), body: richTextToHtml(c.body) ?? '' })),
          maxResults: issue.comments.length,
          total: issue.comments.length,
          startAt: 0,
        };
        break;
      default:
        out[id] = null;
    }
  }
  return out;
}

// --- create / edit metadata ------------------------------------------------------------------------------

export interface MetaField {
  readonly fieldId: string;
  readonly required: boolean;
  readonly operations: readonly string[];
  readonly allowedValues?: readonly Json[];
  readonly hasDefaultValue: boolean;
  readonly defaultValue?: Json;
  readonly autoCompleteUrl?: string;
}

export function metaFieldJson(field: MetaField, view: View): Json {
  const def = FIELD_DEFS.find((f) => f.id === field.fieldId);
  return {
    required: field.required,
    schema: def?.schema ?? { type: 'any' },
    name: def?.name ?? field.fieldId,
    key: field.fieldId,
    fieldId: field.fieldId,
    ...(field.autoCompleteUrl ? { autoCompleteUrl: field.autoCompleteUrl.replace('{base}', view.base) } : {}),
    hasDefaultValue: field.hasDefaultValue,
    operations: field.operations,
    ...(field.allowedValues ? { allowedValues: field.allowedValues } : {}),
    ...(field.defaultValue ? { defaultValue: field.defaultValue } : {}),
  };
}

/** The fields available on the create screen of a project's issue type. */
export function createMetaFields(project: ProjectRecord, typeId: string, view: View): MetaField[] {
  const type = issueTypeById(typeId);
  const fields: MetaField[] = [
    { fieldId: 'summary', required: true, operations: ['set'], hasDefaultValue: false },
    {
      fieldId: 'issuetype',
      required: true,
      operations: [],
      hasDefaultValue: false,
      allowedValues: [issueTypeJson(type, view)],
    },
    {
      fieldId: 'project',
      required: true,
      operations: ['set'],
      hasDefaultValue: false,
      allowedValues: [projectJson(project, view)],
    },
    { fieldId: 'description', required: false, operations: ['set'], hasDefaultValue: false },
    {
      fieldId: 'reporter',
      required: true,
      operations: ['set'],
      hasDefaultValue: true,
      autoCompleteUrl: `{base}/rest/api/${view.dc ? '2' : '3'}/user/search?query=`,
    },
    {
      fieldId: 'assignee',
      required: false,
      operations: ['set'],
      hasDefaultValue: false,
      autoCompleteUrl: `{base}/rest/api/${view.dc ? '2' : '3'}/user/assignable/search?project=${project.key}&query=`,
    },
    {
      fieldId: 'priority',
      required: false,
      operations: ['set'],
      hasDefaultValue: true,
      allowedValues: PRIORITIES.map((p) => priorityJson(p, view)),
      defaultValue: priorityJson(PRIORITIES[2]!, view),
    },
    {
      fieldId: 'labels',
      required: false,
      operations: ['add', 'set', 'remove'],
      hasDefaultValue: false,
      autoCompleteUrl: `{base}/rest/api/1.0/labels/suggest?query=`,
    },
    { fieldId: 'duedate', required: false, operations: ['set'], hasDefaultValue: false },
  ];
  if (type.subtask) fields.push({ fieldId: 'parent', required: true, operations: ['set'], hasDefaultValue: false });
  else if (type.hierarchyLevel === 0)
    fields.push({ fieldId: 'parent', required: false, operations: ['set'], hasDefaultValue: false });
  if (type.id === '10003')
    fields.push({ fieldId: 'environment', required: false, operations: ['set'], hasDefaultValue: false });
  if (project.projectTypeKey === 'software' && type.hierarchyLevel === 0) {
    fields.push({ fieldId: CUSTOM_FIELD.storyPoints, required: false, operations: ['set'], hasDefaultValue: false });
    fields.push({ fieldId: CUSTOM_FIELD.sprint, required: false, operations: ['set'], hasDefaultValue: false });
  }
  if (!type.subtask && type.hierarchyLevel >= 0)
    fields.push({ fieldId: 'timetracking', required: false, operations: ['set', 'edit'], hasDefaultValue: false });
  fields.push({
    fieldId: 'components',
    required: false,
    operations: ['add', 'set', 'remove'],
    hasDefaultValue: false,
    allowedValues: project.components.map((_name, i) => componentJson(project, i, view)),
  });
  if (!type.subtask)
    fields.push({
      fieldId: 'fixVersions',
      required: false,
      operations: ['set', 'add', 'remove'],
      hasDefaultValue: false,
      allowedValues: view.store
        .versionsOf(project)
        .filter((v) => !v.archived)
        .map((v) => versionJson(v, view)),
    });
  if (project.requiredOnCreate?.[typeId]?.includes(CUSTOM_FIELD.changeRisk))
    fields.push({
      fieldId: CUSTOM_FIELD.changeRisk,
      required: true,
      operations: ['set'],
      hasDefaultValue: false,
      allowedValues: CHANGE_RISK_OPTIONS.map((o) => changeRiskJson(o.id, view)!),
    });
  return fields;
}

export function editMetaFields(issue: IssueRecord, view: View): Json {
  const project = view.store.projectOf(issue);
  const fields = createMetaFields(project, issue.issueTypeId, view)
    .filter((f) => f.fieldId !== 'project')
    .map((f) => ({ ...f, required: f.fieldId === 'summary' || f.fieldId === 'issuetype' }));
  const out: Json = {};
  for (const f of fields) {
    const json = metaFieldJson(f, view);
    if (f.fieldId === 'issuetype')
      json.allowedValues = project.issueTypeIds.map((id) => issueTypeJson(issueTypeById(id), view));
    out[f.fieldId] = json;
  }
  out.comment = {
    required: false,
    schema: { type: 'comments-page', system: 'comment' },
    name: 'Comment',
    key: 'comment',
    fieldId: 'comment',
    operations: ['add', 'edit', 'remove'],
  };
  out.resolution = {
    required: false,
    schema: { type: 'resolution', system: 'resolution' },
    name: 'Resolution',
    key: 'resolution',
    fieldId: 'resolution',
    operations: ['set'],
    allowedValues: RESOLUTIONS.map((r) => resolutionJson(r.id, view)),
  };
  return out;
}
