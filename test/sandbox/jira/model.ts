// The Jira sandbox's data model: the records a store holds and the fixed configuration (workflow,
// issue types, priorities, link types, fields) that every site shares, as a company-managed Jira has.
import type { RichText } from './adf';

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface StatusCategoryDef {
  readonly id: number;
  readonly key: StatusCategoryKey;
  readonly colorName: string;
  readonly name: string;
}

export interface StatusDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: StatusCategoryKey;
  /** Position in the workflow; ORDER BY status sorts by it. */
  readonly order: number;
}

export interface ResolutionDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export interface IssueTypeDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
  readonly avatarId: number;
}

export interface PriorityDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly statusColor: string;
  readonly icon: string;
}

export interface LinkTypeDef {
  readonly id: string;
  readonly name: string;
  readonly inward: string;
  readonly outward: string;
}

export interface TransitionDef {
  readonly id: string;
  readonly name: string;
  readonly to: string;
  /** Status ids it is available from. */
  readonly from: readonly string[];
  /** Resolution it sets (moving to Done); the resolution is cleared when leaving Done. */
  readonly resolutionId?: string;
  /**
   * Its screen requires the person to pick the resolution (no default): a transition without one is
   * refused. Otherwise a resolving transition's screen offers the resolution with `resolutionId` as default.
   */
  readonly resolutionRequired?: boolean;
}

export interface ProjectRecord {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly projectTypeKey: 'software' | 'business';
  readonly leadAccountId: string;
  readonly issueTypeIds: readonly string[];
  readonly components: readonly string[];
  /** Custom fields this project's create screen requires, by issue type id. */
  readonly requiredOnCreate?: Readonly<Record<string, readonly string[]>>;
  /** Last issue number handed out in this project. */
  issueCounter: number;
}

export interface BoardRecord {
  readonly id: number;
  readonly name: string;
  readonly type: 'scrum' | 'kanban';
  readonly projectKey: string;
}

export interface SprintRecord {
  readonly id: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  readonly originBoardId: number;
  goal: string;
  startDate: number | null;
  endDate: number | null;
  completeDate: number | null;
  readonly createdDate: number;
}

export interface CommentRecord {
  readonly id: string;
  readonly authorId: string;
  updateAuthorId: string;
  body: RichText;
  readonly created: number;
  updated: number;
}

export interface WorklogRecord {
  readonly id: string;
  readonly authorId: string;
  updateAuthorId: string;
  comment: RichText | null;
  readonly created: number;
  updated: number;
  started: number;
  timeSpentSeconds: number;
}

export interface IssueRecord {
  readonly id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: RichText | null;
  environment: RichText | null;
  statusId: string;
  resolutionId: string | null;
  resolutionDate: number | null;
  statusCategoryChangeDate: number;
  priorityId: string;
  assigneeId: string | null;
  reporterId: string;
  readonly creatorId: string;
  labels: string[];
  readonly created: number;
  updated: number;
  /** `yyyy-MM-dd` or null. */
  dueDate: string | null;
  parentId: string | null;
  storyPoints: number | null;
  sprintIds: number[];
  /** Lower ranks first (top of the backlog). */
  rank: number;
  originalEstimateSeconds: number | null;
  remainingEstimateSeconds: number | null;
  comments: CommentRecord[];
  worklogs: WorklogRecord[];
  watcherIds: string[];
  /** Ids of the project's components and versions set on the issue (none in the seed). */
  componentIds?: string[];
  fixVersionIds?: string[];
  /** Values of custom fields without a property of their own, by field id (a select field's option id). */
  customValues?: Record<string, unknown>;
}

/** One entry of an issue's changelog: who changed which fields when. */
export interface HistoryRecord {
  readonly id: string;
  readonly authorId: string;
  readonly created: number;
  readonly items: readonly {
    readonly field: string;
    readonly from: string | null;
    readonly fromString: string | null;
    readonly to: string | null;
    readonly toString: string | null;
  }[];
}

export interface AttachmentRecord {
  readonly id: string;
  readonly issueId: string;
  readonly filename: string;
  readonly authorId: string;
  readonly created: number;
  readonly mimeType: string;
  readonly data: Buffer;
}

export interface VersionRecord {
  readonly id: string;
  readonly projectId: string;
  name: string;
  description: string;
  released: boolean;
  archived: boolean;
  /** `yyyy-MM-dd` or null. */
  startDate: string | null;
  releaseDate: string | null;
}

/** A remote (web) link on an issue: POST /issue/{key}/remotelink. */
export interface RemoteLinkRecord {
  readonly id: string;
  readonly issueId: string;
  /** Caller-chosen identity; posting the same globalId again updates the link instead of adding one. */
  globalId: string | null;
  application: Record<string, unknown> | null;
  relationship: string | null;
  object: Record<string, unknown>;
}

export interface LinkRecord {
  readonly id: string;
  readonly typeId: string;
  /** The issue that carries the outward description ("A blocks B": A is inward here, as in POST /issueLink). */
  readonly inwardId: string;
  readonly outwardId: string;
}

export interface SeedData {
  readonly projects: ProjectRecord[];
  readonly issues: IssueRecord[];
  readonly links: LinkRecord[];
  readonly boards: BoardRecord[];
  readonly sprints: SprintRecord[];
}

// --- shared configuration --------------------------------------------------------------------------

export const STATUS_CATEGORIES: readonly StatusCategoryDef[] = [
  { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  { id: 3, key: 'done', colorName: 'green', name: 'Done' },
];

export const STATUS = { todo: '10000', inProgress: '3', inReview: '10002', blocked: '10003', done: '10001' } as const;

export const STATUSES: readonly StatusDef[] = [
  { id: STATUS.todo, name: 'To Do', description: 'Work that has not been started.', category: 'new', order: 1 },
  {
    id: STATUS.inProgress,
    name: 'In Progress',
    description: 'This issue is being actively worked on at the moment by the assignee.',
    category: 'indeterminate',
    order: 2,
  },
  {
    id: STATUS.inReview,
    name: 'In Review',
    description: 'The change is waiting for review.',
    category: 'indeterminate',
    order: 3,
  },
  {
    id: STATUS.blocked,
    name: 'Blocked',
    description: 'Work cannot continue until something else is resolved.',
    category: 'indeterminate',
    order: 4,
  },
  { id: STATUS.done, name: 'Done', description: 'Work has been completed on this issue.', category: 'done', order: 5 },
];

export const RESOLUTION = { done: '10000', wontDo: '10001', duplicate: '10002', cannotReproduce: '10003' } as const;

export const RESOLUTIONS: readonly ResolutionDef[] = [
  { id: RESOLUTION.done, name: 'Done', description: 'Work has been completed on this issue.' },
  { id: RESOLUTION.wontDo, name: "Won't Do", description: "This issue won't be actioned." },
  { id: RESOLUTION.duplicate, name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  {
    id: RESOLUTION.cannotReproduce,
    name: 'Cannot Reproduce',
    description:
      'All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue.',
  },
];

export const ISSUE_TYPE = { epic: '10000', story: '10001', task: '10002', bug: '10003', subtask: '10004' } as const;

export const ISSUE_TYPES: readonly IssueTypeDef[] = [
  {
    id: ISSUE_TYPE.epic,
    name: 'Epic',
    description: 'A big user story that needs to be broken down. Created by Jira Software - do not edit or delete.',
    subtask: false,
    hierarchyLevel: 1,
    avatarId: 10307,
  },
  {
    id: ISSUE_TYPE.story,
    name: 'Story',
    description: 'Functionality or a feature expressed as a user goal.',
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10315,
  },
  {
    id: ISSUE_TYPE.task,
    name: 'Task',
    description: 'A small, distinct piece of work.',
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10318,
  },
  {
    id: ISSUE_TYPE.bug,
    name: 'Bug',
    description: 'A problem or error.',
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10303,
  },
  {
    id: ISSUE_TYPE.subtask,
    name: 'Sub-task',
    description: "A small piece of work that's part of a larger task.",
    subtask: true,
    hierarchyLevel: -1,
    avatarId: 10316,
  },
];

export const PRIORITY = { highest: '1', high: '2', medium: '3', low: '4', lowest: '5' } as const;

/** In rank order: the first is the highest. */
export const PRIORITIES: readonly PriorityDef[] = [
  {
    id: PRIORITY.highest,
    name: 'Highest',
    description: 'This problem will block progress.',
    statusColor: '#d04437',
    icon: 'highest',
  },
  {
    id: PRIORITY.high,
    name: 'High',
    description: 'Serious problem that could block progress.',
    statusColor: '#f15C75',
    icon: 'high',
  },
  {
    id: PRIORITY.medium,
    name: 'Medium',
    description: 'Has the potential to affect progress.',
    statusColor: '#f79232',
    icon: 'medium',
  },
  {
    id: PRIORITY.low,
    name: 'Low',
    description: 'Minor problem or easily worked around.',
    statusColor: '#707070',
    icon: 'low',
  },
  {
    id: PRIORITY.lowest,
    name: 'Lowest',
    description: 'Trivial problem with little or no impact on progress.',
    statusColor: '#999999',
    icon: 'lowest',
  },
];

export const LINK_TYPES: readonly LinkTypeDef[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
  // A site-defined type, as teams add for initiatives over epics across projects.
  { id: '10004', name: 'Hierarchy', inward: 'is child of', outward: 'is parent of' },
];

/** The project workflow: To Do → In Progress → In Review → Done, with Blocked, back transitions and Won't Do. */
export const TRANSITIONS: readonly TransitionDef[] = [
  { id: '11', name: 'To Do', to: STATUS.todo, from: [STATUS.inProgress, STATUS.blocked] },
  { id: '21', name: 'In Progress', to: STATUS.inProgress, from: [STATUS.todo, STATUS.inReview, STATUS.blocked] },
  { id: '31', name: 'In Review', to: STATUS.inReview, from: [STATUS.inProgress] },
  { id: '41', name: 'Done', to: STATUS.done, from: [STATUS.inReview], resolutionId: RESOLUTION.done },
  { id: '51', name: 'Blocked', to: STATUS.blocked, from: [STATUS.todo, STATUS.inProgress, STATUS.inReview] },
  {
    id: '61',
    name: "Won't Do",
    to: STATUS.done,
    from: [STATUS.todo, STATUS.inProgress, STATUS.inReview, STATUS.blocked],
    resolutionId: RESOLUTION.wontDo,
    resolutionRequired: true,
  },
  { id: '71', name: 'Reopen', to: STATUS.todo, from: [STATUS.done] },
];

export const CUSTOM_FIELD = {
  storyPoints: 'customfield_10016',
  sprint: 'customfield_10020',
  rank: 'customfield_10019',
  epicLink: 'customfield_10014',
  /** A single-select field some projects require on create (see ProjectRecord.requiredOnCreate). */
  changeRisk: 'customfield_10050',
} as const;

/** The options of the Change risk select field. */
export const CHANGE_RISK_OPTIONS: readonly { readonly id: string; readonly value: string }[] = [
  { id: '10200', value: 'Low' },
  { id: '10201', value: 'Medium' },
  { id: '10202', value: 'High' },
];
