// Confluence Query Language: the subset real searches use, parsed strictly and evaluated against
// plain documents so the Confluence store can feed it whatever it holds.
//
// Grammar (case-insensitive keywords and field names):
//   query   := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
//   or      := and {OR and};  and := unary {AND unary};  unary := NOT unary | '(' or ')' | clause
//   clause  := field op value | field [NOT] IN '(' value {, value} ')'
//   value   := "string" | 'string' | word | function '(' [arg {, arg}] ')'

export interface CqlDocument {
  readonly id: string;
  /** page, blogpost, comment, attachment. */
  readonly type: string;
  readonly spaceKey: string;
  readonly spaceTitle: string;
  readonly title: string;
  /** Plain text of the body. */
  readonly body: string;
  readonly labels: readonly string[];
  readonly creatorId: string;
  readonly contributorIds: readonly string[];
  readonly mentionIds: readonly string[];
  /** Root first. */
  readonly ancestorIds: readonly string[];
  readonly parentId: string | null;
  /** For comments: the page or blog post they belong to. */
  readonly containerId: string | null;
  readonly created: number;
  readonly lastModified: number;
}

export interface CqlEnvironment {
  /** Account id behind `currentUser()`; null for anonymous callers. */
  readonly currentUser: string | null;
  readonly now: number;
}

export type CqlValue =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly string[] };

export type CqlOperator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in';

export type CqlExpr =
  | { readonly kind: 'and' | 'or'; readonly left: CqlExpr; readonly right: CqlExpr }
  | { readonly kind: 'not'; readonly expr: CqlExpr }
  | { readonly kind: 'clause'; readonly field: string; readonly op: CqlOperator; readonly values: readonly CqlValue[] };

export interface CqlOrder {
  readonly field: 'title' | 'created' | 'lastmodified' | 'id' | 'space' | 'type';
  readonly direction: 'asc' | 'desc';
}

export interface CqlQuery {
  readonly source: string;
  readonly where: CqlExpr | null;
  readonly orderBy: readonly CqlOrder[];
}

/** A query Confluence would refuse; `message` is what its 400 says, `reason` says why. */
export class CqlError extends Error {
  constructor(
    readonly cql: string,
    readonly reason: string,
  ) {
    super(`Could not parse cql : ${cql}`);
  }
}

// ---- fields ----

type FieldKind =
  'type' | 'space' | 'spaceTitle' | 'title' | 'text' | 'siteSearch' | 'user' | 'label' | 'content' | 'date';

interface FieldSpec {
  readonly kind: FieldKind;
  readonly ops: readonly CqlOperator[];
}

const EQUALITY: readonly CqlOperator[] = ['=', '!=', 'in', 'not in'];
const TEXTUAL: readonly CqlOperator[] = ['~', '!~'];
const DATES: readonly CqlOperator[] = ['=', '!=', '>', '>=', '<', '<='];

const FIELDS: Record<string, FieldSpec> = {
  type: { kind: 'type', ops: EQUALITY },
  space: { kind: 'space', ops: EQUALITY },
  'space.key': { kind: 'space', ops: EQUALITY },
  'space.title': { kind: 'spaceTitle', ops: [...EQUALITY, ...TEXTUAL] },
  title: { kind: 'title', ops: [...EQUALITY, ...TEXTUAL] },
  text: { kind: 'text', ops: TEXTUAL },
  sitesearch: { kind: 'siteSearch', ops: TEXTUAL },
  creator: { kind: 'user', ops: EQUALITY },
  contributor: { kind: 'user', ops: EQUALITY },
  mention: { kind: 'user', ops: EQUALITY },
  label: { kind: 'label', ops: EQUALITY },
  ancestor: { kind: 'content', ops: EQUALITY },
  parent: { kind: 'content', ops: EQUALITY },
  id: { kind: 'content', ops: EQUALITY },
  content: { kind: 'content', ops: EQUALITY },
  container: { kind: 'content', ops: EQUALITY },
  created: { kind: 'date', ops: DATES },
  lastmodified: { kind: 'date', ops: DATES },
};

/**
 * The fields `/rest/api/search/user` understands (and only these): `type = user`, `user` and
 * `user.accountid` (account ids), `user.userkey`, and `user.fullname ~` (name prefix match).
 */
const USER_FIELDS: Record<string, FieldSpec> = {
  type: { kind: 'type', ops: EQUALITY },
  user: { kind: 'user', ops: EQUALITY },
  'user.accountid': { kind: 'user', ops: EQUALITY },
  'user.userkey': { kind: 'content', ops: EQUALITY },
  'user.fullname': { kind: 'text', ops: TEXTUAL },
};

const ORDER_FIELDS = new Set(['title', 'created', 'lastmodified', 'id', 'space', 'type']);
const DATE_FUNCTIONS = new Set([
  'now',
  'startofday',
  'startofweek',
  'startofmonth',
  'startofyear',
  'endofday',
  'endofweek',
  'endofmonth',
  'endofyear',
]);

// ---- tokenizer ----

type Token =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'punct'; readonly v: '(' | ')' | ',' };

function tokenize(cql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new CqlError(cql, reason);
  };
  while (i < cql.length) {
    const c = cql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < cql.length && cql[i] !== c) {
        if (cql[i] === '\\' && i + 1 < cql.length) {
          value += cql[i + 1];
          i += 2;
        } else {
          value += cql[i++];
        }
      }
      if (i >= cql.length) fail('unterminated string literal');
      i++;
      tokens.push({ t: 'str', v: value });
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if ('=!~<>'.includes(c)) {
      const two = cql.slice(i, i + 2);
      if (two === '!=' || two === '!~' || two === '>=' || two === '<=') {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if (c === '!') {
        fail("unexpected '!'");
      } else {
        tokens.push({ t: 'op', v: c });
        i++;
      }
    } else {
      const match = /^[^\s()=!~<>,"']+/.exec(cql.slice(i))!;
      tokens.push({ t: 'word', v: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

// ---- parser ----

class Parser {
  private pos = 0;

  constructor(
    private readonly cql: string,
    private readonly tokens: readonly Token[],
    private readonly fields: Record<string, FieldSpec> = FIELDS,
  ) {}

  parse(): CqlQuery {
    const where = this.atKeyword('order') ? null : this.or();
    const orderBy = this.orderBy();
    if (this.pos < this.tokens.length) this.fail(`unexpected "${this.tokens[this.pos]!.v}"`);
    if (where === null && orderBy.length === 0) this.fail('empty query');
    if (where !== null && startsNegative(where)) this.fail('a negative expression cannot be the first clause');
    return { source: this.cql, where, orderBy };
  }

  private fail(reason: string): never {
    throw new CqlError(this.cql, reason);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private atKeyword(word: string): boolean {
    const token = this.peek();
    return token?.t === 'word' && token.v.toLowerCase() === word;
  }

  private atPunct(p: '(' | ')' | ','): boolean {
    const token = this.peek();
    return token?.t === 'punct' && token.v === p;
  }

  private expectPunct(p: '(' | ')' | ','): void {
    if (!this.atPunct(p)) this.fail(`expected "${p}"`);
    this.pos++;
  }

  private or(): CqlExpr {
    let left = this.and();
    while (this.atKeyword('or')) {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): CqlExpr {
    let left = this.unary();
    while (this.atKeyword('and')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): CqlExpr {
    if (this.atKeyword('not')) {
      this.pos++;
      return { kind: 'not', expr: this.unary() };
    }
    if (this.atPunct('(')) {
      this.pos++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    return this.clause();
  }

  private clause(): CqlExpr {
    const fieldToken = this.peek();
    if (fieldToken?.t !== 'word') this.fail('expected a field name');
    this.pos++;
    const field = fieldToken.v.toLowerCase();
    const spec = this.fields[field];
    if (!spec) this.fail(`unsupported field "${fieldToken.v}"`);
    const op = this.operator();
    if (!spec.ops.includes(op)) this.fail(`operator "${op}" is not supported for field "${fieldToken.v}"`);
    const values = op === 'in' || op === 'not in' ? this.valueList() : [this.value()];
    for (const value of values) this.checkValue(spec.kind, value);
    return { kind: 'clause', field, op, values };
  }

  private operator(): CqlOperator {
    const token = this.peek();
    if (token?.t === 'op') {
      this.pos++;
      return token.v as CqlOperator;
    }
    if (this.atKeyword('in')) {
      this.pos++;
      return 'in';
    }
    if (this.atKeyword('not')) {
      this.pos++;
      if (!this.atKeyword('in')) this.fail('expected IN after NOT');
      this.pos++;
      return 'not in';
    }
    return this.fail('expected an operator');
  }

  private valueList(): CqlValue[] {
    this.expectPunct('(');
    const values = [this.value()];
    while (this.atPunct(',')) {
      this.pos++;
      values.push(this.value());
    }
    this.expectPunct(')');
    return values;
  }

  private value(): CqlValue {
    const token = this.peek();
    if (token?.t === 'str') {
      this.pos++;
      return { kind: 'literal', value: token.v };
    }
    if (token?.t !== 'word' || ['and', 'or', 'order'].includes(token.v.toLowerCase())) this.fail('expected a value');
    this.pos++;
    if (!this.atPunct('(')) return { kind: 'literal', value: token.v };
    this.pos++;
    const args: string[] = [];
    while (!this.atPunct(')')) {
      const arg = this.peek();
      if (arg?.t !== 'str' && arg?.t !== 'word') this.fail('expected a function argument');
      args.push(arg.v);
      this.pos++;
      if (this.atPunct(',')) this.pos++;
      else if (!this.atPunct(')')) this.fail('expected "," or ")"');
    }
    this.pos++;
    return { kind: 'function', name: token.v.toLowerCase(), args };
  }

  private checkValue(kind: FieldKind, value: CqlValue): void {
    if (value.kind === 'literal') {
      if (kind === 'date' && parseDateLiteral(value.value) === null) this.fail(`invalid date "${value.value}"`);
      return;
    }
    if (kind === 'user' && value.name === 'currentuser' && value.args.length === 0) return;
    if (kind === 'date' && DATE_FUNCTIONS.has(value.name) && value.args.length <= 1) {
      if (value.args[0] !== undefined && parseOffset(value.args[0]) === null)
        this.fail(`invalid date offset "${value.args[0]}"`);
      return;
    }
    this.fail(`function "${value.name}" is not supported here`);
  }

  private orderBy(): CqlOrder[] {
    if (!this.atKeyword('order')) return [];
    this.pos++;
    if (!this.atKeyword('by')) this.fail('expected BY after ORDER');
    this.pos++;
    const orders: CqlOrder[] = [];
    for (;;) {
      const token = this.peek();
      if (token?.t !== 'word' || !ORDER_FIELDS.has(token.v.toLowerCase())) this.fail('expected a field to order by');
      this.pos++;
      let direction: 'asc' | 'desc' = 'asc';
      if (this.atKeyword('asc') || this.atKeyword('desc')) {
        direction = (this.peek() as { v: string }).v.toLowerCase() as 'asc' | 'desc';
        this.pos++;
      }
      orders.push({ field: token.v.toLowerCase() as CqlOrder['field'], direction });
      if (!this.atPunct(',')) return orders;
      this.pos++;
    }
  }
}

/** Confluence refuses queries that open with a negation ("Currently a negative expression cannot be the first clause"). */
function startsNegative(expr: CqlExpr): boolean {
  switch (expr.kind) {
    case 'not':
      return true;
    case 'and':
    case 'or':
      return startsNegative(expr.left);
    case 'clause':
      return expr.op === '!=' || expr.op === '!~' || expr.op === 'not in';
  }
}

export function parseCql(cql: string): CqlQuery {
  return new Parser(cql, tokenize(cql)).parse();
}

/** A user search's CQL (`/rest/api/search/user`): the same grammar over the user fields only. */
export function parseUserCql(cql: string): CqlQuery {
  return new Parser(cql, tokenize(cql), USER_FIELDS).parse();
}

// ---- dates ----

const DAY = 86_400_000;

/** CQL's own date formats: `yyyy/MM/dd`, `yyyy-MM-dd`, optionally followed by ` HH:mm` (UTC here). */
export function parseDateLiteral(value: string): { start: number; span: number } | null {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const hasTime = m[4] !== undefined;
  const start = Date.UTC(year, month - 1, day, hasTime ? Number(m[4]) : 0, hasTime ? Number(m[5]) : 0);
  return { start, span: hasTime ? 60_000 : DAY };
}

/** Offsets such as `-7d`, `+2w`, `-1M`, `-3h`, `30m`. */
function parseOffset(value: string): { amount: number; unit: string } | null {
  const m = /^\s*([+-]?\d+)\s*([yMwdhm])\s*$/.exec(value);
  return m ? { amount: Number(m[1]), unit: m[2]! } : null;
}

function applyOffset(base: number, offset: { amount: number; unit: string } | null): number {
  if (!offset) return base;
  const d = new Date(base);
  switch (offset.unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + offset.amount);
      return d.getTime();
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + offset.amount);
      return d.getTime();
    case 'w':
      return base + offset.amount * 7 * DAY;
    case 'd':
      return base + offset.amount * DAY;
    case 'h':
      return base + offset.amount * 3_600_000;
    default:
      return base + offset.amount * 60_000;
  }
}

function dateFunction(name: string, arg: string | undefined, now: number): number {
  const offset = arg === undefined ? null : parseOffset(arg);
  const d = new Date(now);
  const startOfDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  // Weeks start on Monday, as Atlassian's date functions do for most locales.
  const startOfWeek = startOfDay - ((d.getUTCDay() + 6) % 7) * DAY;
  const startOfMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  switch (name) {
    case 'now':
      return applyOffset(now, offset);
    case 'startofday':
      return applyOffset(startOfDay, offset);
    case 'startofweek':
      return applyOffset(startOfWeek, offset);
    case 'startofmonth':
      return applyOffset(startOfMonth, offset);
    case 'startofyear':
      return applyOffset(startOfYear, offset);
    case 'endofday':
      return applyOffset(startOfDay + DAY - 1, offset);
    case 'endofweek':
      return applyOffset(startOfWeek + 7 * DAY - 1, offset);
    case 'endofmonth':
      return applyOffset(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1, offset);
    default:
      return applyOffset(Date.UTC(d.getUTCFullYear() + 1, 0, 1) - 1, offset);
  }
}

function dateRange(value: CqlValue, env: CqlEnvironment): { start: number; span: number } {
  if (value.kind === 'function') return { start: dateFunction(value.name, value.args[0], env.now), span: 1 };
  return parseDateLiteral(value.value)!;
}

// ---- text matching ----

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);

function words(value: string): string[] {
  return value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A light English stemmer, close enough to the index's analyzer for "deploy" to find "deployments". */
function stem(word: string): string {
  const stripped = word.replace(/(ments|ment|ings|ing|ies|ed|es|s)$/, '');
  return stripped.length >= 3 ? stripped : word;
}

type TextTerm =
  | { readonly kind: 'phrase'; readonly words: readonly string[] }
  | { readonly kind: 'word'; readonly pattern: RegExp | null; readonly stem: string };

function textTerms(query: string): TextTerm[] {
  const terms: TextTerm[] = [];
  const phrase = /"([^"]*)"/g;
  for (const m of query.matchAll(phrase)) {
    const ws = words(m[1]!);
    if (ws.length > 0) terms.push({ kind: 'phrase', words: ws });
  }
  for (const raw of query.replace(phrase, ' ').toLowerCase().split(/\s+/)) {
    const cleaned = raw.replace(/[^\p{L}\p{N}*?]/gu, '');
    if (!cleaned || STOP_WORDS.has(cleaned)) continue;
    if (/[*?]/.test(cleaned)) {
      const source = cleaned.replace(/\*/g, '[\\p{L}\\p{N}]*').replace(/\?/g, '[\\p{L}\\p{N}]');
      terms.push({ kind: 'word', pattern: new RegExp(`^${source}$`, 'u'), stem: '' });
    } else {
      terms.push({ kind: 'word', pattern: null, stem: stem(cleaned) });
    }
  }
  return terms;
}

function termHits(term: TextTerm, haystack: readonly string[]): number {
  if (term.kind === 'phrase') {
    let hits = 0;
    for (let i = 0; i + term.words.length <= haystack.length; i++) {
      if (term.words.every((w, j) => stem(haystack[i + j]!) === stem(w))) hits++;
    }
    return hits;
  }
  const { pattern } = term;
  return haystack.filter((w) => (pattern ? pattern.test(w) : stem(w) === term.stem)).length;
}

/** True when every term of a `~` query occurs in the text (Confluence ANDs the terms). */
export function textMatches(query: string, text: string): boolean {
  const terms = textTerms(query);
  if (terms.length === 0) return false;
  const haystack = words(text);
  return terms.every((term) => termHits(term, haystack) > 0);
}

// ---- evaluation ----

function userIds(values: readonly CqlValue[], env: CqlEnvironment): string[] {
  return values.flatMap((v) => (v.kind === 'function' ? (env.currentUser ? [env.currentUser] : []) : [v.value]));
}

function literals(values: readonly CqlValue[]): string[] {
  return values.map((v) => (v.kind === 'literal' ? v.value : ''));
}

function anyEqual(candidates: readonly string[], wanted: readonly string[], caseInsensitive: boolean): boolean {
  const norm = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
  const set = new Set(wanted.map(norm));
  return candidates.some((c) => set.has(norm(c)));
}

function clauseMatches(clause: Extract<CqlExpr, { kind: 'clause' }>, doc: CqlDocument, env: CqlEnvironment): boolean {
  const spec = FIELDS[clause.field]!;
  const negated = clause.op === '!=' || clause.op === '!~' || clause.op === 'not in';
  const positive = ((): boolean => {
    switch (spec.kind) {
      case 'type':
        return anyEqual([doc.type], literals(clause.values), true);
      case 'space':
        return anyEqual([doc.spaceKey], literals(clause.values), true);
      case 'spaceTitle':
        return clause.op.includes('~')
          ? textMatches(literals(clause.values)[0]!, doc.spaceTitle)
          : anyEqual([doc.spaceTitle], literals(clause.values), true);
      case 'title':
        return clause.op.includes('~')
          ? textMatches(literals(clause.values)[0]!, doc.title)
          : anyEqual([doc.title], literals(clause.values), true);
      case 'text':
        return textMatches(literals(clause.values)[0]!, `${doc.title}\n${doc.body}\n${doc.labels.join(' ')}`);
      case 'siteSearch':
        return textMatches(
          literals(clause.values)[0]!,
          `${doc.title}\n${doc.body}\n${doc.labels.join(' ')}\n${doc.spaceTitle}`,
        );
      case 'user': {
        const ids =
          clause.field === 'creator'
            ? [doc.creatorId]
            : clause.field === 'contributor'
              ? doc.contributorIds
              : doc.mentionIds;
        return anyEqual(ids, userIds(clause.values, env), false);
      }
      case 'label':
        return anyEqual(doc.labels, literals(clause.values), true);
      case 'content': {
        const ids =
          clause.field === 'ancestor'
            ? doc.ancestorIds
            : clause.field === 'parent'
              ? doc.parentId
                ? [doc.parentId]
                : []
              : clause.field === 'container'
                ? doc.containerId
                  ? [doc.containerId]
                  : []
                : [doc.id];
        return anyEqual(ids, literals(clause.values), false);
      }
      case 'date':
        return compareDate(
          clause.op,
          clause.field === 'created' ? doc.created : doc.lastModified,
          dateRange(clause.values[0]!, env),
        );
    }
  })();
  if (spec.kind === 'date') return positive;
  return negated ? !positive : positive;
}

function compareDate(op: CqlOperator, at: number, range: { start: number; span: number }): boolean {
  const end = range.start + range.span;
  switch (op) {
    case '=':
      return at >= range.start && at < end;
    case '!=':
      return at < range.start || at >= end;
    case '>':
      return at >= end;
    case '>=':
      return at >= range.start;
    case '<':
      return at < range.start;
    default:
      return at < end;
  }
}

export function matches(expr: CqlExpr, doc: CqlDocument, env: CqlEnvironment): boolean {
  switch (expr.kind) {
    case 'and':
      return matches(expr.left, doc, env) && matches(expr.right, doc, env);
    case 'or':
      return matches(expr.left, doc, env) || matches(expr.right, doc, env);
    case 'not':
      return !matches(expr.expr, doc, env);
    case 'clause':
      return clauseMatches(expr, doc, env);
  }
}

/** The free-text queries inside an expression (for relevance and excerpts). */
export function textQueries(expr: CqlExpr | null): string[] {
  if (expr === null) return [];
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...textQueries(expr.left), ...textQueries(expr.right)];
    case 'not':
      return [];
    case 'clause':
      return expr.op === '~' ? literals(expr.values) : [];
  }
}

function relevance(doc: CqlDocument, queries: readonly string[]): number {
  const titleWords = words(doc.title);
  const bodyWords = words(doc.body);
  let score = 0;
  for (const query of queries) {
    for (const term of textTerms(query)) score += 5 * termHits(term, titleWords) + termHits(term, bodyWords);
  }
  return score;
}

function orderValue(doc: CqlDocument, field: CqlOrder['field']): string | number {
  switch (field) {
    case 'title':
      return doc.title.toLowerCase();
    case 'created':
      return doc.created;
    case 'lastmodified':
      return doc.lastModified;
    case 'id':
      return Number(doc.id);
    case 'space':
      return doc.spaceKey;
    case 'type':
      return doc.type;
  }
}

/**
 * Filters and orders documents. Without ORDER BY, results come by relevance (title hits weigh
 * more than body hits), then most recently modified first.
 */
export function runCql(query: CqlQuery, docs: readonly CqlDocument[], env: CqlEnvironment): CqlDocument[] {
  const hits = query.where === null ? [...docs] : docs.filter((doc) => matches(query.where!, doc, env));
  if (query.orderBy.length > 0) {
    return hits.sort((a, b) => {
      for (const order of query.orderBy) {
        const [x, y] = [orderValue(a, order.field), orderValue(b, order.field)];
        if (x !== y) return (x < y ? -1 : 1) * (order.direction === 'asc' ? 1 : -1);
      }
      return Number(a.id) - Number(b.id);
    });
  }
  const queries = textQueries(query.where);
  const scores = new Map(hits.map((doc) => [doc, relevance(doc, queries)]));
  return hits.sort(
    (a, b) => scores.get(b)! - scores.get(a)! || b.lastModified - a.lastModified || Number(a.id) - Number(b.id),
  );
}

/** A plain-text excerpt around the first hit of a text query (or the start of the body). */
export function excerptOf(doc: CqlDocument, queries: readonly string[], maxLength = 200): string {
  const body = doc.body.replace(/\s+/g, ' ').trim();
  const lower = body.toLowerCase();
  let at = -1;
  for (const query of queries) {
    for (const w of words(query.replace(/[*?]/g, ''))) {
      if (STOP_WORDS.has(w)) continue;
      const found = lower.indexOf(stem(w));
      if (found !== -1 && (at === -1 || found < at)) at = found;
    }
  }
  const start = at <= 40 ? 0 : body.lastIndexOf(' ', at - 40) + 1;
  const slice = body.slice(start, start + maxLength);
  const cut = slice.length < body.length - start ? slice.slice(0, Math.max(slice.lastIndexOf(' '), 1)) : slice;
  return `${start > 0 ? '…' : ''}${cut}${start + cut.length < body.length ? '…' : ''}`;
}

/** Rewrites `value` with every word a text query matches wrapped (search highlighting). */
export function highlightMatches(
  value: string,
  queries: readonly string[],
  wrap: (word: string) => string,
  escape: (s: string) => string = (s) => s,
): string {
  const terms = queries.flatMap(textTerms);
  const isHit = (word: string): boolean => {
    const lower = word.toLowerCase();
    return terms.some((t) =>
      t.kind === 'phrase'
        ? t.words.some((w) => stem(w) === stem(lower))
        : t.pattern
          ? t.pattern.test(lower)
          : stem(lower) === t.stem,
    );
  };
  let out = '';
  let last = 0;
  for (const m of value.matchAll(/[\p{L}\p{N}]+/gu)) {
    out += escape(value.slice(last, m.index)) + (isHit(m[0]) ? wrap(escape(m[0])) : escape(m[0]));
    last = m.index + m[0].length;
  }
  return out + escape(value.slice(last));
}
