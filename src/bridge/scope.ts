// Project and space filters that a query cannot talk its way out of. The caller's JQL/CQL is split
// into its condition and ORDER BY (outside quoted strings), must have balanced parentheses, and is
// then ANDed, in parentheses, behind the allowed set: `) OR project = X` can no longer close the
// filter's group. Results are checked again afterwards (defence in depth).
import { InputError } from './schema';

interface Split {
  readonly where: string;
  readonly orderBy: string;
}

/** Splits a JQL/CQL query at its top-level ORDER BY; rejects unbalanced parentheses or quotes. */
export function splitQuery(query: string, language: 'JQL' | 'CQL', argument: string): Split {
  let depth = 0;
  let quote: string | undefined;
  let orderAt = -1;
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0)
        throw new InputError(`Invalid argument \`${argument}\`: the ${language} has a ")" without a matching "(".`);
    } else if (
      depth === 0 &&
      orderAt < 0 &&
      /^order\s+by\b/i.test(query.slice(i)) &&
      (i === 0 || /\s|\)/.test(query[i - 1]!))
    ) {
      orderAt = i;
    }
  }
  if (quote)
    throw new InputError(
      `Invalid argument \`${argument}\`: the ${language} has an unterminated ${quote === '"' ? 'double' : 'single'}-quoted string.`,
    );
  if (depth !== 0)
    throw new InputError(`Invalid argument \`${argument}\`: the ${language} has a "(" without a matching ")".`);
  if (orderAt < 0) return { where: query.trim(), orderBy: '' };
  const orderBy = query.slice(orderAt).trim();
  // ORDER BY may only list fields; a condition after it would sit outside the filter's group.
  if (/[()=<>!~]|\b(and|or|not|in|is|was)\b/i.test(orderBy.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'))) {
    throw new InputError(`Invalid argument \`${argument}\`: ORDER BY must come last and list only fields.`);
  }
  return { where: query.slice(0, orderAt).trim(), orderBy };
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
