// Jira workflow transitions (toolset jira_transitions): each transition with the fields its screen
// requires and the values they allow (`expand=transitions.fields`), so a model can pass them at once;
// a transition missing one is refused before anything is sent, naming the field and its values.
import { AtlassianError } from '../../../atlassian/errors';
import type { Json, JiraApi } from '../../../atlassian/jira';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, allowIssue, attempt, richInput, normalizeFields } from './shared';
import { textOf } from '../../../core/text';

/** Allowed values listed per field; a longer list says how many there are. */
const MAX_ALLOWED_VALUES = 30;

/** A field on a transition's screen, as Jira describes it. */
interface ScreenField {
  readonly id: string;
  readonly name: string;
  /** Required and without a default: the transition fails without it. */
  readonly required: boolean;
  readonly type: string | undefined;
  /** Option-like fields: their choices (name or value, and id). */
  readonly allowed: readonly { readonly id: string; readonly label: string }[] | undefined;
}

function screenFields(transition: Json): ScreenField[] {
  return Object.entries((transition.fields ?? {}) as Record<string, Json>).map(([id, f]) => ({
    id,
    name: textOf(f.name, id),
    required: f.required === true && f.hasDefaultValue !== true,
    type: typeof (f.schema as Json | undefined)?.type === 'string' ? String((f.schema as Json).type) : undefined,
    allowed: Array.isArray(f.allowedValues)
      ? (f.allowedValues as Json[]).map((v) => ({
          id: textOf(v.id ?? v.value ?? v.name, ''),
          label: textOf(v.name ?? v.value ?? v.id, ''),
        }))
      : undefined,
  }));
}

/** "Done, Won't Do, Duplicate" or "A, B, … (30 of 120)". */
function allowedText(field: ScreenField): string | undefined {
  if (!field.allowed) return undefined;
  const labels = field.allowed.slice(0, MAX_ALLOWED_VALUES).map((a) => a.label);
  return field.allowed.length > MAX_ALLOWED_VALUES
    ? `${labels.join(', ')}, … (${MAX_ALLOWED_VALUES} of ${field.allowed.length}; jira_get_field_options lists all)`
    : labels.join(', ');
}

function fieldView(field: ScreenField): Record<string, unknown> {
  const allowed = allowedText(field);
  return { id: field.id, name: field.name, type: field.type, ...(allowed === undefined ? {} : { allowed }) };
}

const statusOf = (t: Json): string => textOf((t.to as Json | undefined)?.name, '?');

export const jiraGetTransitions: ToolDef = {
  name: 'jira_get_transitions',
  title: 'Get Jira transitions',
  description:
    "The workflow transitions an issue can take now (to move it to In Progress, In Review, Done…): id, name, target status, and the fields each transition's screen requires with their allowed values (e.g. a resolution), so jira_transition_issue can pass them in `fields`.",
  toolset: 'jira_transitions',
  core: true,
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const transitions = await attempt(`Issue ${key}`, () => jira.transitionsWithFields(key, ctx.signal));
    return transitions.map((t) => {
      const fields = screenFields(t);
      const required = fields.filter((f) => f.required).map(fieldView);
      const optional = fields.filter((f) => !f.required).map((f) => f.id);
      return {
        id: t.id,
        name: t.name,
        to: statusOf(t),
        ...(required.length ? { required_fields: required } : {}),
        ...(optional.length ? { optional_fields: optional } : {}),
      };
    });
  },
};

/** The screen's fields by id, also found by their name ("Resolution" → resolution). */
function byIdOrName(fields: readonly ScreenField[], given: string): ScreenField | undefined {
  const lower = given.toLowerCase();
  return fields.find((f) => f.id === given) ?? fields.find((f) => f.name.toLowerCase() === lower);
}

/**
 * `fields` as Jira takes them: screen fields named by their display name get their id, a choice
 * given as text becomes `{id}` of the matching allowed value; a value the screen does not allow and a
 * required field left out are refused here, naming the field, why, and what it takes.
 */
async function screenInput(
  jira: JiraApi,
  transition: Json,
  given: Json,
  key: string,
  signal: AbortSignal,
): Promise<Json | undefined> {
  const screen = screenFields(transition);
  const name = textOf(transition.name, '');
  const out: Json = {};
  for (const [id, value] of Object.entries(given)) {
    const field = byIdOrName(screen, id);
    const choice = typeof value === 'string' && field?.allowed ? value.trim().toLowerCase() : undefined;
    if (field && choice !== undefined) {
      const match = field.allowed!.find((a) => a.id === choice || a.label.toLowerCase() === choice);
      if (!match)
        throw new InputError(
          `Invalid argument \`fields.${field.id}\`: "${String(value)}" is not a ${field.name} the "${name}" transition allows. Allowed: ${allowedText(field)}.`,
        );
      out[field.id] = { id: match.id };
    } else out[field?.id ?? id] = value;
  }
  const missing = screen.filter((f) => f.required && !(f.id in out));
  if (missing.length > 0) {
    const what = missing
      .map((f) => {
        const allowed = allowedText(f);
        return `${f.name} (\`fields.${f.id}\`${allowed ? `; one of: ${allowed}` : ''})`;
      })
      .join('; ');
    const example = missing[0]!;
    throw new InputError(
      `Missing required field for ${key}: the "${name}" transition's screen requires ${what}, and Jira refuses the transition without it. Call again with fields={"${example.id}":"${example.allowed?.[0]?.label ?? '…'}"} (or the value you mean).`,
    );
  }
  return Object.keys(out).length > 0 ? normalizeFields(jira, out, 'fields', signal) : undefined;
}

/** Jira's refusal of a transition, with what the screen takes (its validators may want more). */
function refused(err: unknown, transition: Json): unknown {
  if (!(err instanceof AtlassianError) || err.kind !== 'badRequest') return err;
  const fields = screenFields(transition);
  const takes = fields.length
    ? ` The "${textOf(transition.name, '')}" transition's screen takes: ${fields
        .map((f) => `${f.id} (${f.name}${f.required ? ', required' : ''}${f.allowed ? `: ${allowedText(f)}` : ''})`)
        .join('; ')}.`
    : '';
  return new InputError(`${err.message}${takes} Fix the arguments and call again.`);
}

export const jiraTransitionIssue: ToolDef = {
  name: 'jira_transition_issue',
  title: 'Transition Jira issue',
  description:
    'Change an issue\'s status by taking a workflow transition (start, resolve, close, reopen, move to Done). `transition_id` takes the transition id, its name or the target status ("In Review"). Fields the transition\'s screen requires go in `fields` (e.g. {"resolution":"Done"}); a missing one is refused naming it and its allowed values. `comment` (Markdown) is added with the move.',
  toolset: 'jira_transitions',
  core: true,
  product: 'jira',
  write: true,
  destructive: true,
  params: {
    issue_key: ISSUE_KEY,
    transition_id: p.str('Transition id or name, or the target status, e.g. "In Progress"'),
    fields: p.obj('Fields the transition screen needs, by id or name, e.g. {"resolution":"Done"}'),
    comment: p.str('Markdown comment to add with the transition'),
    transition: p.str(undefined, { hidden: true }),
  },
  required: ['issue_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.issue_key).trim();
    const wanted = textOf(args.transition_id ?? args.transition, '').trim();
    if (!wanted)
      throw new InputError(
        'Missing required argument `transition_id` (a transition id or name; see jira_get_transitions).',
      );
    await allowIssue(ctx, jira, key);
    const transitions = await attempt(`Issue ${key}`, () => jira.transitionsWithFields(key, ctx.signal));
    const lower = wanted.toLowerCase();
    const match =
      transitions.find((t) => String(t.id) === wanted) ??
      transitions.find((t) => String(t.name).toLowerCase() === lower) ??
      transitions.find((t) => statusOf(t).toLowerCase() === lower);
    if (!match) {
      const available = transitions.map((t) => `${String(t.id)} "${String(t.name)}" → ${statusOf(t)}`).join('; ');
      throw new InputError(
        `Invalid argument \`transition_id\`: "${wanted}" is not available for ${key} now. Available: ${available || 'none'}.`,
      );
    }
    const extra: { fields?: Json; update?: Json } = {};
    const fields = await screenInput(jira, match, (args.fields ?? {}) as Json, key, ctx.signal);
    if (fields) extra.fields = fields;
    if (args.comment) extra.update = { comment: [{ add: { body: await richInput(jira, args.comment, 'comment') } }] };
    await jira.transition(key, String(match.id), extra, ctx.signal).catch((err: unknown) => {
      throw refused(err, match);
    });
    return { key, transition: match.name, status: statusOf(match) };
  },
};
