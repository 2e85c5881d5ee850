// One site's Jira data, seeded deterministically, plus the operations the REST routes perform on it.
// Every write bumps `updated` from the injectable clock so later searches see and order it.
import type { SiteRecord } from '../context';
import { seedJira } from '../data/jira-seed';
import { USERS, type SandboxUser } from '../data/users';
import { compileJql, type CompiledJql, type JqlEnv } from '../jql';
import type { RichText } from './adf';
import {
  ISSUE_TYPES,
  RESOLUTIONS,
  STATUSES,
  TRANSITIONS,
  type AttachmentRecord,
  type BoardRecord,
  type CommentRecord,
  type HistoryRecord,
  type IssueRecord,
  type LinkRecord,
  type ProjectRecord,
  type RemoteLinkRecord,
  type SprintRecord,
  type TransitionDef,
  type VersionRecord,
  type WorklogRecord,
} from './model';

export interface JiraStoreOptions {
  readonly now: () => number;
  /** Extra open issues for Ada in the site's first project (see SeedOptions.extraIssues). */
  readonly extraIssues?: number;
}

export interface NewIssue {
  readonly project: ProjectRecord;
  readonly issueTypeId: string;
  readonly summary: string;
  readonly description: RichText | null;
  readonly environment: RichText | null;
  readonly priorityId: string;
  readonly assigneeId: string | null;
  readonly reporterId: string;
  readonly creatorId: string;
  readonly labels: readonly string[];
  readonly parentId: string | null;
  readonly dueDate: string | null;
  readonly storyPoints: number | null;
  readonly originalEstimateSeconds: number | null;
}

export class JiraStore {
  readonly dataCenter: boolean;
  readonly projects: ProjectRecord[];
  readonly boards: BoardRecord[];
  readonly sprints: SprintRecord[];
  readonly links: LinkRecord[];
  readonly attachments: AttachmentRecord[] = [];
  readonly remoteLinks: RemoteLinkRecord[] = [];
  readonly versions: VersionRecord[];
  private readonly issuesById = new Map<string, IssueRecord>();
  private readonly idByKey = new Map<string, string>();
  private nextId: {
    issue: number;
    comment: number;
    worklog: number;
    link: number;
    sprint: number;
    attachment: number;
    version: number;
    remoteLink: number;
    history: number;
  };
  private readonly histories = new Map<string, HistoryRecord[]>();

  constructor(
    readonly site: SiteRecord,
    private readonly options: JiraStoreOptions,
  ) {
    this.dataCenter = site.flavour === 'datacenter';
    const seed = seedJira({
      siteName: site.name,
      siteUrl: site.url,
      dataCenter: this.dataCenter,
      now: options.now(),
      extraIssues: options.extraIssues,
    });
    this.projects = seed.projects;
    this.boards = seed.boards;
    this.sprints = seed.sprints;
    this.links = seed.links;
    for (const issue of seed.issues) this.index(issue);
    const maxOf = (values: readonly string[]): number => values.reduce((m, v) => Math.max(m, Number(v)), 9999);
    this.nextId = {
      issue: maxOf(seed.issues.map((i) => i.id)) + 1,
      comment: maxOf(seed.issues.flatMap((i) => i.comments.map((c) => c.id))) + 1,
      worklog: maxOf(seed.issues.flatMap((i) => i.worklogs.map((w) => w.id))) + 1,
      link: maxOf(seed.links.map((l) => l.id)) + 1,
      sprint: seed.sprints.reduce((m, s) => Math.max(m, s.id), 0) + 1,
      attachment: 10000,
      version: 10000,
      remoteLink: 10000,
      history: 10000,
    };
    this.versions = this.projects.flatMap((project) =>
      seedVersions(project, options.now(), () => String(this.nextId.version++)),
    );
  }

  now(): number {
    return this.options.now();
  }

  private index(issue: IssueRecord): void {
    this.issuesById.set(issue.id, issue);
    this.idByKey.set(issue.key.toUpperCase(), issue.id);
  }

  // --- lookups -------------------------------------------------------------------------------------

  allIssues(): IssueRecord[] {
    return [...this.issuesById.values()];
  }

  /** By id or key (keys are case-insensitive, as in Jira URLs). */
  findIssue(idOrKey: string): IssueRecord | undefined {
    if (/^\d+$/.test(idOrKey)) return this.issuesById.get(idOrKey);
    const id = this.idByKey.get(idOrKey.toUpperCase());
    return id ? this.issuesById.get(id) : undefined;
  }

  findProject(idOrKey: string): ProjectRecord | undefined {
    return this.projects.find((p) => p.id === idOrKey || p.key.toLowerCase() === idOrKey.toLowerCase());
  }

  projectOf(issue: IssueRecord): ProjectRecord {
    const project = this.projects.find((p) => p.id === issue.projectId);
    if (!project) throw new Error(`sandbox: issue ${issue.key} has no project`);
    return project;
  }

  user(accountId: string | null): SandboxUser | null {
    return accountId ? (USERS.find((u) => u.accountId === accountId) ?? null) : null;
  }

  /** A user by Cloud accountId or, on Data Center, by username/key. */
  findUser(ref: string): SandboxUser | undefined {
    return USERS.find(
      (u) => u.accountId === ref || (this.dataCenter && (usernameOf(u) === ref || userKeyOf(u) === ref)),
    );
  }

  subtasksOf(issue: IssueRecord): IssueRecord[] {
    return this.allIssues().filter(
      (i) => i.parentId === issue.id && ISSUE_TYPES.find((t) => t.id === i.issueTypeId)?.subtask,
    );
  }

  childrenOf(issue: IssueRecord): IssueRecord[] {
    return this.allIssues().filter((i) => i.parentId === issue.id);
  }

  linksOf(issue: IssueRecord): LinkRecord[] {
    return this.links.filter((l) => l.inwardId === issue.id || l.outwardId === issue.id);
  }

  labels(): string[] {
    return [...new Set(this.allIssues().flatMap((i) => i.labels))].sort();
  }

  attachmentsOf(issue: IssueRecord): AttachmentRecord[] {
    return this.attachments.filter((a) => a.issueId === issue.id);
  }

  findAttachment(id: string): AttachmentRecord | undefined {
    const attachment = this.attachments.find((a) => a.id === id);
    return attachment && this.issuesById.has(attachment.issueId) ? attachment : undefined;
  }

  remoteLinksOf(issue: IssueRecord): RemoteLinkRecord[] {
    return this.remoteLinks.filter((l) => l.issueId === issue.id);
  }

  versionsOf(project: ProjectRecord): VersionRecord[] {
    return this.versions.filter((v) => v.projectId === project.id);
  }

  transitionsFor(issue: IssueRecord): TransitionDef[] {
    return TRANSITIONS.filter((t) => t.from.includes(issue.statusId));
  }

  // --- search --------------------------------------------------------------------------------------

  jqlEnv(user: SandboxUser | null): JqlEnv {
    return {
      dataCenter: this.dataCenter,
      now: this.now(),
      currentUser: user,
      users: USERS,
      projects: this.projects,
      sprints: this.sprints,
      issueByKey: (key) => this.findIssue(key),
      issueById: (id) => this.issuesById.get(id),
      issues: () => this.allIssues(),
    };
  }

  /** Compiles `jql` (throws JqlError) and returns the matching issues in the query's order. */
  search(jql: string, user: SandboxUser | null): { compiled: CompiledJql; issues: IssueRecord[] } {
    const compiled = compileJql(jql, this.jqlEnv(user));
    const issues = this.allIssues()
      .filter((i) => compiled.matches(i))
      .sort(compiled.compare);
    return { compiled, issues };
  }

  // --- writes ----------------------------------------------------------------------------------------

  /** What changed on an issue (status, assignee), oldest first: the changelog's histories. */
  historyOf(issue: IssueRecord): readonly HistoryRecord[] {
    return this.histories.get(issue.id) ?? [];
  }

  recordChange(issue: IssueRecord, authorId: string, items: HistoryRecord['items']): void {
    const list = this.histories.get(issue.id) ?? [];
    list.push({ id: String(this.nextId.history++), authorId, created: this.now(), items });
    this.histories.set(issue.id, list);
  }

  touch(issue: IssueRecord): void {
    issue.updated = Math.max(this.now(), issue.created);
  }

  createIssue(input: NewIssue): IssueRecord {
    const project = input.project;
    project.issueCounter += 1;
    const now = this.now();
    const maxRank = this.allIssues()
      .filter((i) => i.projectId === project.id)
      .reduce((m, i) => Math.max(m, i.rank), 0);
    const parent = input.parentId ? this.issuesById.get(input.parentId) : undefined;
    const issue: IssueRecord = {
      id: String(this.nextId.issue++),
      key: `${project.key}-${project.issueCounter}`,
      projectId: project.id,
      issueTypeId: input.issueTypeId,
      summary: input.summary,
      description: input.description,
      environment: input.environment,
      statusId: STATUSES[0]!.id,
      resolutionId: null,
      resolutionDate: null,
      statusCategoryChangeDate: now,
      priorityId: input.priorityId,
      assigneeId: input.assigneeId,
      reporterId: input.reporterId,
      creatorId: input.creatorId,
      labels: [...new Set(input.labels)],
      created: now,
      updated: now,
      dueDate: input.dueDate,
      parentId: input.parentId,
      storyPoints: input.storyPoints,
      sprintIds: parent && ISSUE_TYPES.find((t) => t.id === input.issueTypeId)?.subtask ? [...parent.sprintIds] : [],
      rank: maxRank + 1,
      originalEstimateSeconds: input.originalEstimateSeconds,
      remainingEstimateSeconds: input.originalEstimateSeconds,
      comments: [],
      worklogs: [],
      watcherIds: [input.reporterId],
    };
    this.index(issue);
    return issue;
  }

  /** Moves an issue to another project under a new key; the old key keeps resolving, as in Jira. */
  moveIssue(issue: IssueRecord, project: ProjectRecord, issueTypeId: string): void {
    project.issueCounter += 1;
    issue.key = `${project.key}-${project.issueCounter}`;
    issue.projectId = project.id;
    issue.issueTypeId = issueTypeId;
    this.idByKey.set(issue.key.toUpperCase(), issue.id);
    this.touch(issue);
  }

  deleteIssue(issue: IssueRecord): void {
    for (const sub of this.subtasksOf(issue)) this.deleteIssue(sub);
    for (const child of this.childrenOf(issue)) child.parentId = null;
    this.issuesById.delete(issue.id);
    for (let i = this.attachments.length - 1; i >= 0; i--)
      if (this.attachments[i]!.issueId === issue.id) this.attachments.splice(i, 1);
    for (let i = this.remoteLinks.length - 1; i >= 0; i--)
      if (this.remoteLinks[i]!.issueId === issue.id) this.remoteLinks.splice(i, 1);
    this.idByKey.delete(issue.key.toUpperCase());
    for (let i = this.links.length - 1; i >= 0; i--) {
      const link = this.links[i]!;
      if (link.inwardId === issue.id || link.outwardId === issue.id) this.links.splice(i, 1);
    }
  }

  applyTransition(issue: IssueRecord, transition: TransitionDef): void {
    const from = STATUSES.find((s) => s.id === issue.statusId);
    const to = STATUSES.find((s) => s.id === transition.to);
    issue.statusId = transition.to;
    if (to?.category === 'done') {
      issue.resolutionId = transition.resolutionId ?? RESOLUTIONS[0]!.id;
      issue.resolutionDate = this.now();
    } else {
      issue.resolutionId = null;
      issue.resolutionDate = null;
    }
    if (from?.category !== to?.category) issue.statusCategoryChangeDate = this.now();
    this.touch(issue);
  }

  addComment(issue: IssueRecord, author: SandboxUser, body: RichText): CommentRecord {
    const now = this.now();
    const comment: CommentRecord = {
      id: String(this.nextId.comment++),
      authorId: author.accountId,
      updateAuthorId: author.accountId,
      body,
      created: now,
      updated: now,
    };
    issue.comments.push(comment);
    this.touch(issue);
    return comment;
  }

  updateComment(issue: IssueRecord, comment: CommentRecord, author: SandboxUser, body: RichText): void {
    comment.body = body;
    comment.updateAuthorId = author.accountId;
    comment.updated = this.now();
    this.touch(issue);
  }

  deleteComment(issue: IssueRecord, comment: CommentRecord): void {
    issue.comments = issue.comments.filter((c) => c !== comment);
    this.touch(issue);
  }

  addWorklog(
    issue: IssueRecord,
    author: SandboxUser,
    started: number,
    seconds: number,
    comment: RichText | null,
  ): WorklogRecord {
    const now = this.now();
    const worklog: WorklogRecord = {
      id: String(this.nextId.worklog++),
      authorId: author.accountId,
      updateAuthorId: author.accountId,
      comment,
      created: now,
      updated: now,
      started,
      timeSpentSeconds: seconds,
    };
    issue.worklogs.push(worklog);
    if (issue.remainingEstimateSeconds !== null)
      issue.remainingEstimateSeconds = Math.max(0, issue.remainingEstimateSeconds - seconds);
    this.touch(issue);
    return worklog;
  }

  addLink(typeId: string, inward: IssueRecord, outward: IssueRecord): LinkRecord {
    const link: LinkRecord = { id: String(this.nextId.link++), typeId, inwardId: inward.id, outwardId: outward.id };
    this.links.push(link);
    this.touch(inward);
    this.touch(outward);
    return link;
  }

  deleteLink(link: LinkRecord): void {
    const index = this.links.indexOf(link);
    if (index >= 0) this.links.splice(index, 1);
    for (const id of [link.inwardId, link.outwardId]) {
      const issue = this.issuesById.get(id);
      if (issue) this.touch(issue);
    }
  }

  addAttachment(
    issue: IssueRecord,
    author: SandboxUser,
    filename: string,
    mimeType: string,
    data: Buffer,
  ): AttachmentRecord {
    const attachment: AttachmentRecord = {
      id: String(this.nextId.attachment++),
      issueId: issue.id,
      filename,
      authorId: author.accountId,
      created: this.now(),
      mimeType,
      data,
    };
    this.attachments.push(attachment);
    this.touch(issue);
    return attachment;
  }

  deleteAttachment(attachment: AttachmentRecord): void {
    const index = this.attachments.indexOf(attachment);
    if (index >= 0) this.attachments.splice(index, 1);
    const issue = this.issuesById.get(attachment.issueId);
    if (issue) this.touch(issue);
  }

  addRemoteLink(issue: IssueRecord, input: Omit<RemoteLinkRecord, 'id' | 'issueId'>): RemoteLinkRecord {
    const link: RemoteLinkRecord = { id: String(this.nextId.remoteLink++), issueId: issue.id, ...input };
    this.remoteLinks.push(link);
    this.touch(issue);
    return link;
  }

  deleteRemoteLink(link: RemoteLinkRecord): void {
    const index = this.remoteLinks.indexOf(link);
    if (index >= 0) this.remoteLinks.splice(index, 1);
    const issue = this.issuesById.get(link.issueId);
    if (issue) this.touch(issue);
  }

  createVersion(project: ProjectRecord, input: Omit<VersionRecord, 'id' | 'projectId'>): VersionRecord {
    const version: VersionRecord = { id: String(this.nextId.version++), projectId: project.id, ...input };
    this.versions.push(version);
    return version;
  }

  createSprint(
    boardId: number,
    name: string,
    goal: string,
    startDate: number | null,
    endDate: number | null,
  ): SprintRecord {
    const sprint: SprintRecord = {
      id: this.nextId.sprint++,
      name,
      state: 'future',
      originBoardId: boardId,
      goal,
      startDate,
      endDate,
      completeDate: null,
      createdDate: this.now(),
    };
    this.sprints.push(sprint);
    return sprint;
  }

  /** Moves issues into a sprint; an issue sits in at most one open sprint at a time, as in Jira. */
  moveToSprint(sprint: SprintRecord, issues: readonly IssueRecord[]): void {
    for (const issue of issues) {
      const closed = issue.sprintIds.filter((id) => this.sprints.find((s) => s.id === id)?.state === 'closed');
      issue.sprintIds = [...closed, sprint.id];
      for (const sub of this.subtasksOf(issue)) sub.sprintIds = [...issue.sprintIds];
      this.touch(issue);
    }
  }
}

export function createJiraStore(site: SiteRecord, options: JiraStoreOptions): JiraStore {
  return new JiraStore(site, options);
}

/** Three versions per project: two released (90 and 30 days ago), one due in 30 days. */
function seedVersions(project: ProjectRecord, now: number, nextId: () => string): VersionRecord[] {
  const day = (offset: number): string => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const make = (name: string, released: boolean, start: number, release: number): VersionRecord => ({
    id: nextId(),
    projectId: project.id,
    name,
    description: `${project.name} ${name}`,
    released,
    archived: false,
    startDate: day(start),
    releaseDate: day(release),
  });
  return [make('1.0', true, -120, -90), make('1.1', true, -60, -30), make('2.0', false, -29, 30)];
}

/** Data Center usernames are the local part of the e-mail address ("ada"). */
export function usernameOf(user: SandboxUser): string {
  return user.email.split('@')[0] ?? user.accountId;
}

/** Data Center user keys look like JIRAUSER10000. */
export function userKeyOf(user: SandboxUser): string {
  return `JIRAUSER${10000 + USERS.indexOf(user)}`;
}
