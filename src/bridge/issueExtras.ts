// The parts of an issue the default view summarises beyond its core fields: epic, sprints, changelog,
// rendered fields, and `more_fields` — what was left out, named so a model knows what to ask for.
import { isAdfDoc, type AdfDoc } from '../atlassian/adf';
import type { Json } from '../atlassian/jira';
import { textOf } from '../core/text';

/** Fields that repeat others (aggregates, timetracking parts) or mean nothing to a reader. */
const NOT_WORTH_NAMING = new Set([
  'project',
  'watches',
  'votes',
  'lastViewed',
  'workratio',
  'statuscategorychangedate',
  'statusCategory',
  'aggregatetimespent',
  'aggregatetimeestimate',
  'aggregatetimeoriginalestimate',
  'aggregateprogress',
  'progress',
  'timespent',
  'timeestimate',
  'timeoriginalestimate',
  'creator',
  'issuerestriction',
  'thumbnail',
  'resolutiondate',
  'versions',
  'security',
]);

const isEmpty = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) ||
  (typeof v === 'object' && v !== null && Array.isArray((v as Json).worklogs) && (v as Json).total === 0);

/** Non-empty fields the view did not show: `attachment (a.txt, b.png)`, `customfield_10001 (Team)`. */
export function moreFields(fields: Json, shown: ReadonlySet<string>, names: Json | undefined): string[] | undefined {
  const out: string[] = [];
  for (const [id, value] of Object.entries(fields)) {
    if (shown.has(id) || NOT_WORTH_NAMING.has(id) || isEmpty(value)) continue;
    if (id === 'attachment' && Array.isArray(value)) {
      out.push(`attachment (${(value as Json[]).map((a) => String(a.filename ?? a.id)).join(', ')})`);
      continue;
    }
    const name = typeof names?.[id] === 'string' ? names[id] : undefined;
    // Rank is Jira's ordering key (LexoRank), meaningless to read.
    if (name === 'Rank') continue;
    out.push(name && name !== id ? `${id} (${name})` : id);
  }
  return out.length > 0 ? out : undefined;
}

/** The id of the field Jira names `name` (from `expand=names`), e.g. "Epic Link", "Sprint". */
export function fieldNamed(names: Json | undefined, name: string): string | undefined {
  if (!names) return undefined;
  const wanted = name.toLowerCase();
  return Object.keys(names).find((id) => String(names[id]).toLowerCase() === wanted);
}

/** A sprint, whether the agile object (Cloud, agile API) or Data Center's `…Sprint@1a2b[id=1,state=ACTIVE,…]` string. */
export function sprintView(value: unknown): Record<string, unknown> | undefined {
  let s: Json | undefined;
  if (typeof value === 'string') {
    const body = /\[(.*)\]$/s.exec(value)?.[1];
    if (!body) return { name: value };
    s = {};
    for (const m of body.matchAll(/(\w+)=(.*?)(?=,\w+=|$)/gs)) s[m[1]!] = m[2] === '<null>' ? undefined : m[2];
  } else if (value && typeof value === 'object') s = value as Json;
  if (!s || s.name === undefined) return undefined;
  const out: Record<string, unknown> = {
    name: s.name,
    id: s.id === undefined ? undefined : Number(s.id),
    state: typeof s.state === 'string' ? s.state.toLowerCase() : undefined,
    start: typeof s.startDate === 'string' ? s.startDate.slice(0, 10) : undefined,
    end: typeof s.endDate === 'string' ? s.endDate.slice(0, 10) : undefined,
    completed: typeof s.completeDate === 'string' ? s.completeDate.slice(0, 10) : undefined,
    goal: typeof s.goal === 'string' && s.goal ? s.goal : undefined,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** `expand=changelog`: each change as "field: from → to", newest last. */
export function changelogView(
  changelog: unknown,
  person: (u: unknown) => string | null,
  date: (d: unknown) => string | undefined,
): Record<string, unknown>[] | undefined {
  const histories = (changelog as Json | undefined)?.histories;
  if (!Array.isArray(histories) || histories.length === 0) return undefined;
  return (histories as Json[]).map((h) => ({
    author: person(h.author) ?? undefined,
    created: date(h.created),
    changes: ((h.items as Json[] | undefined) ?? []).map(
      // `toString` is also every object's method: read Jira's field only when the item has it.
      (i) =>
        `${String(i.field)}: ${textOf(i.fromString ?? i.from, '∅')} → ${textOf(ownField(i, 'toString') ?? i.to, '∅')}`,
    ),
  }));
}

/** `expand=renderedFields`: the non-empty HTML Jira rendered, by field. */
export function renderedView(rendered: unknown): Record<string, string> | undefined {
  if (!rendered || typeof rendered !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rendered as Json)) if (typeof v === 'string' && v.trim()) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Everyone the issue JSON names, by account id / user name, so bare mentions can show a name. */
export function peopleOf(issue: unknown): Map<string, string> {
  const people = new Map<string, string>();
  const walk = (v: unknown, depth: number): void => {
    if (!v || typeof v !== 'object' || depth > 8) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    const o = v as Json;
    if (typeof o.displayName === 'string') {
      for (const id of [o.accountId, o.name, o.key]) if (typeof id === 'string') people.set(id, o.displayName);
    }
    for (const inner of Object.values(o)) walk(inner, depth + 1);
  };
  walk(issue, 0);
  return people;
}

/** A copy of an ADF document with bare mentions named and data-only inline cards given their URL. */
export function enrichAdf(doc: AdfDoc, people: ReadonlyMap<string, string>): AdfDoc {
  const fix = (node: unknown): unknown => {
    if (!node || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(fix);
    const n = { ...(node as Json) };
    const attrs = n.attrs as Json | undefined;
    if (n.type === 'mention' && attrs && !attrs.text && typeof attrs.id === 'string' && people.has(attrs.id))
      n.attrs = { ...attrs, text: `@${people.get(attrs.id)}` };
    if (n.type === 'inlineCard' && attrs && !attrs.url) {
      const data = attrs.data as Json | undefined;
      const url = data?.url ?? data?.['@id'];
      if (typeof url === 'string') n.attrs = { ...attrs, url };
      else if (typeof data?.name === 'string') n.type = 'text';
      if (n.type === 'text') n.text = String(data?.name);
    }
    if (Array.isArray(n.content)) n.content = n.content.map(fix);
    return n;
  };
  return isAdfDoc(doc) ? (fix(doc) as AdfDoc) : doc;
}

/** A field of Jira's JSON by name, never a method every object inherits (`toString`, `valueOf`…). */
function ownField(item: Json, name: string): unknown {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}
