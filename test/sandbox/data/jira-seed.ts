// Deterministic seed data for the Jira sandbox. A fixed PRNG per site turns a short description of
// each site's projects into hundreds of issues with realistic statuses, dates, hierarchy, sprints,
// comments, worklogs and links. Dates are offsets from an anchor (the start of the store's day), so
// "updated in the last week" queries always find something while keys and contents stay identical.
import type { RichText } from '../jira/adf';
import {
  CUSTOM_FIELD,
  ISSUE_TYPE,
  PRIORITY,
  RESOLUTION,
  STATUS,
  type BoardRecord,
  type CommentRecord,
  type IssueRecord,
  type LinkRecord,
  type ProjectRecord,
  type SeedData,
  type SprintRecord,
  type WorklogRecord,
} from '../jira/model';
import { Rng } from '../jira/prng';
import {
  bugDescription,
  commentBody,
  epicDescription,
  storyDescription,
  taskDescription,
  wikiComment,
  wikiDescription,
  type SampleContext,
} from './adf-samples';
import { DEFAULT_USER, USERS, type SandboxUser } from './users';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface ProjectPlan {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly type: 'software' | 'business';
  readonly board: 'scrum' | 'kanban' | null;
  readonly issues: number;
  readonly lead: SandboxUser;
  readonly components: readonly string[];
  readonly labels: readonly string[];
  /** Stories in this project need a Change risk to be created (a required custom field). */
  readonly storiesNeedChangeRisk?: boolean;
}

interface SitePlan {
  readonly projects: readonly ProjectPlan[];
  /** Chance that an unresolved issue is assigned to the default user (Ada). */
  readonly adaShare: number;
  readonly firstProjectId: number;
}

const [ADA, GRACE, LINUS, MARGARET, ALAN] = USERS as [SandboxUser, SandboxUser, SandboxUser, SandboxUser, SandboxUser];

const SITE_PLANS: Record<string, SitePlan> = {
  acme: {
    firstProjectId: 10000,
    adaShare: 0.9,
    projects: [
      {
        key: 'ENG',
        name: 'Engineering',
        description: 'Product engineering: web app, API and integrations.',
        type: 'software',
        board: 'scrum',
        issues: 300,
        lead: GRACE,
        components: ['Search', 'Checkout', 'Auth', 'Notifications', 'API Gateway', 'Billing', 'Dashboard', 'Importer'],
        labels: ['backend', 'frontend', 'api', 'security', 'performance', 'tech-debt', 'customer', 'regression', 'ux'],
      },
      {
        key: 'OPS',
        name: 'Operations',
        description: 'Infrastructure, on-call and reliability work.',
        type: 'software',
        board: 'kanban',
        issues: 150,
        lead: LINUS,
        components: ['Kubernetes', 'Postgres', 'CDN', 'Monitoring', 'Backups', 'CI', 'DNS', 'Vault'],
        labels: ['infra', 'on-call', 'incident', 'cost', 'security', 'automation'],
        storiesNeedChangeRisk: true,
      },
      {
        key: 'DOC',
        name: 'Documentation',
        description: 'User guides, API reference and release notes.',
        type: 'business',
        board: null,
        issues: 70,
        lead: MARGARET,
        components: ['Getting Started', 'API Reference', 'Release Notes', 'Admin Guide', 'Tutorials', 'FAQ'],
        labels: ['docs', 'onboarding', 'translation', 'screenshots'],
      },
    ],
  },
  globex: {
    firstProjectId: 10100,
    adaShare: 0.4,
    projects: [
      {
        key: 'WEB',
        name: 'Web Platform',
        description: 'The public website and customer portal.',
        type: 'software',
        board: 'scrum',
        issues: 70,
        lead: ALAN,
        components: ['Portal', 'Landing Pages', 'Payments', 'Accounts'],
        labels: ['frontend', 'seo', 'a11y', 'payments'],
      },
      {
        key: 'MOB',
        name: 'Mobile Apps',
        description: 'iOS and Android apps.',
        type: 'software',
        board: 'kanban',
        issues: 45,
        lead: MARGARET,
        components: ['iOS', 'Android', 'Push', 'Offline Sync'],
        labels: ['ios', 'android', 'crash', 'release'],
      },
      {
        key: 'SUP',
        name: 'Customer Support',
        description: 'Escalations from the support desk.',
        type: 'business',
        board: null,
        issues: 30,
        lead: GRACE,
        components: ['Escalations', 'Billing Questions', 'Access Requests'],
        labels: ['vip', 'refund', 'access'],
      },
    ],
  },
  dc: {
    firstProjectId: 10200,
    adaShare: 0.5,
    projects: [
      {
        key: 'LEGACY',
        name: 'Legacy Platform',
        description: 'The on-premise order system.',
        type: 'software',
        board: 'scrum',
        issues: 60,
        lead: LINUS,
        components: ['Order Service', 'LDAP Sync', 'Reporting', 'Batch Jobs'],
        labels: ['oracle', 'ldap', 'batch', 'upgrade'],
      },
      {
        key: 'TOOLS',
        name: 'Internal Tools',
        description: 'Scripts and admin tools.',
        type: 'software',
        board: 'kanban',
        issues: 25,
        lead: ALAN,
        components: ['Deploy Scripts', 'Admin Console'],
        labels: ['scripts', 'admin'],
        storiesNeedChangeRisk: true,
      },
    ],
  },
};

const DEFAULT_PLAN: SitePlan = {
  firstProjectId: 10300,
  adaShare: 0.5,
  projects: [
    {
      key: 'DEMO',
      name: 'Demo',
      description: 'A small demo project.',
      type: 'software',
      board: 'kanban',
      issues: 20,
      lead: DEFAULT_USER,
      components: ['Core'],
      labels: ['demo'],
    },
  ],
};

const CONDITIONS = [
  'the filter is empty',
  'two users edit at once',
  'the session expires',
  'uploading files over 2 GB',
  'switching language',
  'the cache is cold',
  'paging past 1,000 results',
  'a token refresh happens',
  'the locale is de-DE',
  'running behind a proxy',
];
const BUG = [
  '{c} returns 500 when {x}',
  '{c} page freezes when {x}',
  'Wrong totals in {c} when {x}',
  'Timeout in {c} when {x}',
  'Duplicate notifications from {c} when {x}',
  '{c} loses unsaved changes when {x}',
];
const STORY = [
  'Export {c} data as CSV',
  'Show {c} activity in the sidebar',
  'Bulk edit in {c}',
  'Dark mode for {c}',
  'Saved filters for {c}',
  'Keyboard shortcuts in {c}',
  'Audit log for {c}',
  'Inline help for {c}',
];
const TASK = [
  'Upgrade {c} dependencies',
  'Add metrics to {c}',
  'Remove the old feature flag from {c}',
  'Write a runbook for {c}',
  'Rotate credentials for {c}',
  'Migrate {c} to the new cluster',
  'Load-test {c}',
];
const DOC_TASK = [
  'Rewrite the {c} overview',
  'Add screenshots to {c}',
  'Review {c} for the next release',
  'Translate {c} into German',
  'Fix broken links in {c}',
];
const EPIC = ['{c} revamp', '{c} reliability', '{c} v2', 'Self-service {c}', '{c} for enterprise customers'];
const SUBTASK = [
  'Write tests',
  'Update docs',
  'Code review fixes',
  'Add telemetry',
  'QA on staging',
  'Update the changelog',
];

function fill(template: string, component: string, rng: Rng): string {
  return template.replace('{c}', component).replace('{x}', rng.pick(CONDITIONS));
}

/** Start of the UTC day containing `now`. */
export function seedAnchor(now: number): number {
  return Math.floor(now / DAY) * DAY;
}

export function seedPlanFor(siteName: string): SitePlan {
  return SITE_PLANS[siteName] ?? DEFAULT_PLAN;
}

export interface SeedOptions {
  readonly siteName: string;
  readonly siteUrl: string;
  readonly dataCenter: boolean;
  readonly now: number;
  /**
   * Extra open issues assigned to the default user (Ada), appended to the site's first project after
   * the regular seed, which they leave untouched (they draw from a PRNG of their own). For load
   * tests such as the benchmark's "first page of 1,000 issues"; 0 by default.
   */
  readonly extraIssues?: number;
}

interface Draft {
  record: IssueRecord;
  project: ProjectPlan;
  component: string;
}

/** Builds the complete, deterministic dataset of one site. */
export function seedJira(options: SeedOptions): SeedData {
  const plan = seedPlanFor(options.siteName);
  const rng = new Rng(`jira:${options.siteName}`);
  const anchor = seedAnchor(options.now);
  const projects = plan.projects.map((p, i): ProjectRecord => ({
    id: String(plan.firstProjectId + i),
    key: p.key,
    name: p.name,
    description: p.description,
    projectTypeKey: p.type,
    leadAccountId: p.lead.accountId,
    issueTypeIds:
      p.type === 'business'
        ? [ISSUE_TYPE.task, ISSUE_TYPE.subtask, ISSUE_TYPE.epic]
        : [ISSUE_TYPE.story, ISSUE_TYPE.task, ISSUE_TYPE.bug, ISSUE_TYPE.subtask, ISSUE_TYPE.epic],
    components: p.components,
    ...(p.storiesNeedChangeRisk ? { requiredOnCreate: { [ISSUE_TYPE.story]: [CUSTOM_FIELD.changeRisk] } } : {}),
    issueCounter: 0,
  }));

  const { boards, sprints } = seedBoards(plan, anchor);
  const drafts: Draft[] = [];
  plan.projects.forEach((p, i) => drafts.push(...seedProjectIssues(p, projects[i]!, plan, rng, anchor)));

  // Issue ids follow creation order across the whole site, as Jira's do.
  drafts.sort((a, b) => a.record.created - b.record.created || a.record.key.localeCompare(b.record.key));
  drafts.forEach((d, i) => {
    (d.record as { id: string }).id = String(10000 + i);
  });
  const byKey = new Map(drafts.map((d) => [d.record.key, d.record]));
  for (const d of drafts) {
    const parentKey = d.record.parentId;
    d.record.parentId = parentKey ? (byKey.get(parentKey)?.id ?? null) : null;
  }

  assignSprints(drafts, boards, sprints, rng);
  const ids = { comment: 10000, worklog: 10000 };
  for (const d of drafts) addActivity(d, drafts, rng, anchor, options, ids);
  const links = seedLinks(drafts, rng);
  for (const p of projects) p.issueCounter = drafts.filter((d) => d.record.projectId === p.id).length;
  const issues = drafts.map((d) => d.record);
  if (options.extraIssues)
    issues.push(...seedExtraIssues(options.extraIssues, plan, projects[0]!, options.siteName, anchor, issues.length));
  return { projects, issues, links, boards, sprints };
}

/**
 * `count` plain open issues assigned to Ada in `project`, numbered after its seeded ones: summaries,
 * types, statuses, priorities and dates like the regular seed's, but no description, comments,
 * worklogs, links or sprints. Deterministic per site and count.
 */
function seedExtraIssues(
  count: number,
  plan: SitePlan,
  project: ProjectRecord,
  siteName: string,
  anchor: number,
  firstIndex: number,
): IssueRecord[] {
  const projectPlan = plan.projects[0]!;
  const rng = new Rng(`jira:${siteName}:extra`);
  const issues: IssueRecord[] = [];
  for (let i = 0; i < count; i++) {
    const typeId =
      projectPlan.type === 'business'
        ? ISSUE_TYPE.task
        : rng.weighted([
            [ISSUE_TYPE.story, 4],
            [ISSUE_TYPE.task, 3],
            [ISSUE_TYPE.bug, 3],
          ] as const);
    const component = rng.pick(projectPlan.components);
    const statusId = rng.weighted([
      [STATUS.todo, 34],
      [STATUS.inProgress, 20],
      [STATUS.inReview, 10],
      [STATUS.blocked, 5],
    ] as const);
    const created = anchor - rng.int(1, 240) * DAY + rng.int(8, 18) * HOUR + rng.int(0, 59) * 60_000;
    const updated = Math.min(anchor + 10 * HOUR, created + Math.round((anchor - created) * (0.4 + 0.6 * rng.next())));
    const reporterId = rng.pick(USERS).accountId;
    issues.push({
      id: String(10000 + firstIndex + i),
      key: `${project.key}-${++project.issueCounter}`,
      projectId: project.id,
      issueTypeId: typeId,
      summary: summaryFor(typeId, projectPlan, component, rng),
      description: null,
      environment: null,
      statusId,
      resolutionId: null,
      resolutionDate: null,
      statusCategoryChangeDate: statusId === STATUS.todo ? created : updated,
      priorityId: rng.weighted([
        [PRIORITY.highest, 1],
        [PRIORITY.high, 3],
        [PRIORITY.medium, 6],
        [PRIORITY.low, 2],
        [PRIORITY.lowest, 1],
      ] as const),
      assigneeId: ADA.accountId,
      reporterId,
      creatorId: reporterId,
      labels: rng.sample(projectPlan.labels, rng.int(0, 2)).sort(),
      created,
      updated,
      dueDate: null,
      parentId: null,
      storyPoints: typeId === ISSUE_TYPE.story ? rng.pick([1, 2, 3, 5, 8, 13]) : null,
      sprintIds: [],
      rank: Number(project.id) * 10_000 + project.issueCounter,
      originalEstimateSeconds: null,
      remainingEstimateSeconds: null,
      comments: [],
      worklogs: [],
      watcherIds: [...new Set([reporterId, ADA.accountId])],
    });
  }
  return issues;
}

function seedBoards(plan: SitePlan, anchor: number): { boards: BoardRecord[]; sprints: SprintRecord[] } {
  const boards: BoardRecord[] = [];
  const sprints: SprintRecord[] = [];
  for (const p of plan.projects) {
    if (!p.board) continue;
    const board: BoardRecord = { id: boards.length + 1, name: `${p.key} board`, type: p.board, projectKey: p.key };
    boards.push(board);
    if (p.board !== 'scrum') continue;
    const closed = 8;
    for (let n = 1; n <= closed + 3; n++) {
      const start = anchor - (closed + 1 - n) * 14 * DAY - 5 * DAY + 9 * HOUR;
      const state = n <= closed ? 'closed' : n === closed + 1 ? 'active' : 'future';
      sprints.push({
        id: sprints.length + 1,
        name: `${p.key} Sprint ${n}`,
        state,
        originBoardId: board.id,
        goal: state === 'future' ? '' : `Sprint ${n}: ship the ${n % 2 ? 'search' : 'billing'} improvements`,
        startDate: state === 'future' ? null : start,
        endDate: state === 'future' ? null : start + 14 * DAY,
        completeDate: state === 'closed' ? start + 14 * DAY - 2 * HOUR : null,
        createdDate: start - 3 * DAY,
      });
    }
  }
  return { boards, sprints };
}

function seedProjectIssues(
  plan: ProjectPlan,
  project: ProjectRecord,
  site: SitePlan,
  rng: Rng,
  anchor: number,
): Draft[] {
  const created = Array.from(
    { length: plan.issues },
    () => anchor - rng.int(1, 240) * DAY + rng.int(8, 18) * HOUR + rng.int(0, 59) * 60_000,
  ).sort((a, b) => a - b);
  const epicCount = Math.max(2, Math.round(plan.issues / 35));
  const drafts: Draft[] = [];
  created.forEach((createdAt, i) => {
    const number = i + 1;
    const component = rng.pick(plan.components);
    const parents = drafts.filter(
      (d) => d.record.issueTypeId !== ISSUE_TYPE.subtask && d.record.issueTypeId !== ISSUE_TYPE.epic,
    );
    const epics = drafts.filter((d) => d.record.issueTypeId === ISSUE_TYPE.epic);
    const typeId =
      i < epicCount
        ? ISSUE_TYPE.epic
        : parents.length > 5 && rng.chance(0.1)
          ? ISSUE_TYPE.subtask
          : plan.type === 'business'
            ? ISSUE_TYPE.task
            : rng.weighted([
                [ISSUE_TYPE.story, 4],
                [ISSUE_TYPE.task, 3],
                [ISSUE_TYPE.bug, 3],
              ] as const);
    const parent =
      typeId === ISSUE_TYPE.subtask
        ? rng.pick(parents)
        : typeId !== ISSUE_TYPE.epic && epics.length && rng.chance(0.55)
          ? rng.pick(epics)
          : undefined;
    const summary = summaryFor(typeId, plan, component, rng);
    const { statusId, resolutionId } = pickStatus(rng, typeId);
    const resolved = resolutionId !== null;
    const age = anchor - createdAt;
    const updated = Math.min(
      anchor + 10 * HOUR,
      createdAt + Math.round(age * (resolved ? rng.next() : 0.4 + 0.6 * rng.next())),
    );
    const resolutionDate = resolved ? createdAt + Math.round((updated - createdAt) * (0.7 + 0.3 * rng.next())) : null;
    const assigneeId = pickAssignee(rng, resolved, site.adaShare);
    const reporterId = rng.pick(USERS).accountId;
    const record: IssueRecord = {
      id: '',
      key: `${plan.key}-${number}`,
      projectId: project.id,
      issueTypeId: typeId,
      summary,
      description: null,
      environment:
        typeId === ISSUE_TYPE.bug && rng.chance(0.4)
          ? `${rng.pick(['Chrome 131', 'Firefox 133', 'Safari 18'])} on ${rng.pick(['macOS 15', 'Windows 11', 'Ubuntu 24.04'])}`
          : null,
      statusId,
      resolutionId,
      resolutionDate,
      statusCategoryChangeDate:
        statusId === STATUS.todo ? createdAt : Math.max(createdAt, (resolutionDate ?? updated) - rng.int(0, 48) * HOUR),
      priorityId: rng.weighted([
        [PRIORITY.highest, 1],
        [PRIORITY.high, 3],
        [PRIORITY.medium, 6],
        [PRIORITY.low, 2],
        [PRIORITY.lowest, 1],
      ] as const),
      assigneeId,
      reporterId,
      creatorId: reporterId,
      labels: rng
        .sample(
          plan.labels,
          rng.weighted([
            [0, 3],
            [1, 4],
            [2, 2],
            [3, 1],
          ] as const),
        )
        .sort(),
      created: createdAt,
      updated: Math.max(updated, resolutionDate ?? 0),
      dueDate:
        !resolved && rng.chance(0.3) ? new Date(anchor + rng.int(-20, 45) * DAY).toISOString().slice(0, 10) : null,
      parentId: parent?.record.key ?? null,
      storyPoints:
        typeId === ISSUE_TYPE.story || (typeId === ISSUE_TYPE.bug && rng.chance(0.3))
          ? rng.pick([1, 2, 3, 5, 8, 13])
          : null,
      sprintIds: [],
      rank: rng.next(),
      originalEstimateSeconds:
        typeId === ISSUE_TYPE.task || typeId === ISSUE_TYPE.subtask
          ? rng.chance(0.5)
            ? rng.int(1, 16) * 1800
            : null
          : null,
      remainingEstimateSeconds: null,
      comments: [],
      worklogs: [],
      watcherIds: [],
    };
    record.remainingEstimateSeconds = record.originalEstimateSeconds;
    drafts.push({ record, project: plan, component });
  });
  // Rank: mostly creation order with local shuffles, as a groomed backlog looks.
  drafts
    .map((d, i) => ({ d, score: i + d.record.rank * 12 }))
    .sort((a, b) => a.score - b.score)
    .forEach(({ d }, i) => {
      d.record.rank = i + 1 + Number(project.id) * 10_000;
    });
  return drafts;
}

function summaryFor(typeId: string, plan: ProjectPlan, component: string, rng: Rng): string {
  switch (typeId) {
    case ISSUE_TYPE.epic:
      return fill(rng.pick(EPIC), component, rng);
    case ISSUE_TYPE.subtask:
      return `${rng.pick(SUBTASK)} for ${component}`;
    case ISSUE_TYPE.bug:
      return fill(rng.pick(BUG), component, rng);
    case ISSUE_TYPE.story:
      return fill(rng.pick(STORY), component, rng);
    default:
      return fill(rng.pick(plan.type === 'business' ? DOC_TASK : TASK), component, rng);
  }
}

function pickStatus(rng: Rng, typeId: string): { statusId: string; resolutionId: string | null } {
  const status = rng.weighted(
    typeId === ISSUE_TYPE.epic
      ? ([
          ['todo', 3],
          ['progress', 4],
          ['done', 2],
        ] as const)
      : ([
          ['todo', 34],
          ['progress', 20],
          ['review', 10],
          ['blocked', 5],
          ['done', 25],
          ['wontdo', 3],
          ['duplicate', 2],
          ['cannot', 1],
        ] as const),
  );
  switch (status) {
    case 'todo':
      return { statusId: STATUS.todo, resolutionId: null };
    case 'progress':
      return { statusId: STATUS.inProgress, resolutionId: null };
    case 'review':
      return { statusId: STATUS.inReview, resolutionId: null };
    case 'blocked':
      return { statusId: STATUS.blocked, resolutionId: null };
    case 'done':
      return { statusId: STATUS.done, resolutionId: RESOLUTION.done };
    case 'wontdo':
      return { statusId: STATUS.done, resolutionId: RESOLUTION.wontDo };
    case 'duplicate':
      return { statusId: STATUS.done, resolutionId: RESOLUTION.duplicate };
    default:
      return { statusId: STATUS.done, resolutionId: RESOLUTION.cannotReproduce };
  }
}

function pickAssignee(rng: Rng, resolved: boolean, adaShare: number): string | null {
  if (!resolved && rng.chance(adaShare)) return ADA.accountId;
  if (rng.chance(0.12)) return null;
  return rng.pick(USERS).accountId;
}

function assignSprints(
  drafts: readonly Draft[],
  boards: readonly BoardRecord[],
  sprints: readonly SprintRecord[],
  rng: Rng,
): void {
  for (const board of boards) {
    const boardSprints = sprints.filter((s) => s.originBoardId === board.id);
    if (!boardSprints.length) continue;
    const active = boardSprints.find((s) => s.state === 'active');
    const future = boardSprints.filter((s) => s.state === 'future');
    const closed = boardSprints.filter((s) => s.state === 'closed');
    const inProject = drafts.filter((d) => d.record.key.startsWith(`${board.projectKey}-`));
    for (const d of inProject) {
      const r = d.record;
      if (r.issueTypeId === ISSUE_TYPE.epic || r.issueTypeId === ISSUE_TYPE.subtask) continue;
      if (r.resolutionDate !== null) {
        const sprint =
          closed.find((s) => s.startDate! <= r.resolutionDate! && r.resolutionDate! < s.endDate!) ??
          (active && r.resolutionDate >= active.startDate! ? active : undefined);
        if (sprint) r.sprintIds = [sprint.id];
        continue;
      }
      const inFlight = r.statusId !== STATUS.todo;
      const roll = rng.next();
      const target = inFlight || roll < 0.35 ? active : roll < 0.5 ? future[0] : roll < 0.55 ? future[1] : undefined;
      if (!target) continue;
      const carried = target === active && closed.length && rng.chance(0.12) ? closed[closed.length - 1] : undefined;
      r.sprintIds = carried && carried.startDate! > r.created ? [carried.id, target.id] : [target.id];
    }
    // Sub-tasks belong to their parent's sprint, as Jira keeps them.
    for (const d of inProject) {
      if (d.record.issueTypeId !== ISSUE_TYPE.subtask) continue;
      const parent = drafts.find((p) => p.record.id === d.record.parentId);
      d.record.sprintIds = parent ? [...parent.record.sprintIds] : [];
    }
  }
}

function addActivity(
  draft: Draft,
  all: readonly Draft[],
  rng: Rng,
  anchor: number,
  options: SeedOptions,
  ids: { comment: number; worklog: number },
): void {
  const r = draft.record;
  const related = rng.pick(all).record.key;
  const person = rng.pick(USERS);
  const ctx: SampleContext = {
    rng,
    summary: r.summary,
    component: draft.component,
    person,
    relatedKey: related,
    siteUrl: options.siteUrl,
  };
  const username = person.email.split('@')[0] ?? 'ada';
  if (rng.chance(0.9)) r.description = describe(r.issueTypeId, ctx, options.dataCenter, username);

  const commentCount = rng.weighted([
    [0, 3],
    [1, 3],
    [2, 2],
    [3, 1],
    [4, 1],
  ] as const);
  let at = r.created;
  for (let n = 0; n < commentCount; n++) {
    at = Math.min(r.updated, at + Math.round((r.updated - at) * rng.next() * 0.6) + 60_000);
    const author = rng.pick(USERS);
    const body: RichText = options.dataCenter
      ? wikiComment(ctx, username)
      : commentBody({ ...ctx, person: rng.pick(USERS) });
    const edited = rng.chance(0.1) ? Math.min(r.updated, at + rng.int(1, 30) * 60_000) : at;
    const comment: CommentRecord = {
      id: String(ids.comment++),
      authorId: author.accountId,
      updateAuthorId: author.accountId,
      body,
      created: at,
      updated: edited,
    };
    r.comments.push(comment);
  }

  if (r.statusId !== STATUS.todo && rng.chance(0.3)) {
    for (let n = rng.int(1, 3); n > 0; n--) {
      const author = r.assigneeId ?? rng.pick(USERS).accountId;
      const started = Math.min(anchor, r.created + Math.round((r.updated - r.created) * rng.next()));
      const worklog: WorklogRecord = {
        id: String(ids.worklog++),
        authorId: author,
        updateAuthorId: author,
        comment: options.dataCenter
          ? 'Investigation and fix.'
          : rng.chance(0.5)
            ? {
                type: 'doc',
                version: 1,
                content: [
                  {
                    type: 'paragraph',
                    content: [
                      {
                        type: 'text',
                        text: rng.pick(['Investigation', 'Pairing session', 'Code review', 'Writing tests']),
                      },
                    ],
                  },
                ],
              }
            : null,
        created: started + HOUR,
        updated: started + HOUR,
        started,
        timeSpentSeconds: rng.int(1, 16) * 900,
      };
      r.worklogs.push(worklog);
    }
    if (r.remainingEstimateSeconds !== null) {
      const spent = r.worklogs.reduce((s, w) => s + w.timeSpentSeconds, 0);
      r.remainingEstimateSeconds = Math.max(0, r.remainingEstimateSeconds - spent);
    }
  }
  r.watcherIds = [
    ...new Set([
      r.reporterId,
      ...(r.assigneeId ? [r.assigneeId] : []),
      ...(rng.chance(0.3) ? [rng.pick(USERS).accountId] : []),
    ]),
  ];
}

function describe(typeId: string, ctx: SampleContext, dataCenter: boolean, username: string): RichText {
  if (dataCenter) {
    return wikiDescription(
      typeId === ISSUE_TYPE.bug ? 'bug' : typeId === ISSUE_TYPE.story ? 'story' : 'task',
      ctx,
      username,
    );
  }
  switch (typeId) {
    case ISSUE_TYPE.bug:
      return bugDescription(ctx);
    case ISSUE_TYPE.story:
      return storyDescription(ctx);
    case ISSUE_TYPE.epic:
      return epicDescription(ctx);
    default:
      return taskDescription(ctx);
  }
}

function seedLinks(drafts: readonly Draft[], rng: Rng): LinkRecord[] {
  const links: LinkRecord[] = [];
  const seen = new Set<string>();
  const candidates = drafts.filter((d) => d.record.issueTypeId !== ISSUE_TYPE.subtask);
  for (const d of candidates) {
    if (!rng.chance(0.1)) continue;
    const other = rng.pick(candidates);
    if (other === d) continue;
    const pair = [d.record.id, other.record.id].sort().join(':');
    if (seen.has(pair)) continue;
    seen.add(pair);
    const typeId =
      d.record.resolutionId === RESOLUTION.duplicate
        ? '10002'
        : rng.weighted([
            ['10000', 4],
            ['10003', 5],
            ['10001', 1],
          ] as const);
    links.push({ id: String(10000 + links.length), typeId, inwardId: d.record.id, outwardId: other.record.id });
  }
  return links;
}
