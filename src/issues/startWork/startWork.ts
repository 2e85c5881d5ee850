// Start Work on an issue, editor-free: which steps to take (branch, transition to "in progress",
// assign to me), the transition to use, the choices a person made last time, and the commit message
// prefix. The Git and UI side lives in src/vscode/startWork.ts.
import type { JiraApi, Json } from '../../atlassian/jira';
import { branchName, type BranchIssue } from './branchName';

export type StepKind = 'branch' | 'transition' | 'assign';
export const STEP_KINDS: readonly StepKind[] = ['branch', 'transition', 'assign'];

/** Which steps a person wants; remembered between runs. */
export type StartWorkChoices = Readonly<Record<StepKind, boolean>>;
export const DEFAULT_CHOICES: StartWorkChoices = { branch: true, transition: true, assign: true };

/** Where choices and the active issue are kept (a VS Code Memento fits). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const CHOICES_KEY = 'atlassianMcpBridge.startWork.choices';
export const ACTIVE_ISSUE_KEY = 'atlassianMcpBridge.startWork.activeIssue';

export function rememberedChoices(store: KeyValueStore): StartWorkChoices {
  const saved = store.get<Partial<Record<StepKind, unknown>>>(CHOICES_KEY);
  const pick = (kind: StepKind) => (typeof saved?.[kind] === 'boolean' ? saved[kind] : DEFAULT_CHOICES[kind]);
  return { branch: pick('branch'), transition: pick('transition'), assign: pick('assign') };
}

export async function rememberChoices(store: KeyValueStore, choices: StartWorkChoices): Promise<void> {
  await store.update(CHOICES_KEY, { ...choices });
}

/** The issue being worked on in this workspace. */
export interface ActiveIssue {
  readonly connectionId: string;
  readonly key: string;
  readonly summary: string;
  readonly branch: string | undefined;
}

export function activeIssue(store: KeyValueStore): ActiveIssue | undefined {
  const a = store.get<Partial<ActiveIssue>>(ACTIVE_ISSUE_KEY);
  if (typeof a?.connectionId !== 'string' || typeof a.key !== 'string') return undefined;
  return {
    connectionId: a.connectionId,
    key: a.key,
    summary: typeof a.summary === 'string' ? a.summary : '',
    branch: typeof a.branch === 'string' ? a.branch : undefined,
  };
}

export async function setActiveIssue(store: KeyValueStore, issue: ActiveIssue | undefined): Promise<void> {
  await store.update(ACTIVE_ISSUE_KEY, issue ? { ...issue } : undefined);
}

export interface StartWorkIssue extends BranchIssue {
  /** The status category key: 'new', 'indeterminate' (in progress) or 'done'. */
  readonly statusCategory: string | undefined;
  readonly status: string;
  /** accountId on Cloud, user name on Data Center. */
  readonly assignee: string | undefined;
}

export interface InProgressTransition {
  readonly id: string;
  readonly name: string;
  readonly to: string;
}

export type StartWorkStep =
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'transition'; readonly transition: InProgressTransition }
  | { readonly kind: 'assign' };

export type SkipReason = 'alreadyInProgress' | 'noInProgressTransition' | 'alreadyAssigned';

export interface StartWorkPlan {
  readonly steps: readonly StartWorkStep[];
  readonly skipped: readonly { readonly kind: StepKind; readonly reason: SkipReason }[];
}

/**
 * The transition Start Work takes: one leading to an "in progress" status (category
 * 'indeterminate'), one named like "In Progress" first, else the first such in the workflow's order.
 */
export function inProgressTransition(transitions: readonly Json[]): InProgressTransition | undefined {
  const choices = transitions.map((t) => {
    const to = record(t.to);
    return {
      id: str(t.id) ?? '',
      name: str(t.name) ?? str(t.id) ?? '',
      to: str(to.name) ?? '',
      category: str(record(to.statusCategory).key) ?? '',
    };
  });
  const progressing = choices.filter((c) => c.category === 'indeterminate' && c.id);
  const named = progressing.find((c) => /\bin[\s-]?progress\b/i.test(c.to) || /\bin[\s-]?progress\b/i.test(c.name));
  const chosen = named ?? progressing[0];
  return chosen && { id: chosen.id, name: chosen.name, to: chosen.to };
}

export interface PlanInput {
  readonly issue: StartWorkIssue;
  readonly choices: StartWorkChoices;
  readonly template: string;
  /** The issue's transitions; only read when the transition step is chosen. */
  readonly transitions: readonly Json[];
  /** The signed-in user as the issue's assignee field names them, when known. */
  readonly me: string | undefined;
}

export function planStartWork(input: PlanInput): StartWorkPlan {
  const { issue, choices } = input;
  const steps: StartWorkStep[] = [];
  const skipped: { kind: StepKind; reason: SkipReason }[] = [];
  if (choices.branch) steps.push({ kind: 'branch', name: branchName(input.template, issue) });
  if (choices.transition) {
    const transition = issue.statusCategory === 'indeterminate' ? undefined : inProgressTransition(input.transitions);
    if (transition) steps.push({ kind: 'transition', transition });
    else
      skipped.push({
        kind: 'transition',
        reason: issue.statusCategory === 'indeterminate' ? 'alreadyInProgress' : 'noInProgressTransition',
      });
  }
  if (choices.assign) {
    if (input.me !== undefined && issue.assignee === input.me)
      skipped.push({ kind: 'assign', reason: 'alreadyAssigned' });
    else steps.push({ kind: 'assign' });
  }
  return { steps, skipped };
}

/** What Start Work reads of the issue. */
export const START_WORK_FIELDS: readonly string[] = ['summary', 'status', 'issuetype', 'assignee'];

/** The issue and, when the transition step is wanted, its transitions, read in parallel. */
export async function readStartWorkIssue(
  api: JiraApi,
  key: string,
  wantTransitions: boolean,
  signal?: AbortSignal,
): Promise<{ issue: StartWorkIssue; transitions: Json[] }> {
  const [json, transitions] = await Promise.all([
    api.getIssue(key, { fields: START_WORK_FIELDS, signal }),
    wantTransitions ? api.transitions(key, signal) : Promise.resolve([]),
  ]);
  const fields = record(json.fields);
  const status = record(fields.status);
  const assignee = record(fields.assignee);
  return {
    issue: {
      key: str(json.key) ?? key,
      summary: str(fields.summary) ?? '',
      type: str(record(fields.issuetype).name) ?? '',
      status: str(status.name) ?? '',
      statusCategory: str(record(status.statusCategory).key),
      assignee: str(assignee.accountId) ?? str(assignee.name),
    },
    transitions,
  };
}

export interface StepOutcome {
  readonly step: StartWorkStep;
  readonly error: unknown;
  /** For the branch step: whether it was created or an existing one checked out. */
  readonly detail?: string;
}

/** Runs every step in order; one that fails does not stop the others (they do not depend on each other). */
export async function runStartWork(
  plan: StartWorkPlan,
  run: (step: StartWorkStep) => Promise<string | undefined>,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of plan.steps) {
    try {
      const detail = await run(step);
      outcomes.push(detail === undefined ? { step, error: undefined } : { step, error: undefined, detail });
    } catch (error) {
      outcomes.push({ step, error });
    }
  }
  return outcomes;
}

/** The commit message with the key in front, once ("ENG-12 " when empty). */
export function withKeyPrefix(message: string, key: string): string {
  if (startsWithKey(message, key)) return message;
  return message.trim() ? `${key} ${message}` : `${key} `;
}

/** The commit message without the prefix withKeyPrefix added. */
export function withoutKeyPrefix(message: string, key: string): string {
  return startsWithKey(message, key) ? message.slice(key.length).replace(/^[\s:]+/, '') : message;
}

function startsWithKey(message: string, key: string): boolean {
  return message.toUpperCase().startsWith(key.toUpperCase()) && !/[A-Za-z0-9]/.test(message.charAt(key.length));
}

function record(value: unknown): Json {
  return value && typeof value === 'object' ? (value as Json) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
