// An issue's workflow transitions with the fields each one's screen requires
// (`expand=transitions.fields`), editor-free: the tree's Transition command and the issue panel both
// ask for those fields before posting, because Jira refuses a transition that lacks one.
import type { JiraApi, Json } from '../atlassian/jira';
import { textOf } from '../core/text';

export interface FieldChoice {
  readonly id: string;
  readonly name: string;
}

/** A field the transition's screen asks for. */
export interface ScreenField {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  /** The choices Jira allows, for option-like fields; undefined for free text. */
  readonly allowed: readonly FieldChoice[] | undefined;
}

export interface TransitionWithFields {
  readonly id: string;
  readonly name: string;
  /** The status the issue moves to. */
  readonly to: string;
  /** Required fields without a default: the person must fill these in. */
  readonly required: readonly ScreenField[];
}

export async function transitionsWithFields(
  api: JiraApi,
  key: string,
  signal?: AbortSignal,
): Promise<TransitionWithFields[]> {
  const transitions = await api.transitionsWithFields(key, signal);
  return transitions.map((t) => {
    const fields = (t.fields ?? {}) as Record<string, Json>;
    const required = Object.entries(fields)
      .filter(([, f]) => f.required === true && f.hasDefaultValue !== true)
      .map(([id, f]) => ({
        id,
        name: textOf(f.name, id),
        required: true,
        allowed: Array.isArray(f.allowedValues)
          ? (f.allowedValues as Json[]).slice(0, 500).map((v) => ({
              id: String(v.id ?? v.value ?? v.name),
              name: String(v.name ?? v.value ?? v.id),
            }))
          : undefined,
      }));
    return { id: String(t.id), name: String(t.name ?? t.id), to: textOf(((t.to ?? {}) as Json).name, ''), required };
  });
}

/** Finds a transition by id, name or target status (case-insensitive), for callers that name one. */
export function findTransition<T extends { id: string; name: string; to: string }>(
  choices: readonly T[],
  wanted: string,
): T | undefined {
  const w = wanted.toLowerCase();
  return (
    choices.find((c) => c.id === wanted) ??
    choices.find((c) => c.name.toLowerCase() === w) ??
    choices.find((c) => c.to.toLowerCase() === w)
  );
}

/**
 * The value Jira takes for a screen field: `{id}` for a choice, `{name}` for a choice named by a
 * caller that matches none Jira offered (Jira then says what is wrong), the text itself otherwise.
 */
export type FieldValue = { readonly id: string } | { readonly name: string } | string;

/**
 * The values a caller gave (keyed by field id or name, case-insensitive) for the fields a transition
 * requires, and the required fields still missing, which the person is then asked for.
 */
export function givenFieldValues(
  transition: TransitionWithFields,
  given: Readonly<Record<string, unknown>>,
): { values: Record<string, FieldValue>; missing: ScreenField[] } {
  const byName = new Map(Object.entries(given).map(([k, v]) => [k.toLowerCase(), v]));
  const values: Record<string, FieldValue> = {};
  const missing: ScreenField[] = [];
  for (const field of transition.required) {
    const raw = byName.get(field.id.toLowerCase()) ?? byName.get(field.name.toLowerCase());
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    if (!text) missing.push(field);
    else if (!field.allowed) values[field.id] = text;
    else {
      const lower = text.toLowerCase();
      const choice =
        field.allowed.find((a) => a.id === text) ?? field.allowed.find((a) => a.name.toLowerCase() === lower);
      values[field.id] = choice ? { id: choice.id } : { name: text };
    }
  }
  return { values, missing };
}

export async function transitionWithFields(
  api: JiraApi,
  key: string,
  transitionId: string,
  values: Readonly<Record<string, FieldValue>>,
  signal?: AbortSignal,
): Promise<void> {
  const fields = Object.keys(values).length > 0 ? { fields: { ...values } } : {};
  await api.transition(key, transitionId, fields, signal);
}
