// Project and space filters that a query cannot talk its way out of. The caller's JQL/CQL is read
// with Jira's and Confluence's own lexical rules (both quote kinds; a backslash escapes the next
// character inside and outside quotes), split into its condition and ORDER BY, must have balanced
// parentheses, and is then ANDed, in parentheses, behind the allowed set: `) OR project = X` can no
// longer close the filter's group. Results are checked again afterwards (defence in depth).
import { InputError } from './schema';

interface Split {
  readonly where: string;
  readonly orderBy: string;
}

/** Characters that end an unquoted word in JQL/CQL (besides whitespace and quotes). */
const WORD_STOP = /[\s"'(),=!<>~]/;

interface Token {
  readonly kind: 'word' | 'string' | 'open' | 'close' | 'op';
  readonly text: string;
  readonly at: number;
}

/** Tokens of a JQL/CQL query, following the products' lexers; throws on a dangling escape or quote. */
function tokens(query: string, language: 'JQL' | 'CQL', argument: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const at = i;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'") {
      for (i++; i < query.length && query[i] !== c; i++) if (query[i] === '\\') i++;
      if (i >= query.length)
        throw new InputError(
          `Invalid argument \`${argument}\`: the ${language} has an unterminated ${c === '"' ? 'double' : 'single'}-quoted string.`,
        );
      i++;
      out.push({ kind: 'string', text: query.slice(at, i), at });
    } else if (c === '(' || c === ')') {
      i++;
      out.push({ kind: c === '(' ? 'open' : 'close', text: c, at });
    } else if (/[,=!<>~]/.test(c)) {
      i++;
      out.push({ kind: 'op', text: c, at });
    } else {
      while (i < query.length && (query[i] === '\\' || !WORD_STOP.test(query[i]!))) {
        if (query[i] === '\\') {
          if (i + 1 >= query.length)
            throw new InputError(`Invalid argument \`${argument}\`: the ${language} ends in a lone backslash.`);
          i++;
        }
        i++;
      }
      out.push({ kind: 'word', text: query.slice(at, i), at });
    }
  }
  return out;
}

/** Splits a JQL/CQL query at its top-level ORDER BY; rejects unbalanced parentheses or quotes. */
export function splitQuery(query: string, language: 'JQL' | 'CQL', argument: string): Split {
  const toks = tokens(query, language, argument);
  let depth = 0;
  let orderAt = -1;
  toks.forEach((t, n) => {
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') {
      depth--;
      if (depth < 0)
        throw new InputError(`Invalid argument \`${argument}\`: the ${language} has a ")" without a matching "(".`);
    } else if (
      depth === 0 &&
      orderAt < 0 &&
      t.kind === 'word' &&
      /^order$/i.test(t.text) &&
      toks[n + 1]?.kind === 'word' &&
      /^by$/i.test(toks[n + 1]!.text)
    )
      orderAt = n;
  });
  if (depth !== 0)
    throw new InputError(`Invalid argument \`${argument}\`: the ${language} has a "(" without a matching ")".`);
  // Trimming must not strip a character a backslash escapes (`a\<newline>` would leave a lone `\`).
  const trimmed = (text: string) => {
    const out = text.trim();
    tokens(out, language, argument);
    return out;
  };
  if (orderAt < 0) return { where: trimmed(query), orderBy: '' };
  // ORDER BY may only list fields; a condition after it would sit outside the filter's group.
  const rest = toks.slice(orderAt + 2);
  if (
    rest.some((t) => t.kind === 'open' || t.kind === 'close' || (t.kind === 'op' && t.text !== ',')) ||
    rest.some((t) => t.kind === 'word' && /^(and|or|not|in|is|was|order)$/i.test(t.text))
  ) {
    throw new InputError(`Invalid argument \`${argument}\`: ORDER BY must come last and list only fields.`);
  }
  const at = toks[orderAt]!.at;
  return { where: trimmed(query.slice(0, at)), orderBy: trimmed(query.slice(at)) };
}

export function quoteValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `field in ("A","B") AND (<where>) ORDER BY …`, or the query unchanged when nothing restricts it. */
export function restrictQuery(
  query: string,
  field: string,
  allowed: readonly string[] | undefined,
  language: 'JQL' | 'CQL',
  argument: string,
): string {
  const { where, orderBy } = splitQuery(query, language, argument);
  if (!allowed) return query.trim();
  const clause = `${field} in (${allowed.map(quoteValue).join(',')})`;
  return [where ? `${clause} AND (${where})` : clause, orderBy].filter(Boolean).join(' ');
}

/**
 * The effective allow-list: the operator's filter, narrowed (never widened) by a per-call one.
 * undefined = unrestricted. Throws when the call asks only for things outside the operator's filter.
 */
export function effectiveFilter(
  operator: readonly string[] | undefined,
  requested: readonly string[] | undefined,
  what: 'project' | 'space',
  argument: string,
): readonly string[] | undefined {
  const norm = (values: readonly string[]) => values.map((v) => v.trim().toUpperCase()).filter(Boolean);
  if (!requested || requested.length === 0) return operator;
  const asked = norm(requested);
  if (!operator) return asked;
  const narrowed = asked.filter((key) => operator.includes(key));
  if (narrowed.length === 0) {
    throw new InputError(
      `Invalid argument \`${argument}\`: none of ${asked.join(', ')} is an allowed ${what}; this bridge is limited to ${operator.join(', ')}.`,
    );
  }
  return narrowed;
}

/** Project key of an issue key (ENG-12 → ENG); undefined for numeric ids. */
export function projectOfIssueKey(key: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9_]*)-\d+$/.exec(key.trim());
  return m ? m[1]!.toUpperCase() : undefined;
}
