// Opening issues in detail panels: one panel per issue (opening it again reveals it), panels restored
// after a reload (WebviewPanelSerializer), "Jira: Open Issue by Key…" (a key, a browse URL or the key
// under the cursor) and vscode://…/issue?key=KEY[&site=URL] links. Only registrations run at
// activation; the panel's page and script load when a panel opens.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { connectionsFor, issueKeyAt, parseIssueReference, type IssueReference } from '../issues/detail/issueReference';
import { explainError } from '../health/explain';
import type { ErrorView } from '../issues/detail/protocol';
import { COMMANDS } from './ids';
import type * as PanelModule from './issueDetailPanel';
import type { IssuePanel, IssueRead } from './issueDetailPanel';

/** The panels' webview type (the serializer's key); in package.json's activation events too. */
export const ISSUE_PANEL_TYPE = 'atlassianMcpBridge.issue';

/**
 * The panel code ships as dist/issueDetailPanel.js and loads when the first panel opens (esbuild.js):
 * activation only registers commands. It gets errors explained from here, where AtlassianError is
 * the class the Jira client throws.
 */
function panelModule(): typeof PanelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./issueDetailPanel') as typeof PanelModule;
}

function explain(connection: ConnectionInfo | undefined, err: unknown): ErrorView {
  const e = explainError(err, {
    site: connection?.siteName ?? '',
    method: connection?.method,
    reason: connection?.stateReason,
  });
  return { what: e.what, todo: e.todo, reconnect: e.remedy === 'reconnect' };
}

export interface IssueDetailDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly extensionUri: vscode.Uri;
  readonly storageUri: vscode.Uri;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  readonly onIssueChanged: (connectionId: string) => void;
}

export interface IssueDetails extends vscode.Disposable {
  /** Opens (or reveals) the panel of an issue. */
  open(connectionId: string, key: string, options?: OpenOptions): IssuePanel;
  readonly panels: ReadonlyMap<string, IssuePanel>;
}

export interface OpenOptions {
  /** Keep the focus where it is (a row of My Issues, so arrowing through rows previews them). */
  readonly preserveFocus?: boolean;
}

interface PanelState {
  readonly connectionId: string;
  readonly key: string;
}

export function registerIssueDetails(deps: IssueDetailDependencies): IssueDetails {
  const panels = new Map<string, IssuePanel>();
  const id = (connectionId: string, key: string) => `${connectionId}\n${key.toUpperCase()}`;
  const panelDeps = {
    connection: (connectionId: string) => deps.connections().find((c) => c.id === connectionId),
    jira: deps.jira,
    extensionUri: deps.extensionUri,
    attachmentDir: vscode.Uri.joinPath(deps.storageUri, 'attachments'),
    onApiOutcome: deps.onApiOutcome,
    onIssueChanged: deps.onIssueChanged,
    openIssue: (connectionId: string, key: string) => void open(connectionId, key),
    explain,
  };
  /** The panel's page runs this extension's script and reads only its own files. */
  const webviewOptions = (): vscode.WebviewPanelOptions & vscode.WebviewOptions => ({
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [
      vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(deps.extensionUri, 'media', 'webview'),
    ],
  });
  const adopt = (panel: vscode.WebviewPanel, state: PanelState, firstRead?: Promise<IssueRead>): IssuePanel => {
    const panelId = id(state.connectionId, state.key);
    const { IssuePanel } = panelModule();
    const issuePanel = new IssuePanel(
      panel,
      state.connectionId,
      state.key,
      panelDeps,
      () => panels.delete(panelId),
      firstRead,
    );
    panels.set(panelId, issuePanel);
    return issuePanel;
  };
  const open = (connectionId: string, key: string, options: OpenOptions = {}): IssuePanel => {
    const existing = panels.get(id(connectionId, key));
    if (existing) {
      existing.panel.reveal(undefined, options.preserveFocus);
      return existing;
    }
    const upperKey = key.toUpperCase();
    // The request goes out before the panel is built; the panel shows its outcome.
    const firstRead = panelModule().readIssue(panelDeps, connectionId, upperKey);
    const panel = vscode.window.createWebviewPanel(
      ISSUE_PANEL_TYPE,
      upperKey,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      webviewOptions(),
    );
    return adopt(panel, { connectionId, key: upperKey }, firstRead);
  };

  /** Opens a reference on the one connection it can belong to, asking when several could. */
  const openReference = async (ref: IssueReference): Promise<void> => {
    const candidates = connectionsFor(ref, deps.connections());
    if (candidates.length === 0) {
      void vscode.window.showErrorMessage(
        ref.origin
          ? vscode.l10n.t('No connection is signed in to {0}. Connect it first.', ref.origin)
          : vscode.l10n.t('Connect Atlassian first to open {0}.', ref.key),
      );
      return;
    }
    const connection =
      candidates.length === 1
        ? candidates[0]
        : (
            await vscode.window.showQuickPick(
              candidates.map((c) => ({ label: c.siteName, description: c.siteUrl, connection: c })),
              { title: vscode.l10n.t('Open {0} from which site?', ref.key) },
            )
          )?.connection;
    if (connection) open(connection.id, ref.key);
  };

  const openByKey = async (preset?: unknown) => {
    const editor = vscode.window.activeTextEditor;
    const underCursor = editor
      ? issueKeyAt(editor.document.lineAt(editor.selection.active.line).text, editor.selection.active.character)
      : undefined;
    const input =
      typeof preset === 'string'
        ? preset
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Open Jira Issue'),
            prompt: vscode.l10n.t("An issue key such as ENG-12, or the issue's URL"),
            value: underCursor,
            validateInput: (v) =>
              !v.trim() || parseIssueReference(v)
                ? undefined
                : vscode.l10n.t('Not an issue key or issue URL (for example ENG-12).'),
          });
    if (!input?.trim()) return;
    const ref = parseIssueReference(input);
    if (ref) await openReference(ref);
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(COMMANDS.openIssue, (arg?: unknown) => {
      const target = issueArgument(arg);
      if (target) open(target.connectionId, target.key, { preserveFocus: target.preserveFocus });
      else return openByKey();
    }),
    vscode.commands.registerCommand(COMMANDS.openIssueByKey, openByKey),
    vscode.window.registerWebviewPanelSerializer(ISSUE_PANEL_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const s = state as Partial<PanelState> | undefined;
        if (typeof s?.connectionId === 'string' && typeof s.key === 'string') {
          panel.webview.options = webviewOptions();
          adopt(panel, { connectionId: s.connectionId, key: s.key });
        } else panel.dispose();
      },
    }),
    vscode.window.registerUriHandler({
      handleUri: async (uri) => {
        if (uri.path.replace(/\/+$/, '') !== '/issue') return;
        const query = new URLSearchParams(uri.query);
        const site = query.get('site');
        const key = query.get('key') ?? '';
        const ref = parseIssueReference(site ? `${site.replace(/\/+$/, '')}/browse/${key}` : key);
        if (ref) await openReference(ref);
        else void vscode.window.showErrorMessage(vscode.l10n.t('The link names no issue: {0}', uri.toString(true)));
      },
    }),
  ];
  return {
    open,
    panels,
    dispose: () => {
      for (const p of panels.values()) p.panel.dispose();
      vscode.Disposable.from(...disposables).dispose();
    },
  };
}

/** A tree row (`{kind:'issue', connectionId, issue:{key}}`) or `{connectionId, key, preserveFocus?}`. */
function issueArgument(arg: unknown): (PanelState & OpenOptions) | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { connectionId?: unknown; key?: unknown; issue?: { key?: unknown }; preserveFocus?: unknown };
  const key = typeof a.key === 'string' ? a.key : a.issue?.key;
  if (typeof a.connectionId !== 'string' || typeof key !== 'string') return undefined;
  return { connectionId: a.connectionId, key, preserveFocus: a.preserveFocus === true };
}
