// A customer request's field values checked against its request type's fields before anything is
// sent: unknown and missing required fields are refused by name, select fields take a label or value
// and become the `{ id }` Jira Service Management expects.
import type { Json } from '../../../atlassian/jira';
import { InputError } from '../../schema';
import { textOf } from '../../../core/text';

interface FieldMeta {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  readonly type: string;
  readonly valid: readonly { readonly value: string; readonly label: string }[];
}

function fieldsOf(meta: Json): FieldMeta[] {
  return ((meta.requestTypeFields as Json[] | undefined) ?? []).map((f) => ({
    id: textOf(f.fieldId),
    name: textOf(f.name, textOf(f.fieldId)),
    required: f.required === true,
    type: textOf((f.jiraSchema as Json | undefined)?.type),
    valid: ((f.validValues as Json[] | undefined) ?? []).map((v) => ({
      value: textOf(v.value),
      label: textOf(v.label),
    })),
  }));
}

function missing(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && !value.trim()) ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** A label or value of a select field → `{ id }`; objects pass through as the caller wrote them. */
function option(field: FieldMeta, value: unknown, argument: string): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const wanted = String(value).trim().toLowerCase();
  const match = field.valid.find((v) => v.value.toLowerCase() === wanted || v.label.toLowerCase() === wanted);
  if (!match)
    throw new InputError(
      `Invalid argument \`${argument}.${field.id}\`: "${String(value)}" is not one of ${field.name}'s values: ${field.valid
        .slice(0, 20)
        .map((v) => v.label || v.value)
        .join(', ')}.`,
    );
  return { id: match.value };
}

export function requestFieldValues(input: Json, meta: Json, argument: string): Json {
  const fields = fieldsOf(meta);
  const out: Json = {};
  for (const [id, value] of Object.entries(input)) {
    const field = fields.find((f) => f.id === id) ?? fields.find((f) => f.name.toLowerCase() === id.toLowerCase());
    if (!field)
      throw new InputError(
        `Invalid argument \`${argument}\`: this request type has no field "${id}". Its fields: ${fields.map((f) => `${f.id} (${f.name})`).join(', ')}.`,
      );
    if (field.valid.length === 0 || value === null) out[field.id] = value;
    else if (field.type === 'array')
      out[field.id] = (Array.isArray(value) ? value : textOf(value).split(','))
        .filter((v) => !missing(v))
        .map((v) => option(field, typeof v === 'string' ? v.trim() : v, argument));
    else out[field.id] = option(field, value, argument);
  }
  const absent = fields.filter((f) => f.required && missing(out[f.id]));
  if (absent.length)
    throw new InputError(
      `Missing required argument \`${argument}\` field(s) for this request type: ${absent.map((f) => `${f.id} (${f.name})`).join(', ')}.`,
    );
  return out;
}
