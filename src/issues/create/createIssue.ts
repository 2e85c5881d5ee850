// Creating an issue from the form's values: checks what is required before asking Jira, turns each
// value into the JSON its field takes (Markdown into ADF on Cloud, wiki markup on Data Center), and
// hands Jira's refusals back by field so the form can show each one next to its field.
import * as l10n from '@vscode/l10n';
import type { JiraApi, Json } from '../../atlassian/jira';
import { AtlassianError } from '../../atlassian/errors';
import { markdownToAdf, markdownToWiki } from '../../atlassian/markdown';
import type { CreateField } from './createMeta';

/** A field's value as the form holds it: text, or the ids picked (options). */
export type FormValue = string | readonly string[];

export interface CreateRequest {
  readonly projectKey: string;
  readonly issueTypeId: string;
  readonly summary: string;
  /** Markdown; empty for none. */
  readonly description: string;
  /** The form's fields (from createFields) and what was entered in them, by field id. */
  readonly fields: readonly CreateField[];
  readonly values: Readonly<Record<string, FormValue | undefined>>;
}

/** Why the issue was not created: messages by field id (shown beside the field), and the rest. */
export class CreateRefused extends Error {
  constructor(
    readonly fieldErrors: Readonly<Record<string, string>>,
    readonly general: readonly string[],
    cause?: unknown,
  ) {
    super(
      [...Object.entries(fieldErrors).map(([f, m]) => `${f}: ${m}`), ...general].join(' '),
      cause === undefined ? undefined : { cause },
    );
    this.name = 'CreateRefused';
  }
}

/** The ids the form knows besides its own fields (errors on these show beside summary, description…). */
const BASE_FIELDS = ['project', 'issuetype', 'summary', 'description'];

const isEmpty = (value: FormValue | undefined) =>
  value === undefined || (typeof value === 'string' ? !value.trim() : value.length === 0);

/** What the form itself can tell before asking Jira: empty required fields, numbers that are not. */
export function checkRequest(request: CreateRequest): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!request.summary.trim()) errors.summary = l10n.t('A summary is required.');
  else if (request.summary.length > 255) errors.summary = l10n.t('A summary has at most 255 characters.');
  for (const field of request.fields) {
    const value = request.values[field.id];
    if (isEmpty(value)) {
      if (field.required) errors[field.id] = l10n.t('{0} is required.', field.name);
    } else if (field.kind === 'number' && !Number.isFinite(Number(value))) {
      errors[field.id] = l10n.t('{0} must be a number.', field.name);
    }
  }
  return errors;
}

/** The `fields` object of POST /issue. */
export async function createPayload(api: JiraApi, request: CreateRequest): Promise<Json> {
  const fields: Json = {
    project: { key: request.projectKey },
    issuetype: { id: request.issueTypeId },
    summary: request.summary.trim().replace(/[\r\n]+/g, ' '),
  };
  if (request.description.trim()) fields.description = await richText(api, request.description);
  for (const field of request.fields) {
    const value = request.values[field.id];
    if (!isEmpty(value)) fields[field.id] = await fieldValue(api, field, value!);
  }
  return fields;
}

async function richText(api: JiraApi, markdown: string): Promise<unknown> {
  return api.cloud ? markdownToAdf(markdown) : markdownToWiki(markdown);
}

async function fieldValue(api: JiraApi, field: CreateField, value: FormValue): Promise<unknown> {
  const text = typeof value === 'string' ? value.trim() : '';
  const ids = typeof value === 'string' ? [value] : [...value];
  switch (field.kind) {
    case 'richText':
      return richText(api, text);
    case 'number':
      return Number(text);
    case 'option':
      return { id: ids[0] };
    case 'options':
      return ids.map((id) => ({ id }));
    case 'user':
      return api.cloud ? { accountId: text } : { name: text };
    case 'issue':
      return { key: text.toUpperCase() };
    case 'issueKeyText':
      return text.toUpperCase();
    case 'labels':
      return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
    default:
      return text;
  }
}

/** Creates the issue; a CreateRefused (by field) when the form or Jira refuses it. */
export async function createIssue(
  api: JiraApi,
  request: CreateRequest,
  signal?: AbortSignal,
): Promise<{ key: string; id: string }> {
  const problems = checkRequest(request);
  if (Object.keys(problems).length > 0) throw new CreateRefused(problems, []);
  try {
    const created = await api.createIssue(await createPayload(api, request), undefined, signal);
    return { key: String(created.key), id: String(created.id) };
  } catch (err) {
    throw refusalFrom(err, [...BASE_FIELDS, ...request.fields.map((f) => f.id)]) ?? err;
  }
}

/**
 * Jira's 400 names fields (`errors: {customfield_10050: "Change risk is required."}`), which the
 * client passes on as "field: message" lines; those of fields on the form go beside them.
 */
export function refusalFrom(err: unknown, known: readonly string[]): CreateRefused | undefined {
  if (!(err instanceof AtlassianError) || err.kind !== 'badRequest') return undefined;
  const fieldErrors: Record<string, string> = {};
  const general: string[] = [];
  for (const message of err.messages) {
    const m = /^([\w.-]+): ([\s\S]+)$/.exec(message);
    if (m && known.includes(m[1]!)) fieldErrors[m[1]!] = m[2]!;
    else general.push(message);
  }
  if (general.length === 0 && Object.keys(fieldErrors).length === 0) general.push(err.message);
  return new CreateRefused(fieldErrors, general, err);
}
