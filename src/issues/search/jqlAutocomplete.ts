// JQL autocomplete from Jira itself: the searchable fields, their operators, the functions and the
// reserved words (`/jql/autocompletedata`, read once per connection), and the values of a field
// matching what was typed (`/jql/autocompletedata/suggestions`, asked as the person types a value).
// Editor-free: the adapter shows these as quick-pick items.
import type { JiraApi, Json } from '../../atlassian/jira';
import { textOf } from '../../core/text';

export interface JqlField {
  /** What JQL takes (quoted when it has spaces, e.g. "Story Points"). */
  readonly value: string;
  readonly displayName: string;
  readonly operators: readonly string[];
  /** The cf[NNNNN] alias of a custom field, which suggestions accept as the field name. */
  readonly cfid: string | undefined;
  readonly orderable: boolean;
}

export interface JqlVocabulary {
  readonly fields: readonly JqlField[];
  readonly functions: readonly string[];
  readonly reserved: readonly string[];
}

export interface Completion {
  /** What the list shows. */
  readonly label: string;
  readonly detail?: string;
  /** The whole query once this completion is taken. */
  readonly jql: string;
}

const MAX = { fields: 2000, functions: 200, suggestions: 50 } as const;

export async function loadVocabulary(api: JiraApi, signal?: AbortSignal): Promise<JqlVocabulary> {
  const body = await api.http.request<Json>({
    path: `${api.api}/jql/autocompletedata`,
    scopes: ['read:jira-work'],
    signal,
  });
  const list = (v: unknown, max: number) => (Array.isArray(v) ? (v.slice(0, max) as Json[]) : []);
  return {
    fields: list(body.visibleFieldNames, MAX.fields)
      .filter((f) => f.searchable !== 'false' && typeof f.value === 'string')
      .map((f) => ({
        value: String(f.value),
        displayName: String(f.displayName ?? f.value),
        operators: Array.isArray(f.operators) ? f.operators.map(String) : [],
        cfid: typeof f.cfid === 'string' ? f.cfid : undefined,
        orderable: f.orderable !== 'false',
      })),
    functions: list(body.visibleFunctionNames, MAX.functions).map((f) => textOf(f.value, '')),
    reserved: Array.isArray(body.jqlReservedWords) ? body.jqlReservedWords.map(String) : [],
  };
}

/** Values of a field starting with `prefix`, as Jira suggests them (its <b> marks removed). */
export async function suggestValues(
  api: JiraApi,
  field: JqlField | string,
  prefix: string,
  signal?: AbortSignal,
): Promise<{ value: string; label: string }[]> {
  const fieldName = typeof field === 'string' ? field : (field.cfid ?? field.value);
  const body = await api.http.request<Json>({
    path: `${api.api}/jql/autocompletedata/suggestions`,
    query: { fieldName, fieldValue: prefix },
    scopes: ['read:jira-work'],
    signal,
  });
  const results = Array.isArray(body.results) ? (body.results.slice(0, MAX.suggestions) as Json[]) : [];
  return results.map((r) => ({
    value: textOf(r.value, ''),
    label: textOf(r.displayName ?? r.value, '').replace(/<\/?b>/g, ''),
  }));
}

export type JqlSlot =
  | { readonly kind: 'field' }
  | { readonly kind: 'operator'; readonly field: string }
  | { readonly kind: 'value'; readonly field: string }
  | { readonly kind: 'connector' }
  | { readonly kind: 'orderField' }
  | { readonly kind: 'direction' };

export interface JqlPosition {
  readonly slot: JqlSlot;
  /** The partly typed word at the end ('' after a space). */
  readonly partial: string;
  /** Everything before the partial word. */
  readonly head: string;
}

const TOKEN = /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|!=|>=|<=|!~|[=<>~(),]|[^\s=<>!~(),"']+/g;
const OPERATOR_WORDS = new Set(['in', 'not', 'is', 'was', 'changed']);
const SYMBOLS = new Set(['=', '!=', '>', '>=', '<', '<=', '~', '!~']);

/** Where the end of a query stands: which kind of word comes next, and what of it is typed. */
export function jqlPosition(jql: string): JqlPosition {
  const tokens = [...jql.matchAll(TOKEN)].map((m) => ({ text: m[0], index: m.index }));
  const endsInSpace = jql.length === 0 || /[\s(,]$/.test(jql);
  const last = tokens.at(-1);
  const partialToken = !endsInSpace && last && !SYMBOLS.has(last.text) && last.text !== ')' ? last : undefined;
  const complete = partialToken ? tokens.slice(0, -1) : tokens;
  let slot: JqlSlot = { kind: 'field' };
  let field = '';
  let inList = false;
  for (let i = 0; i < complete.length; i++) {
    const word = complete[i]!.text;
    const lower = word.toLowerCase();
    switch (slot.kind) {
      case 'field':
        if (lower === 'order' && complete[i + 1]?.text.toLowerCase() === 'by') {
          i++;
          slot = { kind: 'orderField' };
        } else if (word !== '(' && lower !== 'not') {
          field = word;
          slot = { kind: 'operator', field };
        }
        break;
      case 'operator':
        if (SYMBOLS.has(word)) slot = { kind: 'value', field };
        else if (OPERATOR_WORDS.has(lower)) {
          const next = complete[i + 1]?.text.toLowerCase();
          if (!next || !OPERATOR_WORDS.has(next)) slot = { kind: 'value', field };
        }
        break;
      case 'value':
        if (word === '(') inList = true;
        else if (word === ')') {
          inList = false;
          slot = { kind: 'connector' };
        } else if (!inList) slot = { kind: 'connector' };
        break;
      case 'connector':
        if (lower === 'and' || lower === 'or') slot = { kind: 'field' };
        else if (lower === 'order' && complete[i + 1]?.text.toLowerCase() === 'by') {
          i++;
          slot = { kind: 'orderField' };
        }
        break;
      case 'orderField':
        if (word !== ',') slot = { kind: 'direction' };
        break;
      case 'direction':
        if (word === ',') slot = { kind: 'orderField' };
        break;
    }
  }
  const partial = partialToken?.text ?? '';
  return { slot, partial, head: jql.slice(0, jql.length - partial.length) };
}

/** Completions that need no request: fields, operators, connectors, functions for the slot. */
export function localCompletions(vocabulary: JqlVocabulary, position: JqlPosition): Completion[] {
  const { slot, partial, head } = position;
  const starts = (text: string) => text.toLowerCase().startsWith(partial.replace(/^"/, '').toLowerCase());
  const take = (text: string, detail?: string): Completion => ({ label: text, detail, jql: `${head}${text} ` });
  const field = 'field' in slot ? findField(vocabulary, slot.field) : undefined;
  switch (slot.kind) {
    case 'field':
      return vocabulary.fields
        .filter((f) => starts(f.value.replace(/^"/, '')) || starts(f.displayName))
        .map((f) => take(f.value, f.displayName !== f.value ? f.displayName : undefined));
    case 'operator':
      return (field?.operators ?? ['=', '!=', 'in', 'not in', '~', 'is', 'is not']).filter(starts).map((o) => take(o));
    case 'value':
      return vocabulary.functions.filter(starts).map((f) => take(f));
    case 'connector':
      return ['AND', 'OR', 'ORDER BY'].filter(starts).map((c) => take(c));
    case 'orderField':
      return vocabulary.fields.filter((f) => f.orderable && starts(f.value)).map((f) => take(f.value));
    case 'direction':
      return ['ASC', 'DESC'].filter(starts).map((d) => take(d));
  }
}

export function findField(vocabulary: JqlVocabulary, name: string): JqlField | undefined {
  const n = name.toLowerCase();
  return vocabulary.fields.find((f) => f.value.toLowerCase() === n || f.cfid?.toLowerCase() === n);
}
