// Finding issues: "Search Jira Issues (JQL)…" shows its results in My Issues as a temporary filter
// (expanded, under the connection searched), "Save Search as Filter…" keeps it in the settings,
// "Add Jira Filter…" writes a new one, and "Remove Filter" takes one away: no settings.json editing.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import type { ConnectionInfo } from '../auth/connections';
import type { IssueFilter, IssueListModel } from '../issues/issueList';
import type { JqlVocabulary } from '../issues/search/jqlAutocomplete';
import { COMMANDS, VIEWS } from './ids';
import type * as JqlModule from './jqlPicker';
import { fullSettingName, readIssueSettings, SETTING, SETTINGS_SECTION } from './settings';

const RECENT_KEY = 'jqlRecent';
const RECENT_MAX = 10;
export const SEARCH_FILTER_PREFIX = 'search:';

export interface IssueSearchDependencies {
  readonly model: IssueListModel;
  readonly connections: () => readonly ConnectionInfo[];
  readonly defaultConnection: () => ConnectionInfo | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly state: vscode.Memento;
}

export interface IssueSearch extends vscode.Disposable {
  /** The temporary search filter, while there is one. */
  readonly current: () => IssueFilter | undefined;
}

interface FilterArg {
  readonly kind?: string;
  readonly filter?: IssueFilter;
}

/** The JQL picker and its autocomplete ship as dist/jqlPicker.js, loaded on the first search (esbuild.js). */
function jqlModule(): typeof JqlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('./jqlPicker') as typeof JqlModule;
}

export function registerIssueSearch(deps: IssueSearchDependencies): IssueSearch {
  let search: IssueFilter | undefined;
  let searches = 0;
  const vocabularies = new Map<string, Promise<JqlVocabulary>>();
  const vocabulary = (c: ConnectionInfo) => {
    let v = vocabularies.get(c.id);
    if (!v) {
      v = jqlModule().loadVocabulary(deps.jira(c));
      // A failed read is asked again next time.
      v.catch(() => vocabularies.delete(c.id));
      vocabularies.set(c.id, v);
    }
    return v;
  };
  const applyFilters = () => deps.model.setFilters([...readIssueSettings().filters, ...(search ? [search] : [])]);

  const chooseConnection = async (): Promise<ConnectionInfo | undefined> => {
    const all = deps.connections();
    if (all.length <= 1) {
      if (all.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Connect Atlassian first.'));
      return all[0];
    }
    const preferred = deps.defaultConnection();
    const sorted = [...all].sort((a, b) => Number(b.id === preferred?.id) - Number(a.id === preferred?.id));
    return (
      await vscode.window.showQuickPick(
        sorted.map((c) => ({ label: c.siteName, description: c.siteUrl, connection: c })),
        { title: vscode.l10n.t('Search which site?') },
      )
    )?.connection;
  };
  const askJql = (connection: ConnectionInfo, title: string, initial?: string) =>
    jqlModule().pickJql({
      title,
      api: deps.jira(connection),
      vocabulary: vocabulary(connection),
      recent: deps.state.get<string[]>(RECENT_KEY, []),
      initial,
    });
  const remember = (jql: string) =>
    deps.state.update(
      RECENT_KEY,
      [jql, ...deps.state.get<string[]>(RECENT_KEY, []).filter((q) => q !== jql)].slice(0, RECENT_MAX),
    );
  const writeFilters = (entries: unknown[]) =>
    vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update(SETTING.issueFilters, entries, vscode.ConfigurationTarget.Global);
  const globalFilters = () =>
    vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown[]>(SETTING.issueFilters)?.globalValue ?? [];

  const runSearch = async (preset?: unknown) => {
    const connection = await chooseConnection();
    if (!connection) return;
    const jql =
      typeof preset === 'string' ? preset : await askJql(connection, vscode.l10n.t('Search Jira Issues (JQL)'));
    if (!jql) return;
    await remember(jql);
    const shown = jql.length > 60 ? `${jql.slice(0, 59)}…` : jql;
    search = {
      id: `${SEARCH_FILTER_PREFIX}${++searches}`,
      name: vscode.l10n.t({
        message: 'Search: {0}',
        args: [shown],
        comment: ['A temporary filter of JQL search results'],
      }),
      jql,
      connection: connection.id,
    };
    applyFilters();
    await vscode.commands.executeCommand(`${VIEWS.myIssues}.focus`);
  };

  const saveSearch = async (arg?: FilterArg) => {
    const filter = arg?.filter?.id.startsWith(SEARCH_FILTER_PREFIX) ? arg.filter : search;
    if (!filter) return;
    const connection = deps.connections().find((c) => c.id === filter.connection);
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Save Search as Filter'),
      prompt: filter.jql,
      placeHolder: vscode.l10n.t('Filter name'),
      validateInput: (v) => validName(v),
    });
    if (!name?.trim()) return;
    search = undefined;
    await writeFilters([
      ...globalFilters(),
      { name: name.trim(), jql: filter.jql, ...(connection ? { connection: connection.siteUrl } : {}) },
    ]);
  };

  const addFilter = async () => {
    const connection = await chooseConnection();
    if (!connection) return;
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Jira Filter'),
      placeHolder: vscode.l10n.t('Filter name'),
      validateInput: (v) => validName(v),
    });
    if (!name?.trim()) return;
    const jql = await askJql(connection, vscode.l10n.t('JQL of "{0}"', name.trim()));
    if (!jql) return;
    await remember(jql);
    await writeFilters([...globalFilters(), { name: name.trim(), jql }]);
  };

  const removeFilter = async (arg?: FilterArg) => {
    const filter = arg?.filter;
    if (!filter) return;
    if (filter.id.startsWith(SEARCH_FILTER_PREFIX)) {
      search = undefined;
      applyFilters();
      return;
    }
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspected = config.inspect<unknown[]>(SETTING.issueFilters);
    const keep = (entries: unknown[] | undefined) =>
      entries?.filter((e) => (e as { name?: unknown } | null)?.name !== filter.name);
    const targets: [unknown[] | undefined, vscode.ConfigurationTarget][] = [
      [inspected?.globalValue, vscode.ConfigurationTarget.Global],
      [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    ];
    for (const [entries, target] of targets) {
      const kept = keep(entries);
      if (entries && kept && kept.length !== entries.length) await config.update(SETTING.issueFilters, kept, target);
    }
  };

  const validName = (value: string) => {
    const name = value.trim();
    if (!name) return vscode.l10n.t('Give the filter a name.');
    return readIssueSettings().filters.some((f) => f.name === name)
      ? vscode.l10n.t('A filter named "{0}" exists already.', name)
      : undefined;
  };

  const disposables = [
    vscode.commands.registerCommand(COMMANDS.searchIssues, runSearch),
    vscode.commands.registerCommand(COMMANDS.saveSearchAsFilter, saveSearch),
    vscode.commands.registerCommand(COMMANDS.addIssueFilter, addFilter),
    vscode.commands.registerCommand(COMMANDS.removeIssueFilter, removeFilter),
    // The issues view resets the filters from the settings when they change: keep the search.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (search && e.affectsConfiguration(fullSettingName(SETTING.issueFilters))) applyFilters();
    }),
  ];
  return { current: () => search, dispose: () => void vscode.Disposable.from(...disposables).dispose() };
}
