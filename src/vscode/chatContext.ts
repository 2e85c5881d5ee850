// Issues and Confluence pages into chat. Each becomes a read-only Markdown document under a scheme of
// ours (src/issues/chat/chatDocument.ts), served by a FileSystemProvider: VS Code's
// `workbench.action.chat.open` attaches `attachFiles` only when the file service says they exist, and
// a TextDocumentContentProvider is not a file system. The chat then gives the model the document
// itself, without a tool call. Only stable commands and API are used (`workbench.action.chat.open`
// with `query`, `isPartialQuery`, `attachFiles`, `mode`; VS Code 1.139). Where chat is missing (forks,
// AI features turned off) the document opens in an editor instead. Rendering loads on first use.
import * as vscode from 'vscode';
import type { Credentials, HttpClientOptions } from '../atlassian/http';
import { AtlassianError } from '../atlassian/errors';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { explainError } from '../health/explain';
import {
  chatDocumentPath,
  chatDocumentScheme,
  ISSUE_SCHEME,
  PAGE_SCHEME,
  parseChatDocument,
  parsePageReference,
  siteSegment,
  type ChatDocumentRef,
} from '../issues/chat/chatDocument';
import type * as RenderModule from '../issues/chat/render';
import { COMMANDS } from './ids';

/** VS Code's own command that opens the chat view (stable since 1.9x; its options as of 1.139). */
export const CHAT_OPEN_COMMAND = 'workbench.action.chat.open';

/** A rendered document is reused this long: the chat stats and reads it right after it is attached. */
const CACHE_MS = 60_000;

export interface ChatContextDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly defaultConnectionId: () => string | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly credentials: (connectionId: string) => Credentials;
  readonly http: HttpClientOptions;
  /** The issue of the detail panel in front, for the panel's title-bar action. */
  readonly activeIssue: () => { connectionId: string; key: string } | undefined;
}

export interface ChatContext extends vscode.Disposable {
  /** The URI an issue or page is attached under. */
  uriFor(ref: ChatDocumentRef): vscode.Uri;
  /** What the last chat open carried (for the editor tests; nothing secret). */
  readonly lastChatRequest: () => ChatOpenOptions | undefined;
}

export interface ChatOpenOptions {
  readonly query?: string;
  readonly isPartialQuery?: boolean;
  readonly attachFiles: vscode.Uri[];
  readonly mode?: string;
}

function renderModule(): typeof RenderModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../issues/chat/render') as typeof RenderModule;
}

export function registerChatContext(deps: ChatContextDependencies): ChatContext {
  const cache = new Map<string, { at: number; bytes: Promise<Uint8Array> }>();
  let lastRequest: ChatOpenOptions | undefined;
  const encoder = new TextEncoder();

  const render = (uri: vscode.Uri): Promise<Uint8Array> => {
    const key = uri.toString();
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.bytes;
    const ref = parseChatDocument(uri.scheme, uri.path);
    if (!ref) return Promise.reject(vscode.FileSystemError.FileNotFound(uri));
    const bytes = renderModule()
      .renderChatDocument(ref, deps)
      .then((r) => encoder.encode(r.markdown));
    cache.set(key, { at: Date.now(), bytes });
    bytes.catch(() => cache.delete(key));
    return bytes;
  };

  /** Atlassian's answer as a file-system error: a 404 is "not found"; anything else keeps its explanation. */
  const fsError = (err: unknown, uri: vscode.Uri): vscode.FileSystemError => {
    if (err instanceof vscode.FileSystemError) return err;
    if (err instanceof AtlassianError && err.kind === 'notFound') return vscode.FileSystemError.FileNotFound(uri);
    return vscode.FileSystemError.Unavailable(err instanceof Error ? err.message : String(err));
  };

  const changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const provider: vscode.FileSystemProvider = {
    onDidChangeFile: changed.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: async (uri) => {
      try {
        const bytes = await render(uri);
        const now = Date.now();
        return {
          type: vscode.FileType.File,
          ctime: now,
          mtime: now,
          size: bytes.byteLength,
          permissions: vscode.FilePermission.Readonly,
        };
      } catch (err) {
        throw fsError(err, uri);
      }
    },
    readFile: async (uri) => {
      try {
        return await render(uri);
      } catch (err) {
        throw fsError(err, uri);
      }
    },
    readDirectory: () => [],
    createDirectory: () => {
      throw vscode.FileSystemError.NoPermissions();
    },
    writeFile: () => {
      throw vscode.FileSystemError.NoPermissions();
    },
    delete: () => {
      throw vscode.FileSystemError.NoPermissions();
    },
    rename: () => {
      throw vscode.FileSystemError.NoPermissions();
    },
  };

  const uriFor = (ref: ChatDocumentRef) =>
    vscode.Uri.from({ scheme: chatDocumentScheme(ref), path: chatDocumentPath(ref) });

  /** Renders first (so a failure is explained here, not as a silently missing chip), then opens chat with it. */
  const sendToChat = async (connection: ConnectionInfo, ref: ChatDocumentRef, query?: string): Promise<void> => {
    const uri = uriFor(ref);
    cache.delete(uri.toString());
    const label = ref.kind === 'issue' ? ref.key : ref.id;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}…', label) },
        () => render(uri),
      );
    } catch (err) {
      const e = explainError(err, {
        site: connection.siteName,
        method: connection.method,
        reason: connection.stateReason,
      });
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not add {0} to chat: {1} {2}', label, e.what, e.todo));
      return;
    }
    const options: ChatOpenOptions = query
      ? { query, isPartialQuery: true, attachFiles: [uri], mode: 'agent' }
      : { attachFiles: [uri] };
    lastRequest = options;
    try {
      await vscode.commands.executeCommand(CHAT_OPEN_COMMAND, options);
    } catch {
      // No chat in this editor (a fork, or AI features turned off): the document is still worth reading.
      await vscode.window.showTextDocument(uri, { preview: true });
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Chat is not available in this editor: {0} opened as a document instead.', label),
      );
    }
  };

  const issueTarget = async (arg: unknown): Promise<{ connection: ConnectionInfo; key: string } | undefined> => {
    const target = issueArgument(arg) ?? deps.activeIssue();
    if (target) {
      const connection = deps.connections().find((c) => c.id === target.connectionId);
      if (connection) return { connection, key: target.key.toUpperCase() };
    }
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Jira Issue to Chat'),
      prompt: vscode.l10n.t('An issue key such as ENG-12'),
      validateInput: (v) =>
        /^[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]*$/.test(v.trim())
          ? undefined
          : vscode.l10n.t('Not an issue key (for example ENG-12).'),
    });
    if (!key) return undefined;
    const connection = await pickConnection(deps);
    return connection && { connection, key: key.trim().toUpperCase() };
  };

  const issueRef = (connection: ConnectionInfo, key: string): ChatDocumentRef => ({
    kind: 'issue',
    site: siteSegment(connection.siteUrl),
    key,
  });

  const addIssue = async (arg?: unknown) => {
    const target = await issueTarget(arg);
    if (target) await sendToChat(target.connection, issueRef(target.connection, target.key));
  };

  const askAgent = async (arg?: unknown) => {
    const target = await issueTarget(arg);
    if (!target) return;
    const given = (arg as { prompt?: unknown } | undefined)?.prompt;
    const prompt = typeof given === 'string' && given.trim() ? given : await pickPrompt(target.key);
    if (prompt !== undefined) await sendToChat(target.connection, issueRef(target.connection, target.key), prompt);
  };

  const addPage = async (arg?: unknown) => {
    const input =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Add Confluence Page to Chat'),
            prompt: vscode.l10n.t("A page id such as 98304, or the page's URL"),
            validateInput: (v) =>
              !v.trim() || parsePageReference(v) ? undefined : vscode.l10n.t('Not a page id or page URL.'),
          });
    const page = input ? parsePageReference(input) : undefined;
    if (!page) return;
    const { connectionsForSite } = renderModule();
    const connection = page.host
      ? connectionsForSite(page.host, deps.connections(), deps.defaultConnectionId())[0]
      : await pickConnection(deps);
    if (!connection) {
      if (page.host)
        void vscode.window.showErrorMessage(
          vscode.l10n.t('No connection is signed in to {0}. Connect it first.', page.host),
        );
      return;
    }
    const site = page.host ?? siteSegment(connection.siteUrl);
    await sendToChat(connection, { kind: 'page', site, id: page.id });
  };

  const disposables = [
    changed,
    vscode.workspace.registerFileSystemProvider(ISSUE_SCHEME, provider, { isReadonly: true, isCaseSensitive: true }),
    vscode.workspace.registerFileSystemProvider(PAGE_SCHEME, provider, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(COMMANDS.addIssueToChat, addIssue),
    vscode.commands.registerCommand(COMMANDS.askAgentAboutIssue, askAgent),
    vscode.commands.registerCommand(COMMANDS.addPageToChat, addPage),
  ];
  return {
    uriFor,
    lastChatRequest: () => lastRequest,
    dispose: () => {
      vscode.Disposable.from(...disposables).dispose();
    },
  };
}

/** The default connection when there is one; otherwise the one connection, or the person picks. */
async function pickConnection(deps: ChatContextDependencies): Promise<ConnectionInfo | undefined> {
  const all = deps.connections();
  if (all.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Connect Atlassian first.'));
    return undefined;
  }
  const preferred = all.find((c) => c.id === deps.defaultConnectionId());
  if (preferred || all.length === 1) return preferred ?? all[0];
  return (
    await vscode.window.showQuickPick(
      all.map((c) => ({ label: c.siteName, description: c.siteUrl, connection: c })),
      { title: vscode.l10n.t('Which site?') },
    )
  )?.connection;
}

/** The prompt the chat input is prefilled with; the person edits it before sending. */
async function pickPrompt(key: string): Promise<string | undefined> {
  const prompts = [
    {
      label: vscode.l10n.t('Plan the work'),
      prompt: vscode.l10n.t(
        'Read the attached Jira issue {0} and propose a plan to implement it in this workspace: the files to change, the steps, and the open questions.',
        key,
      ),
    },
    {
      label: vscode.l10n.t('Explain the issue'),
      prompt: vscode.l10n.t('Explain the attached Jira issue {0}: what is asked, why, and what is still unclear.', key),
    },
    {
      label: vscode.l10n.t('Find the code'),
      prompt: vscode.l10n.t('Find the code in this workspace that the attached Jira issue {0} is about.', key),
    },
    {
      label: vscode.l10n.t('Draft a reply'),
      prompt: vscode.l10n.t('Draft a reply to the latest comments on the attached Jira issue {0}.', key),
    },
    { label: vscode.l10n.t('Ask my own question'), prompt: vscode.l10n.t('About {0}: ', key) },
  ];
  const picked = await vscode.window.showQuickPick(
    prompts.map((p) => ({ label: p.label, detail: p.prompt, prompt: p.prompt })),
    {
      title: vscode.l10n.t('Ask Agent About {0}', key),
      placeHolder: vscode.l10n.t('The prompt to start the chat with'),
    },
  );
  return picked?.prompt;
}

/**
 * A tree row (`{kind:'issue', connectionId, issue:{key}}`) or `{connectionId, key}` (hovers); Ask Agent
 * also takes `prompt` (from a keybinding's args), which skips the prompt picker.
 */
function issueArgument(arg: unknown): { connectionId: string; key: string } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { connectionId?: unknown; key?: unknown; issue?: { key?: unknown } };
  const key = typeof a.key === 'string' ? a.key : a.issue?.key;
  if (typeof a.connectionId !== 'string' || typeof key !== 'string') return undefined;
  return { connectionId: a.connectionId, key };
}
