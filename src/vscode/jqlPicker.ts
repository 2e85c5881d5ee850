// A quick pick for writing JQL with Jira's own autocomplete: fields, operators and connectors at
// once, a field's values from Jira as they are typed (one request at a time, after a pause), and
// the recent queries while the input is empty. Enter on a suggestion takes it; Enter on the first
// row (or with nothing selected) runs the query. Bundled as dist/jqlPicker.js with the autocomplete,
// loaded on the first search.
import * as vscode from 'vscode';
import type { JiraApi } from '../atlassian/jira';
import {
  findField,
  jqlPosition,
  localCompletions,
  suggestValues,
  type Completion,
  type JqlVocabulary,
} from '../issues/search/jqlAutocomplete';

export { loadVocabulary } from '../issues/search/jqlAutocomplete';

interface JqlItem extends vscode.QuickPickItem {
  /** The query after taking this row; undefined on the row that runs the query. */
  readonly completion?: string;
}

export interface JqlPickerOptions {
  readonly title: string;
  readonly api: JiraApi;
  readonly vocabulary: Promise<JqlVocabulary>;
  readonly recent: readonly string[];
  readonly initial?: string;
}

/** Resolves to the JQL to run, or undefined when the person cancelled. */
export function pickJql(options: JqlPickerOptions): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<JqlItem>();
  pick.title = options.title;
  pick.placeholder = vscode.l10n.t('Type JQL, e.g. project = ENG AND status = "In Progress"');
  pick.value = options.initial ?? '';
  pick.matchOnDescription = false;
  let vocabulary: JqlVocabulary | undefined;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: AbortController | undefined;

  const runRow = (jql: string): JqlItem => ({
    label: `$(search) ${jql}`,
    description: vscode.l10n.t('Search'),
    alwaysShow: true,
  });
  const rows = (completions: readonly Completion[]): JqlItem[] =>
    completions
      .slice(0, 50)
      .map((c) => ({ label: c.label, description: c.detail, completion: c.jql, alwaysShow: true }));

  const update = () => {
    const jql = pick.value;
    const mine = ++generation;
    inFlight?.abort();
    if (timer) clearTimeout(timer);
    if (!jql.trim()) {
      pick.items = options.recent.map((r) => ({
        label: r,
        description: vscode.l10n.t('recent'),
        completion: r,
        alwaysShow: true,
      }));
      return;
    }
    const position = jqlPosition(jql);
    const local = vocabulary ? localCompletions(vocabulary, position) : [];
    pick.items = [runRow(jql), ...rows(local)];
    if (position.slot.kind !== 'value' || !vocabulary) return;
    const field = findField(vocabulary, position.slot.field) ?? position.slot.field;
    timer = setTimeout(() => {
      inFlight = new AbortController();
      pick.busy = true;
      suggestValues(options.api, field, position.partial.replace(/^"/, ''), inFlight.signal)
        .then((values) => {
          if (mine !== generation) return;
          const fromJira = values.map((v) => ({ label: v.label, detail: v.value, jql: `${position.head}${v.value} ` }));
          pick.items = [runRow(jql), ...rows([...fromJira, ...local])];
        })
        .catch(() => undefined /* suggestions are a convenience; the query still runs */)
        .finally(() => {
          if (mine === generation) pick.busy = false;
        });
    }, 200);
  };

  return new Promise((resolve) => {
    let result: string | undefined;
    pick.onDidChangeValue(update);
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen?.completion !== undefined) {
        pick.value = chosen.completion;
        update();
        return;
      }
      if (!pick.value.trim()) return;
      result = pick.value.trim();
      pick.hide();
    });
    pick.onDidHide(() => {
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      pick.dispose();
      resolve(result);
    });
    pick.busy = true;
    options.vocabulary
      .then((v) => {
        vocabulary = v;
        update();
      })
      .catch((err: unknown) => {
        // The query still runs; say why there are no suggestions rather than show none silently.
        pick.placeholder = vscode.l10n.t(
          'JQL autocomplete is unavailable: {0}',
          err instanceof Error ? err.message : String(err),
        );
      })
      .finally(() => (pick.busy = false));
    update();
    pick.show();
  });
}
