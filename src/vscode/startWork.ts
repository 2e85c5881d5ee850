// "Jira: Start Work on Issue…" and "Jira: Stop Work": a branch through VS Code's Git extension, the
// transition to "in progress" and the assignment (each optional, the choice remembered), then the
// active issue in the status bar and its key in front of the commit message. The Git extension is
// only asked for when Start Work runs, or after activation when an issue was active before a reload.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { explainError } from '../health/explain';
import { connectionsFor, issueKeyAt, parseIssueReference } from '../issues/detail/issueReference';
import { assignToMe } from '../issues/issueActions';
import { DEFAULT_BRANCH_TEMPLATE } from '../issues/startWork/branchName';
import {
  activeIssue,
  planStartWork,
  readStartWorkIssue,
  rememberChoices,
  rememberedChoices,
  runStartWork,
  setActiveIssue,
  withKeyPrefix,
  withoutKeyPrefix,
  type ActiveIssue,
  type KeyValueStore,
  type StartWorkChoices,
  type StartWorkStep,
  type StepKind,
  type StepOutcome,
} from '../issues/startWork/startWork';
import { checkoutBranch, gitApi, type GitApi, type GitRepository } from './git';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import { readStartWorkSettings } from './settings';

export interface StartWorkDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  /** The workspace's state: the active issue belongs to this workspace, the choices to the person. */
  readonly workspaceState: KeyValueStore;
  readonly globalState: KeyValueStore;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  readonly onIssueChanged: (connectionId: string) => void;
}

/** What the command accepts: a tree row, `{connectionId, key}`, and for tests `steps` and `repository` (a folder path). */
interface StartWorkArgument {
  readonly connectionId: string;
  readonly key: string;
  readonly steps?: StartWorkChoices;
  readonly repository?: string;
}

export interface StartWorkResult {
  readonly key: string;
  readonly outcomes: readonly StepOutcome[];
  readonly repository: string | undefined;
}

export interface StartWork extends vscode.Disposable {
  readonly statusBarItem: vscode.StatusBarItem;
  active(): ActiveIssue | undefined;
}

export function registerStartWork(deps: StartWorkDependencies): StartWork {
  const item = vscode.window.createStatusBarItem(
    'atlassianMcpBridge.activeIssue',
    vscode.StatusBarAlignment.Left,
    -101,
  );
  item.name = vscode.l10n.t('Active Jira Issue');
  /** Repositories whose commit message carries the key, by folder (the Git API hands out new wrappers each time). */
  const watched = new Map<string, { repository: GitRepository; subscription: vscode.Disposable }>();

  const showActive = () => {
    const active = activeIssue(deps.workspaceState);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.workingOnIssue, active !== undefined);
    if (!active) return item.hide();
    item.text = `$(tasklist) ${active.key}`;
    item.tooltip = vscode.l10n.t('Working on {0}: {1}. Click to open it.', active.key, active.summary);
    item.command = {
      title: vscode.l10n.t('Open Jira Issue'),
      command: COMMANDS.openIssue,
      arguments: [{ connectionId: active.connectionId, key: active.key }],
    };
    item.show();
  };

  /** Keeps the key in front of a repository's commit message (instead of the previous issue's), also after a commit empties it. */
  const watch = (repository: GitRepository, previousKey?: string) => {
    const prefix = () => {
      const active = activeIssue(deps.workspaceState);
      if (active && !repository.inputBox.value.trim())
        repository.inputBox.value = withKeyPrefix(repository.inputBox.value, active.key);
    };
    const folder = repository.rootUri.fsPath;
    if (!watched.has(folder)) watched.set(folder, { repository, subscription: repository.state.onDidChange(prefix) });
    const active = activeIssue(deps.workspaceState);
    const message = previousKey ? withoutKeyPrefix(repository.inputBox.value, previousKey) : repository.inputBox.value;
    if (active) repository.inputBox.value = withKeyPrefix(message, active.key);
  };

  const start = async (arg?: unknown): Promise<StartWorkResult | undefined> => {
    const target = await chooseTarget(deps.connections(), arg);
    if (!target) return undefined;
    const { connection, key } = target;
    const choices = target.steps ?? (await chooseSteps(deps.globalState, key));
    if (!choices) return undefined;
    if (!target.steps) await rememberChoices(deps.globalState, choices);
    const api = deps.jira(connection);
    const previous = activeIssue(deps.workspaceState);
    const git = choices.branch ? await gitApi() : undefined;
    const repository = choices.branch ? await chooseRepository(git, target.repository) : undefined;
    if (repository === null) return undefined;
    const result = await vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting work on {0}…', key) },
        async () => {
          const { issue, transitions } = await readStartWorkIssue(api, key, choices.transition);
          const plan = planStartWork({
            issue,
            choices: { ...choices, branch: choices.branch && repository !== undefined },
            template: readStartWorkSettings().branchTemplate || DEFAULT_BRANCH_TEMPLATE,
            transitions,
            me: api.cloud ? connection.user.accountId : undefined,
          });
          const outcomes = await runStartWork(plan, (step) => runStep(step, api, connection, key, repository));
          const branch = outcomes.find((o) => o.step.kind === 'branch' && !o.error)?.step;
          await setActiveIssue(deps.workspaceState, {
            connectionId: connection.id,
            key: issue.key,
            summary: issue.summary,
            branch: branch?.kind === 'branch' ? branch.name : undefined,
          });
          return { key: issue.key, outcomes, repository: repository?.rootUri.fsPath };
        },
      )
      .then(
        (r) => r,
        (err: unknown) => {
          deps.onApiOutcome(connection.id, err);
          void vscode.window.showErrorMessage(describe(connection, err));
          return undefined;
        },
      );
    if (!result) return undefined;
    showActive();
    const repositories = repository ? [repository] : ((git ?? (await gitApi()))?.repositories ?? []);
    const byFolder = new Map([...watched.values()].map((w) => [w.repository.rootUri.fsPath, w.repository]));
    for (const r of repositories) byFolder.set(r.rootUri.fsPath, r);
    for (const r of byFolder.values()) watch(r, previous?.key);
    if (result.outcomes.some((o) => o.step.kind !== 'branch' && !o.error)) deps.onIssueChanged(connection.id);
    report(connection, result, choices.branch && !repository);
    return result;
  };

  const stop = async (): Promise<void> => {
    const active = activeIssue(deps.workspaceState);
    if (!active) return;
    await setActiveIssue(deps.workspaceState, undefined);
    for (const { repository } of watched.values())
      repository.inputBox.value = withoutKeyPrefix(repository.inputBox.value, active.key);
    showActive();
  };

  showActive();
  // After a reload, the active issue's key goes back in front of the commit messages.
  if (activeIssue(deps.workspaceState))
    void gitApi().then(
      (git) => git?.repositories.forEach((r) => watch(r)),
      () => undefined,
    );

  const disposables = [
    item,
    vscode.commands.registerCommand(COMMANDS.startWork, start),
    vscode.commands.registerCommand(COMMANDS.stopWork, stop),
  ];
  return {
    statusBarItem: item,
    active: () => activeIssue(deps.workspaceState),
    dispose: () => {
      for (const w of watched.values()) w.subscription.dispose();
      vscode.Disposable.from(...disposables).dispose();
    },
  };
}

async function runStep(
  step: StartWorkStep,
  api: JiraApi,
  connection: ConnectionInfo,
  key: string,
  repository: GitRepository | undefined,
): Promise<string | undefined> {
  switch (step.kind) {
    case 'branch':
      return repository ? checkoutBranch(repository, step.name) : undefined;
    case 'transition':
      await api.transition(key, step.transition.id);
      return undefined;
    case 'assign':
      await assignToMe(api, connection, key);
      return undefined;
  }
}

/** The issue from the argument, else asked for (the key under the cursor offered). */
async function chooseTarget(
  connections: readonly ConnectionInfo[],
  arg: unknown,
): Promise<{ connection: ConnectionInfo; key: string; steps?: StartWorkChoices; repository?: string } | undefined> {
  const given = startWorkArgument(arg);
  if (given) {
    const connection = connections.find((c) => c.id === given.connectionId);
    if (connection) return { ...given, connection };
  }
  if (connections.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Connect Atlassian first to start work on an issue.'));
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const input = await vscode.window.showInputBox({
    title: vscode.l10n.t('Start Work on Jira Issue'),
    prompt: vscode.l10n.t("An issue key such as ENG-12, or the issue's URL"),
    value: editor
      ? issueKeyAt(editor.document.lineAt(editor.selection.active.line).text, editor.selection.active.character)
      : undefined,
    validateInput: (v) =>
      !v.trim() || parseIssueReference(v)
        ? undefined
        : vscode.l10n.t('Not an issue key or issue URL (for example ENG-12).'),
  });
  const ref = input ? parseIssueReference(input) : undefined;
  if (!ref) return undefined;
  const candidates = connectionsFor(ref, connections);
  const connection =
    candidates.length <= 1
      ? candidates[0]
      : (
          await vscode.window.showQuickPick(
            candidates.map((c) => ({ label: c.siteName, description: c.siteUrl, connection: c })),
            { title: vscode.l10n.t('Start work on {0} from which site?', ref.key) },
          )
        )?.connection;
  return connection && { connection, key: ref.key };
}

function startWorkArgument(arg: unknown): StartWorkArgument | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Partial<StartWorkArgument> & { issue?: { key?: unknown } };
  const key = typeof a.key === 'string' ? a.key : a.issue?.key;
  if (typeof a.connectionId !== 'string' || typeof key !== 'string') return undefined;
  return {
    connectionId: a.connectionId,
    key,
    ...(a.steps && typeof a.steps === 'object' ? { steps: a.steps } : {}),
    ...(typeof a.repository === 'string' ? { repository: a.repository } : {}),
  };
}

/** The steps to take, the last choices ticked. */
async function chooseSteps(store: KeyValueStore, key: string): Promise<StartWorkChoices | undefined> {
  const remembered = rememberedChoices(store);
  const labels: Record<StepKind, string> = {
    branch: vscode.l10n.t('Create or check out a branch'),
    transition: vscode.l10n.t('Move to "In Progress"'),
    assign: vscode.l10n.t('Assign to me'),
  };
  const items = (Object.keys(labels) as StepKind[]).map((step) => ({
    label: labels[step],
    step,
    picked: remembered[step],
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Start Work on {0}', key),
    placeHolder: vscode.l10n.t('The steps to take (your choice is remembered)'),
    canPickMany: true,
  });
  if (!picked) return undefined;
  const chosen = new Set(picked.map((p) => p.step));
  return { branch: chosen.has('branch'), transition: chosen.has('transition'), assign: chosen.has('assign') };
}

/** The repository to branch in: the only one, the one named, or the one picked. null: the pick was cancelled. */
async function chooseRepository(
  git: GitApi | undefined,
  folder: string | undefined,
): Promise<GitRepository | undefined | null> {
  const repositories = git?.repositories ?? [];
  if (folder) return repositories.find((r) => path.resolve(r.rootUri.fsPath) === path.resolve(folder));
  if (repositories.length <= 1) return repositories[0];
  const picked = await vscode.window.showQuickPick(
    repositories.map((r) => ({
      label: path.basename(r.rootUri.fsPath),
      description: vscode.workspace.asRelativePath(r.rootUri, true),
      detail: r.state.HEAD?.name,
      repository: r,
    })),
    { title: vscode.l10n.t('Create the branch in which repository?') },
  );
  return picked ? picked.repository : null;
}

function describe(connection: ConnectionInfo, err: unknown): string {
  const e = explainError(err, { site: connection.siteName, method: connection.method, reason: connection.stateReason });
  return `${e.what} ${e.todo}`.trim();
}

function report(connection: ConnectionInfo, result: StartWorkResult, noRepository: boolean): void {
  const done: string[] = [];
  const failed: string[] = [];
  for (const { step, error, detail } of result.outcomes) {
    if (error) {
      const what =
        step.kind === 'branch'
          ? vscode.l10n.t('branch {0}', step.name)
          : step.kind === 'transition'
            ? vscode.l10n.t('move to {0}', step.transition.to)
            : vscode.l10n.t('assign to you');
      failed.push(`${what}: ${describe(connection, error)}`);
    } else
      done.push(
        step.kind === 'branch'
          ? detail === 'created'
            ? vscode.l10n.t('created branch {0}', step.name)
            : vscode.l10n.t('checked out branch {0}', step.name)
          : step.kind === 'transition'
            ? vscode.l10n.t('moved to {0}', step.transition.to)
            : vscode.l10n.t('assigned to you'),
      );
  }
  if (noRepository) failed.push(vscode.l10n.t('branch: no Git repository is open in this window'));
  const summary = done.length
    ? vscode.l10n.t('Working on {0}: {1}.', result.key, done.join(', '))
    : vscode.l10n.t('Working on {0}.', result.key);
  if (failed.length)
    void vscode.window.showWarningMessage(`${summary} ${vscode.l10n.t('Not done: {0}', failed.join('; '))}`);
  else void vscode.window.showInformationMessage(summary);
}
