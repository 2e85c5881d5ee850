// Reads the `fields` and `update` of create/edit requests the way Jira validates them: every problem
// is collected into `errors.{field}` with Jira's wording, and nothing is written unless all is valid.
import {
  CHANGE_RISK_OPTIONS,
  ISSUE_TYPES,
  PRIORITIES,
  CUSTOM_FIELD,
  type IssueRecord,
  type ProjectRecord,
} from './model';
import { adfProblem, wikiToAdf, type RichText } from './adf';
import { isRecord } from './http';
import type { JiraStore } from './store';

export interface IssuePatch {
  project?: ProjectRecord;
  issueTypeId?: string;
  summary?: string;
  description?: RichText | null;
  environment?: RichText | null;
  priorityId?: string;
  assigneeId?: string | null;
  reporterId?: string;
  labels?: string[];
  parentId?: string | null;
  dueDate?: string | null;
  storyPoints?: number | null;
  sprintId?: number | null;
  originalEstimateSeconds?: number | null;
  remainingEstimateSeconds?: number | null;
  /** Comments to add (edit and transition `update.comment`). */
  comments?: RichText[];
  componentIds?: string[];
  fixVersionIds?: string[];
  /** Custom field values by field id (a select field's option id). */
  customValues?: Record<string, unknown>;
}

export interface InputContext {
  readonly store: JiraStore;
  /** Request rich text as ADF (Cloud v3) rather than wiki strings. */
  readonly adf: boolean;
  /** The issue being edited; undefined when creating. */
  readonly issue?: IssueRecord;
}

const SETTABLE = new Set([
  'project',
  'issuetype',
  'summary',
  'description',
  'environment',
  'priority',
  'assignee',
  'reporter',
  'labels',
  'parent',
  'duedate',
  'components',
  'fixVersions',
  'versions',
  'timetracking',
  CUSTOM_FIELD.storyPoints,
  CUSTOM_FIELD.sprint,
  CUSTOM_FIELD.changeRisk,
]);

export const CANNOT_SET = (field: string): string =>
  `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** A transition screen's required field left out (Jira's Field Required validator). */
export const REQUIRED_ON_SCREEN = (name: string): string => `Field ${name} is required.`;

export class InputReader {
  readonly patch: IssuePatch = {};
  readonly errors: Record<string, string> = {};
  readonly errorMessages: string[] = [];

  constructor(private readonly ctx: InputContext) {}

  private fail(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }

  /** Reads `fields` (values to set) and `update` (operations), rejecting a field present in both. */
  read(fields: unknown, update: unknown): void {
    if (fields !== undefined && !isRecord(fields)) {
      this.errorMessages.push('Invalid request payload. Refer to the REST API documentation and try again.');
      return;
    }
    const fieldMap = (fields ?? {}) as Record<string, unknown>;
    // The project decides which issue types are valid, so read it first.
    if ('project' in fieldMap) this.setField('project', fieldMap.project);
    for (const [field, value] of Object.entries(fieldMap)) {
      if (field !== 'project') this.setField(field, value);
    }
    if (update === undefined) return;
    if (!isRecord(update)) {
      this.errorMessages.push('Invalid request payload. Refer to the REST API documentation and try again.');
      return;
    }
    for (const [field, operations] of Object.entries(update)) {
      if (field in fieldMap) {
        this.errorMessages.push(`Field '${field}' cannot be set in both fields and update.`);
        continue;
      }
      if (!Array.isArray(operations)) {
        this.fail(field, `Operation value must be an array of operations for field '${field}'.`);
        continue;
      }
      for (const op of operations) this.applyOperation(field, op);
    }
  }

  private applyOperation(field: string, op: unknown): void {
    if (!isRecord(op)) {
      this.fail(field, 'Operation must be an object.');
      return;
    }
    const [name, value] = Object.entries(op)[0] ?? [];
    if (field === 'labels') {
      const labels = this.patch.labels ?? [...(this.ctx.issue?.labels ?? [])];
      if (name === 'add' && typeof value === 'string') {
        if (this.validLabel(value) && !labels.includes(value)) labels.push(value);
      } else if (name === 'remove' && typeof value === 'string') {
        labels.splice(0, labels.length, ...labels.filter((l) => l !== value));
      } else if (name === 'set') {
        this.setField('labels', value);
        return;
      } else {
        this.fail('labels', `Operation '${String(name)}' is not supported for field 'labels'.`);
        return;
      }
      this.patch.labels = labels;
      return;
    }
    if (field === 'comment') {
      if (name !== 'add' || !isRecord(value)) {
        this.fail('comment', "Only the 'add' operation is supported for comments here.");
        return;
      }
      const body = this.richText('comment', value.body, 'Comment body is not valid!');
      if (body !== undefined && body !== null) (this.patch.comments ??= []).push(body);
      return;
    }
    if (name === 'set') {
      this.setField(field, value);
      return;
    }
    if (!SETTABLE.has(field)) this.fail(field, CANNOT_SET(field));
    else this.fail(field, `Operation '${String(name)}' is not supported for field '${field}'.`);
  }

  private validLabel(label: string): boolean {
    if (/\s/.test(label)) {
      this.fail('labels', `The label '${label}' contains spaces which is invalid.`);
      return false;
    }
    if (label.length > 255) {
      this.fail('labels', 'The label must not exceed 255 characters.');
      return false;
    }
    return true;
  }

  private richText(field: string, value: unknown, invalid: string): RichText | null | undefined {
    if (value === null) return null;
    if (this.ctx.adf) {
      if (adfProblem(value) !== null) {
        this.fail(field, invalid);
        return undefined;
      }
      return value as RichText;
    }
    if (typeof value !== 'string') {
      this.fail(field, `Operation value must be a string`);
      return undefined;
    }
    // Cloud keeps documents even when v2 writes wiki markup; Data Center keeps the markup.
    return this.ctx.store.dataCenter ? value : wikiToAdf(value);
  }

  private user(field: string, value: unknown): string | null | undefined {
    if (value === null) return null;
    if (!isRecord(value)) {
      this.fail(field, `Specify a valid value for ${field}`);
      return undefined;
    }
    const ref = this.ctx.store.dataCenter ? (value.name ?? value.key) : (value.accountId ?? value.id);
    if (ref === null || ref === undefined) {
      if (field === 'assignee') return null;
      this.fail(field, `Specify a valid value for ${field}`);
      return undefined;
    }
    if (ref === '-1') return null;
    const user = typeof ref === 'string' ? this.ctx.store.findUser(ref) : undefined;
    if (!user) {
      this.fail(
        field,
        this.ctx.store.dataCenter
          ? `User '${String(ref)}' does not exist.`
          : 'Specified user does not exist or you do not have required permissions',
      );
      return undefined;
    }
    return user.accountId;
  }

  private setField(field: string, value: unknown): void {
    const store = this.ctx.store;
    switch (field) {
      case 'project': {
        if (this.ctx.issue) {
          this.fail(field, CANNOT_SET(field));
          return;
        }
        const ref = isRecord(value) ? (value.id ?? value.key) : undefined;
        const project = typeof ref === 'string' || typeof ref === 'number' ? store.findProject(String(ref)) : undefined;
        if (!project) this.fail('project', 'Specify a valid project ID or key');
        else this.patch.project = project;
        return;
      }
      case 'issuetype': {
        const ref = isRecord(value) ? (value.id ?? value.name) : undefined;
        const type = ISSUE_TYPES.find(
          (t) => t.id === String(ref) || t.name.toLowerCase() === String(ref).toLowerCase(),
        );
        const project = this.patch.project ?? (this.ctx.issue ? store.projectOf(this.ctx.issue) : undefined);
        if (ref === undefined) this.fail('issuetype', 'Specify an issue type');
        else if (!type || (project && !project.issueTypeIds.includes(type.id)))
          this.fail('issuetype', 'The issue type selected is invalid.');
        else if (
          this.ctx.issue &&
          type.subtask !== ISSUE_TYPES.find((t) => t.id === this.ctx.issue!.issueTypeId)?.subtask
        ) {
          this.fail('issuetype', 'The issue type selected is invalid.');
        } else this.patch.issueTypeId = type.id;
        return;
      }
      case 'summary':
        if (typeof value !== 'string' || value.trim() === '')
          this.fail('summary', 'You must specify a summary of the issue.');
        else if (value.length > 255) this.fail('summary', 'Summary must be less than 255 characters.');
        else this.patch.summary = value.replace(/[\r\n]+/g, ' ');
        return;
      case 'description':
      case 'environment': {
        const text = this.richText(
          field,
          value,
          'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        );
        if (text !== undefined) this.patch[field] = text;
        return;
      }
      case 'priority': {
        const ref = isRecord(value) ? (value.id ?? value.name) : undefined;
        const priority = PRIORITIES.find(
          (p) => p.id === String(ref) || p.name.toLowerCase() === String(ref).toLowerCase(),
        );
        if (!priority) this.fail('priority', 'The priority selected is invalid.');
        else this.patch.priorityId = priority.id;
        return;
      }
      case 'assignee': {
        const id = this.user('assignee', value);
        if (id !== undefined) this.patch.assigneeId = id;
        return;
      }
      case 'reporter': {
        const id = this.user('reporter', value);
        if (id === null) this.fail('reporter', 'Reporter is required.');
        else if (id !== undefined) this.patch.reporterId = id;
        return;
      }
      case 'labels':
        if (value === null) this.patch.labels = [];
        else if (!Array.isArray(value) || value.some((l) => typeof l !== 'string'))
          this.fail('labels', 'Labels must be an array of strings.');
        else if ((value as string[]).every((l) => this.validLabel(l)))
          this.patch.labels = [...new Set(value as string[])];
        return;
      case 'parent': {
        if (value === null) {
          this.patch.parentId = null;
          return;
        }
        const ref = isRecord(value) ? (value.key ?? value.id) : undefined;
        const parent = typeof ref === 'string' ? store.findIssue(ref) : undefined;
        if (!parent) this.fail('parent', 'Could not find issue by id or key.');
        else this.patch.parentId = parent.id;
        return;
      }
      case 'duedate':
        if (value === null) this.patch.dueDate = null;
        else if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
          this.fail('duedate', 'Error parsing date string: ' + String(value));
        } else this.patch.dueDate = value;
        return;
      case CUSTOM_FIELD.storyPoints:
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
          this.fail(field, 'Operation value must be a number');
        else this.patch.storyPoints = value;
        return;
      case CUSTOM_FIELD.sprint: {
        if (value === null) {
          this.patch.sprintId = null;
          return;
        }
        const sprint = typeof value === 'number' ? store.sprints.find((s) => s.id === value) : undefined;
        if (!sprint) this.fail(field, `Sprint with id ${String(value)} does not exist.`);
        else if (sprint.state === 'closed')
          this.fail(field, 'Issue can be assigned only to an active or future sprint.');
        else this.patch.sprintId = sprint.id;
        return;
      }
      case 'timetracking': {
        if (!isRecord(value)) {
          this.fail('timetracking', 'Operation value must be an object');
          return;
        }
        for (const [key, prop] of [
          ['originalEstimate', 'originalEstimateSeconds'],
          ['remainingEstimate', 'remainingEstimateSeconds'],
        ] as const) {
          if (value[key] === undefined) continue;
          const seconds = typeof value[key] === 'string' ? parseDuration(value[key]) : null;
          if (seconds === null) this.fail('timetracking', 'Invalid time duration entered.');
          else this.patch[prop] = seconds;
        }
        if (
          this.patch.originalEstimateSeconds !== undefined &&
          this.patch.remainingEstimateSeconds === undefined &&
          !this.ctx.issue?.worklogs.length
        ) {
          this.patch.remainingEstimateSeconds = this.patch.originalEstimateSeconds;
        }
        return;
      }
      case 'components':
      case 'fixVersions':
      case 'versions':
        this.projectValues(field, value);
        return;
      case CUSTOM_FIELD.changeRisk: {
        if (value === null) {
          this.patch.customValues = { ...this.patch.customValues, [field]: null };
          return;
        }
        const byId = isRecord(value) && value.id !== undefined;
        const ref = isRecord(value) ? (value.id ?? value.value) : undefined;
        const option = CHANGE_RISK_OPTIONS.find((o) => (byId ? o.id === String(ref) : o.value === ref));
        if (!option)
          this.fail(
            field,
            byId ? `Option id '${String(ref)}' is not valid` : `Option value '${String(ref)}' is not valid`,
          );
        else this.patch.customValues = { ...this.patch.customValues, [field]: option.id };
        return;
      }
      default:
        this.fail(field, CANNOT_SET(field));
    }
  }

  /** Components and versions of the issue's project, each `{id}` or `{name}`. */
  private projectValues(field: string, value: unknown): void {
    const project = this.patch.project ?? (this.ctx.issue ? this.ctx.store.projectOf(this.ctx.issue) : undefined);
    const what = field === 'components' ? 'Component' : 'Version';
    if (!Array.isArray(value) || !project) {
      this.fail(field, `${what} is not valid for this project.`);
      return;
    }
    const choices =
      field === 'components'
        ? project.components.map((name, i) => ({ id: String(Number(project.id) * 10 + i), name }))
        : this.ctx.store.versionsOf(project).map((v) => ({ id: v.id, name: v.name }));
    const ids: string[] = [];
    for (const item of value) {
      const ref = isRecord(item) ? (item.id ?? item.name) : undefined;
      const found = choices.find((c) => c.id === String(ref) || c.name === ref);
      if (!found) {
        this.fail(
          field,
          `${what} with ${isRecord(item) && item.id !== undefined ? 'id' : 'name'} '${String(ref)}' does not exist.`,
        );
        return;
      }
      ids.push(found.id);
    }
    // `versions` (affects) is accepted but not kept: the issue has no such property in the sandbox.
    if (field === 'components') this.patch.componentIds = ids;
    else if (field === 'fixVersions') this.patch.fixVersionIds = ids;
  }

  /** Custom fields the project's create screen requires for this type, missing from the request. */
  checkRequired(issueTypeId: string, project: ProjectRecord, names: (fieldId: string) => string): void {
    for (const fieldId of project.requiredOnCreate?.[issueTypeId] ?? []) {
      const value = this.patch.customValues?.[fieldId];
      if ((value === undefined || value === null) && !(fieldId in this.errors))
        this.fail(fieldId, `${names(fieldId)} is required.`);
    }
  }

  /** Checks hierarchy rules once the type and parent are known. */
  checkHierarchy(issueTypeId: string, project: ProjectRecord): void {
    const type = ISSUE_TYPES.find((t) => t.id === issueTypeId);
    const parentId = this.patch.parentId !== undefined ? this.patch.parentId : (this.ctx.issue?.parentId ?? null);
    if (!type) return;
    if (type.subtask && !parentId) {
      this.fail('parent', 'Specify a valid parent issue for the sub-task.');
      return;
    }
    if (!parentId) return;
    const parent = this.ctx.store.findIssue(parentId);
    const parentType = parent ? ISSUE_TYPES.find((t) => t.id === parent.issueTypeId) : undefined;
    if (!parent || !parentType) return;
    const valid =
      parentType.hierarchyLevel === type.hierarchyLevel + 1 &&
      parent.projectId === project.id &&
      parent.id !== this.ctx.issue?.id;
    if (!valid)
      this.fail('parent', `Issue type '${type.name}' cannot be a child of '${parentType.name}' issue ${parent.key}.`);
  }

  get ok(): boolean {
    return this.errorMessages.length === 0 && Object.keys(this.errors).length === 0;
  }
}

/** Jira durations: "3h 20m", "1d" (8 h), "1w" (5 d), "90" (minutes), "1.5h". Null when invalid. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 60;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/g)];
  if (!parts.length || trimmed.replace(/(\d+(?:\.\d+)?)\s*([wdhm])/g, '').trim() !== '') return null;
  const unit: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  return Math.round(parts.reduce((sum, [, amount, u]) => sum + Number(amount) * unit[u!]!, 0));
}
