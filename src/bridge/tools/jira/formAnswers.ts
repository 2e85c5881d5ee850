// Form questions and answers in the Forms API's encoding: a question's `type` code (ts short text,
// tl long text, te e-mail, tu URL, no number, da date, dt date-time, ti time, cs/cd single choice,
// cm/cl multiple choice, us/um users, at attachment) decides which member its answer uses.
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError } from '../../schema';
import { textOf } from '../../../core/text';

export interface Question extends Json {
  readonly id: string;
}

type Kind = 'text' | 'number' | 'date' | 'datetime' | 'time' | 'choice' | 'choices' | 'users' | 'attachment';

const KINDS: Record<string, Kind> = {
  ts: 'text',
  tl: 'text',
  te: 'text',
  tu: 'text',
  tp: 'text',
  no: 'number',
  da: 'date',
  dt: 'datetime',
  ti: 'time',
  cs: 'choice',
  cd: 'choice',
  cm: 'choices',
  cl: 'choices',
  us: 'users',
  um: 'users',
  at: 'attachment',
};

const kindOf = (q: Json): Kind => KINDS[textOf(q.type)] ?? 'text';

function choicesOf(q: Json): { id: string; label: string }[] {
  return ((q.choices as Json[] | undefined) ?? []).map((c) => ({ id: textOf(c.id), label: textOf(c.label) }));
}

/** A question as the model reads it: its answer in words (choice labels, not ids). */
export function questionView(q: Question, answer: Json | undefined): Json {
  const kind = kindOf(q);
  const choices = choicesOf(q);
  let value: unknown;
  if (answer) {
    if (kind === 'choice' || kind === 'choices') {
      const labels = ((answer.choices as unknown[] | undefined) ?? []).map(
        (id) => choices.find((c) => c.id === textOf(id))?.label ?? textOf(id),
      );
      value = kind === 'choice' ? labels[0] : labels;
    } else if (kind === 'date' || kind === 'datetime' || kind === 'time')
      value = [answer.date, answer.time].filter((x) => typeof x === 'string' && x).join(' ') || undefined;
    else if (kind === 'users') value = answer.users;
    else value = answer.text;
  }
  return prune({
    id: q.id,
    label: q.label,
    type: kind,
    required: (q.validation as Json | undefined)?.rq === true || undefined,
    choices: choices.length ? choices.map((c) => c.label) : undefined,
    answer: value === '' ? undefined : value,
  });
}

function choiceIds(q: Question, value: unknown, argument: string): string[] {
  const choices = choicesOf(q);
  const wanted = (Array.isArray(value) ? value : [value]).map((v) => textOf(v).trim()).filter(Boolean);
  return wanted.map((w) => {
    const hit = choices.find((c) => c.id === w || c.label.toLowerCase() === w.toLowerCase());
    if (!hit)
      throw new InputError(
        `Invalid argument \`${argument}.value\`: "${w}" is not a choice of question ${q.id} (${textOf(q.label)}): ${choices.map((c) => c.label).join(', ')}.`,
      );
    return hit.id;
  });
}

/** One `{questionId, value, type?}` item (mcp-atlassian's shape) as the Forms API's answer. */
export function answerFor(
  item: Json,
  questions: readonly Question[],
  argument: string,
): { questionId: string; answer: Json } {
  const questionId = textOf(item.questionId ?? item.question_id ?? item.id).trim();
  const q = questions.find((x) => x.id === questionId);
  if (!q)
    throw new InputError(
      `Invalid argument \`${argument}.questionId\`: the form has no question "${questionId}". Its questions: ${questions.map((x) => `${x.id} (${textOf(x.label)})`).join(', ')}.`,
    );
  const value = item.value ?? item.answer;
  const text = Array.isArray(value) ? value.map((v) => textOf(v)).join(', ') : textOf(value).trim();
  const bad = (expected: string) =>
    new InputError(`Invalid argument \`${argument}.value\`: question ${q.id} (${textOf(q.label)}) takes ${expected}.`);
  switch (kindOf(q)) {
    case 'number':
      if (text && !Number.isFinite(Number(text))) throw bad('a number');
      return { questionId, answer: { text } };
    case 'date':
    case 'datetime': {
      const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(text);
      if (!m) throw bad(kindOf(q) === 'date' ? 'a date, YYYY-MM-DD' : 'a date and time, YYYY-MM-DDTHH:mm');
      return { questionId, answer: kindOf(q) === 'date' ? { date: m[1] } : prune({ date: m[1], time: m[2] }) };
    }
    case 'time':
      if (!/^\d{2}:\d{2}$/.test(text)) throw bad('a time, HH:mm');
      return { questionId, answer: { time: text } };
    case 'choice': {
      const ids = choiceIds(q, value, argument);
      if (ids.length > 1) throw bad('one choice');
      return { questionId, answer: { choices: ids } };
    }
    case 'choices':
      return { questionId, answer: { choices: choiceIds(q, value, argument) } };
    case 'users':
      return {
        questionId,
        answer: {
          users: (Array.isArray(value) ? value : text.split(',')).map((v) => textOf(v).trim()).filter(Boolean),
        },
      };
    case 'attachment':
      throw bad('files, which this bridge cannot upload into a form');
    default:
      return { questionId, answer: { text } };
  }
}
