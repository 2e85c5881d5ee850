// One issue's detail panel (bundled as dist/issueDetailPanel.js, loaded when the first panel opens): loads the issue, hands the webview plain data (and attachment images as
// data: URIs), and runs the actions the webview asks for. Errors stay in the panel with Retry and,
// where the sign-in is the problem, Reconnect.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import {
  attachmentBytes,
  editDescription,
  editSummary,
  imageDataUri,
  MAX_INLINE_IMAGE_BYTES,
} from '../issues/detail/detailActions';
import { loadChangelog, loadComments, loadIssueDetail, type IssueDetail } from '../issues/detail/issueDetail';
import type { DetailView, ErrorView, FromWebview, ToWebview } from '../issues/detail/protocol';
import { commentBody } from '../issues/detail/mentions';
import { richTextToHtml } from '../issues/detail/richText';
import { assignToMe } from '../issues/issueActions';
import { browseUrl } from '../issues/issue';
import { COMMANDS } from './ids';
import { issueDetailHtml } from './issueDetailHtml';
import { assignPrompt, runTransitionPrompt } from './issueDetailPrompts';

export interface IssuePanelDependencies {
  readonly connection: (id: string) => ConnectionInfo | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly extensionUri: vscode.Uri;
  /** Where opened attachments are written before VS Code opens them. */
  readonly attachmentDir: vscode.Uri;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  /** The issue changed: the My Issues view may want to refresh. */
  readonly onIssueChanged: (connectionId: string) => void;
  readonly openIssue: (connectionId: string, key: string) => void;
  /** Words an error for the person (from the main bundle, whose AtlassianError the Jira client throws). */
  readonly explain: (connection: ConnectionInfo | undefined, err: unknown) => ErrorView;
}

/** An issue as read for its panel, with the connection and client it was read through. */
export interface IssueRead {
  readonly connection: ConnectionInfo;
  readonly api: JiraApi;
  readonly detail: IssueDetail;
}

/**
 * Reads an issue for its panel. `open` starts this before it creates the panel, so Jira answers while
 * VS Code builds the webview (bench/: the view's time is mostly the two requests).
 */
export async function readIssue(deps: IssuePanelDependencies, connectionId: string, key: string): Promise<IssueRead> {
  const connection = deps.connection(connectionId);
  if (!connection) throw new Error(vscode.l10n.t('The connection of {0} no longer exists.', key));
  const api = deps.jira(connection);
  return { connection, api, detail: await loadIssueDetail(api, connection, key) };
}

export class IssuePanel implements vscode.Disposable {
  private detail: IssueDetail | undefined;
  /** What went wrong in the last load, while the panel shows it. */
  private failure: ErrorView | undefined;
  /** Images already fetched (attachment id → data: URI): a webview reloaded after being hidden gets them again. */
  private readonly images = new Map<string, string>();
  private loading: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves when the first load finished (shown or failed), for tests and the bench. */
  readonly firstLoad: Promise<void>;
  private resolveFirstLoad!: () => void;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly connectionId: string,
    readonly key: string,
    private readonly deps: IssuePanelDependencies,
    onDispose: () => void,
    firstRead?: Promise<IssueRead>,
  ) {
    this.firstLoad = new Promise((resolve) => (this.resolveFirstLoad = resolve));
    // The panel comes with its title and webview options (issueDetail.ts): each change is a message to
    // the workbench, and the page says it is loading until the first answer.
    panel.webview.html = issueDetailHtml(panel.webview, deps.extensionUri, key);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.handle(m)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
    void this.reload(firstRead);
  }

  /** What the panel shows (the issue, or why it could not load), for the editor tests. */
  get current(): IssueDetail | undefined {
    return this.detail;
  }
  get error(): ErrorView | undefined {
    return this.failure;
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /**
   * Loads the issue again (a second call while one runs joins it); `started` is a read already under
   * way (`open` starts one before it creates the panel).
   */
  reload(started?: Promise<IssueRead>): Promise<void> {
    return (this.loading ??= this.load(started).finally(() => (this.loading = undefined)));
  }

  private async load(started?: Promise<IssueRead>): Promise<void> {
    const read = started ?? readIssue(this.deps, this.connectionId, this.key);
    // The page shows "Loading" until the first answer; a reload says so again.
    if (this.detail || this.failure) this.post({ type: 'loading', key: this.key });
    try {
      const { connection, api, detail } = await read;
      this.detail = detail;
      this.failure = undefined;
      this.deps.onApiOutcome(connection.id, undefined);
      this.panel.title = `${detail.key} ${detail.summary.summary}`;
      this.post({ type: 'detail', detail: toView(detail) });
      void this.sendImages(api, detail);
    } catch (err) {
      this.detail = undefined;
      this.failure = this.explain(this.deps.connection(this.connectionId), err);
      this.post({ type: 'error', key: this.key, error: this.failure });
    } finally {
      this.resolveFirstLoad();
    }
  }

  /** Fetches the images the description and comments show, one at a time, and hands them over as data. */
  private async sendImages(api: JiraApi, detail: IssueDetail): Promise<void> {
    const html = detail.descriptionHtml + detail.comments.comments.map((c) => c.html).join('');
    const ids = new Set([...html.matchAll(/data-attachment="([^"]+)"/g)].map((m) => m[1]!));
    for (const attachment of detail.attachments.filter((a) => ids.has(a.id) && !this.images.has(a.id))) {
      try {
        const uri = imageDataUri(attachment, await attachmentBytes(api, attachment, MAX_INLINE_IMAGE_BYTES));
        if (!uri) continue;
        this.images.set(attachment.id, uri);
        this.post({ type: 'image', id: attachment.id, uri });
      } catch {
        // Too large or unreadable: the attachment list still offers Open and Save.
      }
    }
  }

  private explain(connection: ConnectionInfo | undefined, err: unknown): ErrorView {
    if (connection) this.deps.onApiOutcome(connection.id, err);
    return this.deps.explain(connection, err);
  }

  private async handle(m: FromWebview): Promise<void> {
    if (m.type === 'ready') {
      if (!this.detail) return;
      this.post({ type: 'detail', detail: toView(this.detail) });
      for (const [id, uri] of this.images) this.post({ type: 'image', id, uri });
      return;
    }
    if (m.type === 'openIssue') return this.deps.openIssue(this.connectionId, m.key);
    if (m.type === 'preview') return this.preview(m.markdown);
    if (m.type === 'action' && m.action === 'refresh') return this.reload();
    if (m.type === 'action' && m.action === 'reconnect') {
      await vscode.commands.executeCommand(COMMANDS.connect);
      return this.reload();
    }
    const connection = this.deps.connection(this.connectionId);
    if (!connection) return this.reload();
    const api = this.deps.jira(connection);
    this.post({ type: 'busy', busy: true });
    try {
      if (await this.run(m, api, connection)) {
        this.deps.onIssueChanged(connection.id);
        await this.reload();
      }
    } catch (err) {
      this.post({ type: 'actionError', error: this.explain(connection, err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Runs one action; true when it changed the issue (the panel then reloads). */
  private async run(m: FromWebview, api: JiraApi, connection: ConnectionInfo): Promise<boolean> {
    const key = this.key;
    switch (m.type) {
      case 'comment':
        await api.addComment(key, await commentBody(api, m.markdown));
        return true;
      case 'editDescription':
        await editDescription(api, key, m.markdown);
        return true;
      case 'attachment':
        await this.attachment(api, m.id, m.mode);
        return false;
      case 'action':
        break;
      default:
        return false;
    }
    switch (m.action) {
      case 'transition':
        return runTransitionPrompt(api, key, this.detail?.summary.status.name);
      case 'assign': {
        const user = await assignPrompt(api, key);
        if (user === undefined) return false;
        await api.assign(key, user);
        return true;
      }
      case 'assignToMe':
        await assignToMe(api, connection, key);
        return true;
      case 'startWork':
        // The command reports what it did and refreshes My Issues; the panel reloads to show the new status.
        return (
          (await vscode.commands.executeCommand(COMMANDS.startWork, { connectionId: this.connectionId, key })) !==
          undefined
        );
      case 'editSummary': {
        const summary = await vscode.window.showInputBox({
          title: vscode.l10n.t('Summary of {0}', key),
          value: this.detail?.summary.summary,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A summary cannot be empty.')),
        });
        if (!summary?.trim() || summary === this.detail?.summary.summary) return false;
        await editSummary(api, key, summary);
        return true;
      }
      case 'openInBrowser':
        await vscode.env.openExternal(vscode.Uri.parse(browseUrl(connection, key), true));
        return false;
      case 'copyKey':
      case 'copyLink': {
        const text = m.action === 'copyKey' ? key : browseUrl(connection, key);
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text), 3000);
        return false;
      }
      case 'moreComments': {
        const next = this.detail?.comments.nextStartAt;
        if (!this.detail || next === undefined) return false;
        const page = await loadComments(api, key, next, this.detail.attachments);
        this.detail = {
          ...this.detail,
          comments: { ...page, comments: [...this.detail.comments.comments, ...page.comments] },
        };
        this.post({ type: 'comments', page });
        return false;
      }
      case 'changelog':
        this.post({ type: 'changelog', entries: await loadChangelog(api, key) });
        return false;
      case 'createSubtask':
        await vscode.commands.executeCommand(COMMANDS.createSubtask, { connectionId: connection.id, key });
        return false;
      default:
        return false;
    }
  }

  /** Renders a comment being written through the same conversion it is sent with, mentions looked up. */
  private async preview(markdown: string): Promise<void> {
    const connection = this.deps.connection(this.connectionId);
    if (!connection || !markdown.trim()) return this.post({ type: 'preview', html: '' });
    try {
      const body = await commentBody(this.deps.jira(connection), markdown);
      this.post({ type: 'preview', html: await richTextToHtml(body, this.detail?.attachments ?? []) });
    } catch (err) {
      this.post({ type: 'actionError', error: this.explain(connection, err) });
    }
  }

  private async attachment(api: JiraApi, id: string, mode: 'open' | 'save'): Promise<void> {
    const attachment = this.detail?.attachments.find((a) => a.id === id);
    if (!attachment) return;
    const safeName = safeFileName(attachment.filename) || attachment.id;
    if (mode === 'save') {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(
          vscode.workspace.workspaceFolders?.[0]?.uri ?? this.deps.attachmentDir,
          safeName,
        ),
        title: vscode.l10n.t('Save {0}', attachment.filename),
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, await attachmentBytes(api, attachment));
      vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0}', target.fsPath), 5000);
      return;
    }
    const file = vscode.Uri.joinPath(
      this.deps.attachmentDir,
      this.connectionId.replace(/\W+/g, '_'),
      attachment.id,
      safeName,
    );
    await vscode.workspace.fs.writeFile(file, await attachmentBytes(api, attachment));
    await vscode.commands.executeCommand('vscode.open', file, { preview: true });
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** A file name that stays inside the folder it is written to, on every OS. */
function safeFileName(name: string): string {
  return [...name]
    .map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+/, '_');
}

/** The detail without what the webview must not see (attachment content URLs). */
function toView(detail: IssueDetail): DetailView {
  return { ...detail, attachments: detail.attachments.map(({ content: _content, ...rest }) => rest) };
}
