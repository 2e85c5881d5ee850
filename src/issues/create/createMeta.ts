// What the create form asks for, read from Jira's create metadata
// (`/issue/createmeta/{project}/issuetypes/{id}` on Cloud's v3 and Data Center's v2): the fields the
// project and type require, plus the few optional ones people set most (priority, assignee,
// components, versions, parent, labels, due date). Each field gets a kind the form knows how to ask for.
import type { JiraApi, Json } from '../../atlassian/jira';

/** How the form asks for a field and how its value goes to Jira. */
export type FieldKind =
  | 'text'
  /** Markdown in the form; ADF on Cloud, wiki markup on Data Center. */
  | 'richText'
  | 'number'
  /** yyyy-MM-dd */
  | 'date'
  /** One of `allowed`, sent as `{id}`. */
  | 'option'
  /** Some of `allowed`, sent as `[{id}, …]`. */
  | 'options'
  /** Found by searching Jira's users: `{accountId}` on Cloud, `{name}` on Data Center. */
  | 'user'
  /** An issue key: `{key}` (parent). */
  | 'issue'
  /** An issue key as a plain string (the classic Epic Link custom field). */
  | 'issueKeyText'
  /** Words separated by spaces or commas, sent as an array of strings. */
  | 'labels';

export interface FieldChoice {
  readonly id: string;
  readonly name: string;
}

export interface CreateField {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  readonly kind: FieldKind;
  /** The choices Jira allows (option kinds only). */
  readonly allowed?: readonly FieldChoice[];
}

export interface ProjectChoice {
  readonly key: string;
  readonly name: string;
}

export interface IssueTypeChoice {
  readonly id: string;
  readonly name: string;
  readonly subtask: boolean;
}

/** Jira may offer many thousands of values (versions, options); the form shows this many at most. */
const MAX_CHOICES = 500;

/** Optional fields worth offering on the form, in the order they appear. */
const OFFERED = ['priority', 'assignee', 'components', 'fixVersions', 'parent', 'labels', 'duedate'];
/** Set from elsewhere on the form, or by Jira itself. */
const HANDLED = new Set(['project', 'issuetype', 'summary', 'description', 'reporter', 'attachment', 'issuelinks']);

export async function projectChoices(api: JiraApi, signal?: AbortSignal): Promise<ProjectChoice[]> {
  const projects = await api.projects({ signal });
  return projects
    .map((p) => ({ key: text(p.key), name: text(p.name, text(p.key)) }))
    .filter((p) => p.key)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function issueTypeChoices(
  api: JiraApi,
  projectKey: string,
  signal?: AbortSignal,
): Promise<IssueTypeChoice[]> {
  const types = await api.issueTypes(projectKey, signal);
  return types.map((t) => ({ id: String(t.id), name: String(t.name ?? t.id), subtask: t.subtask === true }));
}

/** The fields of the form for one project and issue type, required ones first. */
export async function createFields(
  api: JiraApi,
  projectKey: string,
  issueTypeId: string,
  signal?: AbortSignal,
): Promise<CreateField[]> {
  const meta = await api.createMetaFields(projectKey, issueTypeId, signal);
  return fieldsFromMeta(meta);
}

/** Shapes createmeta's field entries (Cloud's `fields` and Data Center's `values` look alike). */
export function fieldsFromMeta(meta: readonly Json[]): CreateField[] {
  const fields = meta
    .map((f) => ({ json: f, id: text(f.fieldId, text(f.key)) }))
    .filter(({ id }) => id && !HANDLED.has(id))
    .filter(({ json, id }) => (json.required === true && json.hasDefaultValue !== true) || OFFERED.includes(id))
    .map(({ json, id }) => toField(id, json));
  const rank = (f: CreateField) => (f.required ? -1 : OFFERED.indexOf(f.id));
  return fields.sort((a, b) => rank(a) - rank(b));
}

function toField(id: string, json: Json): CreateField {
  const schema = (json.schema ?? {}) as Json;
  const type = text(schema.type);
  const items = text(schema.items);
  const custom = text(schema.custom);
  const required = json.required === true && json.hasDefaultValue !== true;
  const name = text(json.name, id);
  const allowed = Array.isArray(json.allowedValues) ? choices(json.allowedValues as Json[]) : undefined;
  const field = (kind: FieldKind): CreateField => ({ id, name, required, kind, ...(allowed ? { allowed } : {}) });
  if (allowed && allowed.length > 0) return field(type === 'array' ? 'options' : 'option');
  if (type === 'user') return field('user');
  if (type === 'issuelink' || id === 'parent') return field('issue');
  if (custom.endsWith(':gh-epic-link')) return field('issueKeyText');
  if (type === 'array' && items === 'string') return field('labels');
  if (type === 'number') return field('number');
  if (type === 'date') return field('date');
  if (id === 'environment' || custom.endsWith(':textarea')) return field('richText');
  return field('text');
}

/** A string or number from Jira's JSON as text; `fallback` for anything else. */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function choices(values: readonly Json[]): FieldChoice[] {
  return values.slice(0, MAX_CHOICES).map((v) => ({
    id: String(v.id ?? v.value ?? v.name),
    name: String(v.name ?? v.value ?? v.id),
  }));
}
