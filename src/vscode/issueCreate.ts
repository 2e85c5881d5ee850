// Creating issues: "Jira: Create Issue…" (palette and My Issues' title), "Create Sub-task" (the issue
// panel) and "Create Jira Issue from TODO" (a code action on TODO/FIXME comments, which writes the
// new key back into the comment). Only registrations run at activation; the form loads when opened.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { explainError } from '../health/explain';
import { findTodo, remoteWebUrl, todoDraft, withIssueKey, type TodoMarker } from '../issues/create/todo';
import type * as PanelModule from './createIssuePanel';
import type { CreateIssuePanel, CreateOptions } from './createIssuePanel';
import { COMMANDS } from './ids';

export const CREATE_PANEL_TYPE = 'atlassianMcpBridge.createIssue';
const LAST_CHOICE_KEY = 'atlassianMcpBridge.createIssue.last';
/** Lines of code either side of a TODO quoted in the new issue. */
const EXCERPT_LINES = 3;

/** The form ships as dist/createIssuePanel.js and loads when the first one opens (esbuild.js). */
function panelModule(): typeof PanelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./createIssuePanel') as typeof PanelModule;
}

export interface IssueCreationDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly defaultConnection: () => ConnectionInfo | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly extensionUri: vscode.Uri;
  readonly state: vscode.Memento;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  /** An issue was created: My Issues may refresh. */
  readonly onIssueCreated: (connectionId: string) => void;
}

export interface IssueCreation extends vscode.Disposable {
  /** Opens the form (replacing one already open). */
  open(options: CreateOptions): CreateIssuePanel;
  /** The open form, if any. */
  readonly current: CreateIssuePanel | undefined;
}

type LastChoices = Record<string, { projectKey: string; issueTypeId: string }>;

export function registerIssueCreation(deps: IssueCreationDependencies): IssueCreation {
  let current: CreateIssuePanel | undefined;
  const panelDeps = {
    connection: (id: string) => deps.connections().find((c) => c.id === id),
    jira: deps.jira,
    extensionUri: deps.extensionUri,
    onApiOutcome: deps.onApiOutcome,
    explain: (connection: ConnectionInfo | undefined, err: unknown) => {
      const e = explainError(err, {
        site: connection?.siteName ?? '',
        method: connection?.method,
        reason: connection?.stateReason,
      });
      return { what: e.what, todo: e.todo, reconnect: e.remedy === 'reconnect' };
    },
    onCreated: (connectionId: string, key: string) => {
      deps.onIssueCreated(connectionId);
      const open = vscode.l10n.t('Open {0}', key);
      void vscode.window.showInformationMessage(vscode.l10n.t('Created {0}.', key), open).then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMANDS.openIssue, { connectionId, key });
      });
    },
    remembered: (connectionId: string) => deps.state.get<LastChoices>(LAST_CHOICE_KEY)?.[connectionId] ?? {},
    remember: (connectionId: string, choice: { projectKey: string; issueTypeId: string }) =>
      void deps.state.update(LAST_CHOICE_KEY, {
        ...deps.state.get<LastChoices>(LAST_CHOICE_KEY),
        [connectionId]: choice,
      }),
  };

  const open = (options: CreateOptions): CreateIssuePanel => {
    current?.panel.dispose();
    const panel = vscode.window.createWebviewPanel(
      CREATE_PANEL_TYPE,
      vscode.l10n.t('New Jira Issue'),
      vscode.ViewColumn.Active,
      // A half-filled form must survive being hidden behind another tab.
      { enableScripts: true, retainContextWhenHidden: true },
    );
    const { CreateIssuePanel } = panelModule();
    const created: CreateIssuePanel = new CreateIssuePanel(panel, options, panelDeps, () => {
      if (current === created) current = undefined;
    });
    current = created;
    return created;
  };

  /** The connection to create on: the one named, the only one, or the one the person picks. */
  const chooseConnection = async (connectionId?: unknown): Promise<ConnectionInfo | undefined> => {
    const all = deps.connections();
    const named = all.find((c) => c.id === connectionId);
    if (named) return named;
    if (all.length === 0) {
      const connect = vscode.l10n.t('Connect Atlassian');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('Connect Atlassian first to create Jira issues.'),
        connect,
      );
      if (choice) void vscode.commands.executeCommand(COMMANDS.connect);
      return undefined;
    }
    if (all.length === 1) return all[0];
    const preferred = deps.defaultConnection()?.id;
    const sorted = [...all].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
    const picked = await vscode.window.showQuickPick(
      sorted.map((c) => ({ label: c.siteName, description: c.siteUrl, connection: c })),
      { title: vscode.l10n.t('Create the issue on which site?') },
    );
    return picked?.connection;
  };

  const createFromTodo = async (uri?: unknown, line?: unknown) => {
    const document =
      uri instanceof vscode.Uri
        ? await vscode.workspace.openTextDocument(uri)
        : vscode.window.activeTextEditor?.document;
    const at = typeof line === 'number' ? line : vscode.window.activeTextEditor?.selection.active.line;
    if (!document || at === undefined) return;
    const marker = findTodo(document.lineAt(at).text);
    if (!marker) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no TODO or FIXME comment on this line.'));
      return;
    }
    const connection = await chooseConnection();
    if (!connection) return;
    const draft = todoDraft(await todoContext(document, at, marker));
    return open({
      connectionId: connection.id,
      summary: draft.summary,
      description: draft.description,
      onCreated: (key) => writeKeyBack(document, at, marker, key),
    });
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(COMMANDS.createIssue, async (arg?: unknown) => {
      const a = (arg ?? {}) as { connectionId?: unknown; connection?: { id?: unknown } };
      const connection = await chooseConnection(a.connectionId ?? a.connection?.id);
      if (connection) return open({ connectionId: connection.id });
    }),
    vscode.commands.registerCommand(COMMANDS.createSubtask, async (arg?: unknown) => {
      const a = (arg ?? {}) as { connectionId?: unknown; key?: unknown; issue?: { key?: unknown } };
      const parentKey = typeof a.key === 'string' ? a.key : a.issue?.key;
      const connection = await chooseConnection(a.connectionId);
      if (!connection) return;
      const key =
        typeof parentKey === 'string'
          ? parentKey
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Create Jira Sub-task'),
              prompt: vscode.l10n.t('The key of the parent issue, for example ENG-12'),
              validateInput: (v) =>
                /^[A-Za-z][A-Za-z0-9_]+-\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('Not an issue key.'),
            });
      if (key) return open({ connectionId: connection.id, parentKey: key.trim().toUpperCase() });
    }),
    vscode.commands.registerCommand(COMMANDS.createIssueFromTodo, createFromTodo),
    vscode.languages.registerCodeActionsProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }],
      {
        provideCodeActions: (document, range) => {
          if (deps.connections().length === 0) return [];
          const line = range.start.line;
          if (!findTodo(document.lineAt(line).text)) return [];
          const action = new vscode.CodeAction(
            vscode.l10n.t('Create Jira Issue from TODO'),
            vscode.CodeActionKind.QuickFix,
          );
          action.command = {
            command: COMMANDS.createIssueFromTodo,
            title: action.title,
            arguments: [document.uri, line],
          };
          return [action];
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  ];
  return {
    open,
    get current() {
      return current;
    },
    dispose: () => {
      current?.panel.dispose();
      vscode.Disposable.from(...disposables).dispose();
    },
  };
}

/** Where the TODO is: its path, the code around it, and a web link when the repository's remote is known. */
async function todoContext(document: vscode.TextDocument, line: number, marker: TodoMarker) {
  const first = Math.max(0, line - EXCERPT_LINES);
  const last = Math.min(document.lineCount - 1, line + EXCERPT_LINES);
  const excerpt: string[] = [];
  for (let i = first; i <= last; i++) excerpt.push(document.lineAt(i).text);
  const repo = await gitRepository(document.uri);
  const repoPath = repo ? relativePath(repo.rootUri, document.uri) : undefined;
  const remote = repo?.state.remotes.find((r) => r.name === 'origin') ?? repo?.state.remotes[0];
  const url = remote?.fetchUrl ?? remote?.pushUrl;
  const commit = repo?.state.HEAD?.commit;
  return {
    marker,
    path: repoPath ?? vscode.workspace.asRelativePath(document.uri, false),
    line,
    excerpt,
    excerptStart: first,
    languageId: document.languageId,
    ...(url && commit && repoPath ? { webUrl: remoteWebUrl(url, commit, repoPath, line) } : {}),
  };
}

function relativePath(root: vscode.Uri, file: vscode.Uri): string | undefined {
  const prefix = root.path.replace(/\/?$/, '/');
  return file.path.startsWith(prefix) ? file.path.slice(prefix.length) : undefined;
}

/** The few parts of VS Code's Git extension API this reads. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD?: { readonly commit?: string };
    readonly remotes: readonly { readonly name: string; readonly fetchUrl?: string; readonly pushUrl?: string }[];
  };
}

async function gitRepository(uri: vscode.Uri): Promise<GitRepository | undefined> {
  if (uri.scheme !== 'file') return undefined;
  try {
    const git = vscode.extensions.getExtension<{
      getAPI(v: 1): { getRepository(uri: vscode.Uri): GitRepository | null };
    }>('vscode.git');
    if (!git) return undefined;
    const exports = git.isActive ? git.exports : await git.activate();
    return exports.getAPI(1).getRepository(uri) ?? undefined;
  } catch {
    // Git disabled or not installed: the issue simply has no link.
    return undefined;
  }
}

/** Puts the key into the TODO, on its line or, if lines moved meanwhile, on the line that still has it. */
async function writeKeyBack(document: vscode.TextDocument, line: number, marker: TodoMarker, key: string) {
  const same = (i: number) => {
    const m = findTodo(document.lineAt(i).text);
    return m && m.text === marker.text ? m : undefined;
  };
  let at = line < document.lineCount && same(line) ? line : -1;
  for (let i = 0; at < 0 && i < document.lineCount; i++) if (same(i)) at = i;
  if (at < 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The TODO comment was not found any more; add {0} to it by hand.', key),
    );
    return;
  }
  const text = document.lineAt(at).text;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, document.lineAt(at).range, withIssueKey(text, same(at)!, key));
  await vscode.workspace.applyEdit(edit);
}
