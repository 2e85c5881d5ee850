// The create-issue form (bundled as dist/createIssuePanel.js, loaded when a form first opens): a
// webview that asks for project, type, summary, description and the fields Jira's create metadata
// requires, creates the issue and shows Jira's refusals beside the fields they concern.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import { CreateRefused, createIssue } from '../issues/create/createIssue';
import {
  createFields,
  issueTypeChoices,
  projectChoices,
  type CreateField,
  type IssueTypeChoice,
  type ProjectChoice,
} from '../issues/create/createMeta';
import type { FormState, FromCreateWebview, Submission, ToCreateWebview } from '../issues/create/protocol';
import type { ErrorView } from '../issues/detail/protocol';
import { COMMANDS } from './ids';
import { createIssueHtml } from './createIssueHtml';
import { userPrompt } from './issueDetailPrompts';

export interface CreateOptions {
  readonly connectionId: string;
  readonly projectKey?: string;
  /** Open as a sub-task of this issue (its project, a sub-task type, the parent fixed). */
  readonly parentKey?: string;
  readonly summary?: string;
  /** Markdown. */
  readonly description?: string;
  /** Called with the new issue's key once Jira created it. */
  readonly onCreated?: (key: string) => void | Promise<void>;
}

export interface CreatePanelDependencies {
  readonly connection: (id: string) => ConnectionInfo | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly extensionUri: vscode.Uri;
  readonly explain: (connection: ConnectionInfo | undefined, err: unknown) => ErrorView;
  readonly onApiOutcome: (connectionId: string, error: unknown) => void;
  readonly onCreated: (connectionId: string, key: string) => void;
  /** The project and type used last on a connection, to start from next time. */
  readonly remembered: (connectionId: string) => { projectKey?: string; issueTypeId?: string };
  readonly remember: (connectionId: string, choice: { projectKey: string; issueTypeId: string }) => void;
}

export class CreateIssuePanel implements vscode.Disposable {
  private projects: readonly ProjectChoice[] = [];
  private projectKey: string | undefined;
  private issueTypes: readonly IssueTypeChoice[] = [];
  private issueTypeId: string | undefined;
  private fields: readonly CreateField[] = [];
  private prefill: FormState['prefill'];
  private failure: ErrorView | undefined;
  private lastRefusal: CreateRefused | undefined;
  private createdKey: string | undefined;
  private loading: Promise<void> | undefined;
  /** The panel closed: nothing more may be posted to its webview. */
  private closed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: CreateOptions,
    private readonly deps: CreatePanelDependencies,
    onDispose: () => void,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(deps.extensionUri, 'media', 'webview'),
      ],
    };
    panel.webview.html = createIssueHtml(panel.webview, deps.extensionUri);
    this.prefill = { summary: options.summary, description: options.description };
    const remembered = deps.remembered(options.connectionId);
    this.projectKey = options.projectKey ?? remembered.projectKey;
    this.issueTypeId = remembered.issueTypeId;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromCreateWebview) => void this.handle(m)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
    this.loading = this.load();
  }

  /** What the form shows now, for the editor tests. */
  get state(): FormState {
    return {
      site: this.connection()?.siteName ?? '',
      projects: this.projects,
      projectKey: this.projectKey,
      issueTypes: this.issueTypes,
      issueTypeId: this.issueTypeId,
      fields: this.fields,
      parentKey: this.options.parentKey,
      prefill: this.prefill,
    };
  }
  get error(): ErrorView | undefined {
    return this.failure;
  }
  get refusal(): CreateRefused | undefined {
    return this.lastRefusal;
  }
  get created(): string | undefined {
    return this.createdKey;
  }
  /** Resolves when the choices and fields the form shows are loaded. */
  loaded(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  private connection(): ConnectionInfo | undefined {
    return this.deps.connection(this.options.connectionId);
  }

  private post(message: ToCreateWebview): void {
    if (!this.closed) void this.panel.webview.postMessage(message);
  }

  private close(): void {
    this.closed = true;
    this.panel.dispose();
  }

  private async load(): Promise<void> {
    const connection = this.connection();
    try {
      if (!connection) throw new Error(vscode.l10n.t('The connection no longer exists.'));
      const api = this.deps.jira(connection);
      if (this.options.parentKey) {
        const parent = await api.getIssue(this.options.parentKey, { fields: ['project'] });
        const project = (parent.fields as { project?: { key?: unknown } } | undefined)?.project?.key;
        this.projectKey = typeof project === 'string' ? project : undefined;
      }
      this.projects = await projectChoices(api);
      if (!this.projects.some((p) => p.key === this.projectKey)) this.projectKey = this.projects[0]?.key;
      await this.loadProject(api);
      this.failure = undefined;
      this.deps.onApiOutcome(connection.id, undefined);
      this.panel.title = this.options.parentKey
        ? vscode.l10n.t('New Sub-task of {0}', this.options.parentKey)
        : vscode.l10n.t('New Jira Issue');
      this.post({ type: 'form', state: this.state });
    } catch (err) {
      this.failure = this.explain(connection, err);
      this.post({ type: 'loadError', error: this.failure });
    }
  }

  /** The types of the chosen project and the fields of the chosen type. */
  private async loadProject(api: JiraApi): Promise<void> {
    if (!this.projectKey) {
      this.issueTypes = [];
      this.issueTypeId = undefined;
      this.fields = [];
      return;
    }
    const subtask = this.options.parentKey !== undefined;
    this.issueTypes = (await issueTypeChoices(api, this.projectKey)).filter((t) => t.subtask === subtask);
    if (!this.issueTypes.some((t) => t.id === this.issueTypeId)) this.issueTypeId = this.issueTypes[0]?.id;
    this.fields = this.issueTypeId ? await createFields(api, this.projectKey, this.issueTypeId) : [];
    // A sub-task's parent is fixed by where the form was opened; the form does not ask for it.
    if (subtask) this.fields = this.fields.filter((f) => f.id !== 'parent');
  }

  /** Chooses another project or type (as the webview does) and reloads what depends on it. */
  async select(projectKey: string, issueTypeId: string | undefined): Promise<void> {
    const connection = this.connection();
    if (!connection) return;
    if (projectKey !== this.projectKey) this.issueTypeId = undefined;
    this.projectKey = projectKey;
    if (issueTypeId) this.issueTypeId = issueTypeId;
    this.post({ type: 'busy', busy: true });
    try {
      await (this.loading = this.loadProject(this.deps.jira(connection)));
      this.post({ type: 'form', state: this.state });
    } catch (err) {
      this.post({ type: 'failed', error: this.explain(connection, err) });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Creates the issue (as the Create button does); the new key, or undefined when refused or failed. */
  async submit(submission: Submission): Promise<string | undefined> {
    const connection = this.connection();
    if (!connection || !this.projectKey || !this.issueTypeId) return undefined;
    const api = this.deps.jira(connection);
    const values = { ...submission.values };
    if (this.options.parentKey) values.parent = this.options.parentKey;
    const fields = this.options.parentKey
      ? [...this.fields, { id: 'parent', name: 'Parent', required: true, kind: 'issue' as const }]
      : this.fields;
    this.post({ type: 'busy', busy: true });
    try {
      const { key } = await createIssue(api, {
        projectKey: this.projectKey,
        issueTypeId: this.issueTypeId,
        summary: submission.summary,
        description: submission.description,
        fields,
        values,
      });
      this.createdKey = key;
      this.lastRefusal = undefined;
      this.deps.onApiOutcome(connection.id, undefined);
      this.deps.remember(connection.id, { projectKey: this.projectKey, issueTypeId: this.issueTypeId });
      await this.options.onCreated?.(key);
      this.deps.onCreated(connection.id, key);
      this.close();
      return key;
    } catch (err) {
      if (err instanceof CreateRefused) {
        this.lastRefusal = err;
        this.post({ type: 'refused', fieldErrors: err.fieldErrors, general: err.general });
      } else {
        this.post({ type: 'failed', error: this.explain(connection, err) });
      }
      return undefined;
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private explain(connection: ConnectionInfo | undefined, err: unknown): ErrorView {
    if (connection) this.deps.onApiOutcome(connection.id, err);
    return this.deps.explain(connection, err);
  }

  private async handle(m: FromCreateWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.loading;
        if (this.failure) this.post({ type: 'loadError', error: this.failure });
        else if (this.projects.length) this.post({ type: 'form', state: this.state });
        return;
      case 'select':
        return this.select(m.projectKey, m.issueTypeId);
      case 'submit':
        await this.submit(m);
        return;
      case 'pickUser': {
        const connection = this.connection();
        if (!connection) return;
        const user = await userPrompt(this.deps.jira(connection), m.fieldName, false);
        if (user) this.post({ type: 'userPicked', fieldId: m.fieldId, id: user.id, name: user.name });
        return;
      }
      case 'retry':
        return (this.loading = this.load());
      case 'reconnect':
        await vscode.commands.executeCommand(COMMANDS.connect);
        return (this.loading = this.load());
      case 'cancel':
        this.close();
        return;
    }
  }

  dispose(): void {
    this.closed = true;
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
