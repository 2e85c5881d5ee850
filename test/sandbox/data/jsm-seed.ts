// Jira Service Management in the sandbox: which projects are service desks on each site, their
// queues (JQL), request types with their fields, and the SLA goals every request is measured by.
import { ISSUE_TYPE, PRIORITIES } from '../jira/model';

export interface RequestTypeFieldPlan {
  readonly fieldId: string;
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly jiraSchema: Readonly<Record<string, string>>;
  readonly validValues: readonly { readonly value: string; readonly label: string }[];
}

export interface RequestTypePlan {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly helpText: string;
  readonly issueTypeId: string;
  readonly fields: readonly RequestTypeFieldPlan[];
}

export interface QueuePlan {
  readonly id: string;
  readonly name: string;
  /** `{project}` stands for the service desk's project key. */
  readonly jql: string;
}

export interface ServiceDeskPlan {
  readonly id: string;
  readonly projectKey: string;
  readonly requestTypes: readonly RequestTypePlan[];
}

export interface SlaGoal {
  readonly id: string;
  readonly name: string;
  readonly goalMs: number;
}

const HOUR = 3_600_000;

export const SLA_GOALS: readonly SlaGoal[] = [
  { id: '1', name: 'Time to first response', goalMs: 4 * HOUR },
  { id: '2', name: 'Time to resolution', goalMs: 24 * HOUR },
];

export const QUEUES: readonly QueuePlan[] = [
  { id: '1', name: 'All open', jql: 'project = {project} AND resolution = Unresolved ORDER BY created DESC' },
  {
    id: '2',
    name: 'Assigned to me',
    jql: 'project = {project} AND assignee = currentUser() AND resolution = Unresolved ORDER BY created DESC',
  },
  {
    id: '3',
    name: 'Unassigned',
    jql: 'project = {project} AND assignee is EMPTY AND resolution = Unresolved ORDER BY created DESC',
  },
  { id: '4', name: 'Resolved', jql: 'project = {project} AND resolution is not EMPTY ORDER BY updated DESC' },
];

const SUMMARY: RequestTypeFieldPlan = {
  fieldId: 'summary',
  name: 'Summary',
  description: 'What do you need?',
  required: true,
  jiraSchema: { type: 'string', system: 'summary' },
  validValues: [],
};

const DESCRIPTION = (required: boolean): RequestTypeFieldPlan => ({
  fieldId: 'description',
  name: 'Description',
  description: 'Tell us more.',
  required,
  jiraSchema: { type: 'string', system: 'description' },
  validValues: [],
});

const PRIORITY_FIELD: RequestTypeFieldPlan = {
  fieldId: 'priority',
  name: 'Priority',
  description: 'How urgent is it?',
  required: false,
  jiraSchema: { type: 'priority', system: 'priority' },
  validValues: PRIORITIES.map((p) => ({ value: p.id, label: p.name })),
};

const IT_TYPES: readonly RequestTypePlan[] = [
  {
    id: '10',
    name: 'Get IT help',
    description: 'Get assistance for general IT problems and questions.',
    helpText: 'Ask us anything.',
    issueTypeId: ISSUE_TYPE.task,
    fields: [SUMMARY, DESCRIPTION(false)],
  },
  {
    id: '11',
    name: 'Report an incident',
    description: 'Report an outage or a system that is not working.',
    helpText: 'Tell us what is broken and since when.',
    issueTypeId: ISSUE_TYPE.bug,
    fields: [SUMMARY, DESCRIPTION(true), PRIORITY_FIELD],
  },
];

const DOC_TYPES: readonly RequestTypePlan[] = [
  {
    id: '20',
    name: 'Request documentation',
    description: 'Ask for a new guide or a correction.',
    helpText: '',
    issueTypeId: ISSUE_TYPE.task,
    fields: [SUMMARY, DESCRIPTION(false)],
  },
];

/** Per site name; sites not listed have no Service Management. */
export const SERVICE_DESKS: Readonly<Record<string, readonly ServiceDeskPlan[]>> = {
  acme: [
    { id: '1', projectKey: 'OPS', requestTypes: IT_TYPES },
    { id: '2', projectKey: 'DOC', requestTypes: DOC_TYPES },
  ],
  globex: [{ id: '1', projectKey: 'SUP', requestTypes: IT_TYPES }],
  dc: [{ id: '1', projectKey: 'TOOLS', requestTypes: IT_TYPES }],
};
