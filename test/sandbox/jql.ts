// A JQL parser and evaluator for the subset real filters use. Errors carry Jira's own wording so a
// client sees the same 400 bodies it would get from Atlassian: parse errors are prefixed "Error in the
// JQL Query:", unknown fields and values are reported the way Jira reports them, all at once.
import type { SandboxUser } from './data/users';
import { adfToText } from './jira/adf';
import {
  ISSUE_TYPES,
  PRIORITIES,
  RESOLUTIONS,
  STATUS_CATEGORIES,
  STATUSES,
  CUSTOM_FIELD,
  type IssueRecord,
  type ProjectRecord,
  type SprintRecord,
} from './jira/model';

// --- errors ----------------------------------------------------------------------------------------

export class JqlError extends Error {
  constructor(readonly errorMessages: readonly string[]) {
    super(errorMessages.join(' '));
    this.name = 'JqlError';
  }
}

function syntaxError(message: string, source: string, offset: number | null): JqlError {
  const where = offset === null ? '' : ` ${position(source, offset)}`;
  return new JqlError([`Error in the JQL Query: ${message}${where}`]);
}

function position(source: string, offset: number): string {
  const before = source.slice(0, offset).split('\n');
  return `(line ${before.length}, character ${(before[before.length - 1]?.length ?? 0) + 1})`;
}

// --- tokens ----------------------------------------------------------------------------------------

type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly offset: number;
}

const OPERATOR_CHARS = /[=!~<>]/;
const WORD_STOP = /[\s()=!~<>,"']/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, offset: i });
      i++;
    } else if (ch === '"' || ch === "'") {
      const start = i++;
      let value = '';
      while (i < source.length && source[i] !== ch) {
        if (source[i] === '\\' && i + 1 < source.length) {
          const next = source[i + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else {
          value += source[i++];
        }
      }
      if (i >= source.length)
        throw syntaxError(`The quoted string '${source.slice(start + 1)}' has not been completed.`, source, start);
      i++;
      tokens.push({ kind: 'string', text: value, offset: start });
    } else if (OPERATOR_CHARS.test(ch)) {
      const two = source.slice(i, i + 2);
      const op = ['!=', '!~', '>=', '<='].includes(two) ? two : ch;
      tokens.push({ kind: 'op', text: op, offset: i });
      i += op.length;
    } else {
      const start = i;
      while (i < source.length && !WORD_STOP.test(source[i]!)) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), offset: start });
    }
  }
  tokens.push({ kind: 'eof', text: '', offset: source.length });
  return tokens;
}

// --- syntax tree -----------------------------------------------------------------------------------

export type JqlOperator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type JqlOperand =
  | { readonly kind: 'value'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'empty' }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly JqlOperand[] };

export type JqlExpr =
  | { readonly kind: 'clause'; readonly field: string; readonly operator: JqlOperator; readonly operand: JqlOperand }
  | { readonly kind: 'and' | 'or'; readonly items: readonly JqlExpr[] }
  | { readonly kind: 'not'; readonly expr: JqlExpr };

export interface JqlSort {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC' | null;
}

export interface JqlQuery {
  readonly where: JqlExpr | null;
  readonly orderBy: readonly JqlSort[];
}

const RESERVED = new Set(['and', 'or', 'not', 'empty', 'null', 'order', 'by', 'in', 'is', 'asc', 'desc']);

class Parser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): JqlQuery {
    let where: JqlExpr | null = null;
    if (this.peek().kind !== 'eof' && !this.atOrderBy()) where = this.parseOr();
    const orderBy = this.atOrderBy() ? this.parseOrderBy() : [];
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      throw this.error(
        orderBy.length
          ? `Expecting ',' but got '${rest.text}'.`
          : `Expecting either 'OR' or 'AND' but got '${rest.text}'.`,
        rest,
      );
    }
    return { where, orderBy };
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isWord(token: Token, ...words: string[]): boolean {
    return token.kind === 'word' && words.includes(token.text.toLowerCase());
  }

  private atOrderBy(): boolean {
    return this.isWord(this.peek(), 'order') && this.isWord(this.peek(1), 'by');
  }

  private error(message: string, token: Token): JqlError {
    return syntaxError(message, this.source, token.offset);
  }

  private describe(token: Token): string {
    return token.kind === 'eof' ? 'the end of the query' : `'${token.text}'`;
  }

  private parseOr(): JqlExpr {
    const items = [this.parseAnd()];
    while (this.isWord(this.peek(), 'or', '||')) {
      this.take();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private parseAnd(): JqlExpr {
    const items = [this.parseNot()];
    while (this.isWord(this.peek(), 'and', '&&')) {
      this.take();
      items.push(this.parseNot());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private parseNot(): JqlExpr {
    const token = this.peek();
    if (this.isWord(token, 'not') || (token.kind === 'op' && token.text === '!')) {
      this.take();
      return { kind: 'not', expr: this.parseNot() };
    }
    if (token.kind === 'lparen') {
      this.take();
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind !== 'rparen') throw this.error(`Expecting ')' but got ${this.describe(close)}.`, close);
      this.take();
      return inner;
    }
    return this.parseClause();
  }

  private parseFieldName(): string {
    const token = this.peek();
    if (token.kind === 'string') return this.take().text;
    if (token.kind === 'word' && !RESERVED.has(token.text.toLowerCase())) return this.take().text;
    if (token.kind === 'eof') throw this.error('Expecting a field name at the end of the query.', token);
    const hint =
      token.kind === 'word' ? ` You must surround '${token.text}' in quotation marks to use it as a field name.` : '';
    throw this.error(`Expecting a field name but got '${token.text}'.${hint}`, token);
  }

  private parseClause(): JqlExpr {
    const field = this.parseFieldName();
    const operator = this.parseOperator();
    const operand = this.parseOperand();
    return { kind: 'clause', field, operator, operand };
  }

  private parseOperator(): JqlOperator {
    const token = this.peek();
    if (token.kind === 'op' && token.text !== '!') {
      this.take();
      return token.text as JqlOperator;
    }
    if (this.isWord(token, 'in')) {
      this.take();
      return 'in';
    }
    if (this.isWord(token, 'not') && this.isWord(this.peek(1), 'in')) {
      this.take();
      this.take();
      return 'not in';
    }
    if (this.isWord(token, 'is')) {
      this.take();
      if (this.isWord(this.peek(), 'not')) {
        this.take();
        return 'is not';
      }
      return 'is';
    }
    const got = token.kind === 'eof' ? 'at the end of the query' : `but got '${token.text}'`;
    throw this.error(
      `Expecting operator ${got}. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`,
      token,
    );
  }

  private parseOperand(): JqlOperand {
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.take();
      const items: JqlOperand[] = [];
      for (;;) {
        items.push(this.parseSingleOperand());
        const next = this.peek();
        if (next.kind === 'comma') {
          this.take();
          continue;
        }
        if (next.kind === 'rparen') {
          this.take();
          return { kind: 'list', items };
        }
        throw this.error(`Expecting ')' but got ${this.describe(next)}.`, next);
      }
    }
    return this.parseSingleOperand();
  }

  private parseSingleOperand(): JqlOperand {
    const token = this.peek();
    if (token.kind === 'string') {
      this.take();
      return { kind: 'value', text: token.text, quoted: true };
    }
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'empty' || lower === 'null') {
        this.take();
        return { kind: 'empty' };
      }
      if (this.peek(1).kind === 'lparen') return this.parseFunction();
      if (!RESERVED.has(lower)) {
        this.take();
        return { kind: 'value', text: token.text, quoted: false };
      }
    }
    if (token.kind === 'eof')
      throw this.error('Expecting either a value, list or function at the end of the query.', token);
    const hint =
      token.kind === 'word' || token.kind === 'rparen'
        ? ` You must surround '${token.text}' in quotation marks to use it as a value.`
        : '';
    throw this.error(`Expecting either a value, list or function but got '${token.text}'.${hint}`, token);
  }

  private parseFunction(): JqlOperand {
    const name = this.take().text;
    this.take();
    const args: string[] = [];
    if (this.peek().kind === 'rparen') {
      this.take();
      return { kind: 'function', name, args };
    }
    for (;;) {
      const arg = this.take();
      if (arg.kind !== 'word' && arg.kind !== 'string')
        throw this.error(`Expecting a function argument but got ${this.describe(arg)}.`, arg);
      args.push(arg.text);
      const next = this.take();
      if (next.kind === 'rparen') return { kind: 'function', name, args };
      if (next.kind !== 'comma') throw this.error(`Expecting ')' but got ${this.describe(next)}.`, next);
    }
  }

  private parseOrderBy(): JqlSort[] {
    this.take();
    this.take();
    const sorts: JqlSort[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'word' && token.kind !== 'string') {
        throw this.error(`Expecting a field name but got ${this.describe(token)}.`, token);
      }
      this.take();
      let direction: JqlSort['direction'] = null;
      if (this.isWord(this.peek(), 'asc', 'desc')) direction = this.take().text.toUpperCase() as 'ASC' | 'DESC';
      sorts.push({ field: token.text, direction });
      if (this.peek().kind !== 'comma') return sorts;
      this.take();
    }
  }
}

export function parseJql(source: string): JqlQuery {
  return new Parser(source, tokenize(source)).parse();
}

// --- evaluation environment ------------------------------------------------------------------------------

export interface JqlEnv {
  readonly dataCenter: boolean;
  readonly now: number;
  readonly currentUser: SandboxUser | null;
  readonly users: readonly SandboxUser[];
  readonly projects: readonly ProjectRecord[];
  readonly sprints: readonly SprintRecord[];
  issueByKey(key: string): IssueRecord | undefined;
  issueById(id: string): IssueRecord | undefined;
  issues(): readonly IssueRecord[];
}

export interface CompiledJql {
  readonly query: JqlQuery;
  /** False for a query with no search restriction (e.g. only ORDER BY): /search/jql rejects those. */
  readonly bounded: boolean;
  matches(issue: IssueRecord): boolean;
  compare(a: IssueRecord, b: IssueRecord): number;
}

type Predicate = (issue: IssueRecord) => boolean;

type FieldKind =
  | 'project'
  | 'user'
  | 'status'
  | 'statusCategory'
  | 'resolution'
  | 'issuetype'
  | 'priority'
  | 'labels'
  | 'text'
  | 'date'
  | 'number'
  | 'key'
  | 'parent'
  | 'sprint';

interface FieldSpec {
  readonly kind: FieldKind;
  /** Which record property the field reads, for kinds that cover several fields. */
  readonly prop?:
    | 'assignee'
    | 'reporter'
    | 'creator'
    | 'watcher'
    | 'created'
    | 'updated'
    | 'resolved'
    | 'due'
    | 'statusCategoryChanged'
    | 'summary'
    | 'description'
    | 'environment'
    | 'comment'
    | 'all';
}

const FIELDS: Record<string, FieldSpec> = {
  project: { kind: 'project' },
  assignee: { kind: 'user', prop: 'assignee' },
  reporter: { kind: 'user', prop: 'reporter' },
  creator: { kind: 'user', prop: 'creator' },
  watcher: { kind: 'user', prop: 'watcher' },
  status: { kind: 'status' },
  statuscategory: { kind: 'statusCategory' },
  'status category': { kind: 'statusCategory' },
  resolution: { kind: 'resolution' },
  issuetype: { kind: 'issuetype' },
  type: { kind: 'issuetype' },
  'issue type': { kind: 'issuetype' },
  priority: { kind: 'priority' },
  labels: { kind: 'labels' },
  label: { kind: 'labels' },
  text: { kind: 'text', prop: 'all' },
  summary: { kind: 'text', prop: 'summary' },
  description: { kind: 'text', prop: 'description' },
  environment: { kind: 'text', prop: 'environment' },
  comment: { kind: 'text', prop: 'comment' },
  key: { kind: 'key' },
  issuekey: { kind: 'key' },
  issue: { kind: 'key' },
  id: { kind: 'key' },
  parent: { kind: 'parent' },
  'epic link': { kind: 'parent' },
  'cf[10014]': { kind: 'parent' },
  [CUSTOM_FIELD.epicLink]: { kind: 'parent' },
  sprint: { kind: 'sprint' },
  'cf[10020]': { kind: 'sprint' },
  [CUSTOM_FIELD.sprint]: { kind: 'sprint' },
  'story points': { kind: 'number' },
  'story point estimate': { kind: 'number' },
  'cf[10016]': { kind: 'number' },
  [CUSTOM_FIELD.storyPoints]: { kind: 'number' },
  created: { kind: 'date', prop: 'created' },
  createddate: { kind: 'date', prop: 'created' },
  updated: { kind: 'date', prop: 'updated' },
  updateddate: { kind: 'date', prop: 'updated' },
  resolved: { kind: 'date', prop: 'resolved' },
  resolutiondate: { kind: 'date', prop: 'resolved' },
  due: { kind: 'date', prop: 'due' },
  duedate: { kind: 'date', prop: 'due' },
  statuscategorychangeddate: { kind: 'date', prop: 'statusCategoryChanged' },
};

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERING: readonly JqlOperator[] = ['>', '>=', '<', '<='];
const OPERATORS: Record<FieldKind, readonly JqlOperator[]> = {
  project: EQUALITY,
  user: EQUALITY,
  status: EQUALITY,
  statusCategory: EQUALITY,
  resolution: EQUALITY,
  issuetype: EQUALITY,
  priority: [...EQUALITY, ...ORDERING],
  labels: EQUALITY,
  text: ['~', '!~', 'is', 'is not'],
  date: [...EQUALITY, ...ORDERING],
  number: [...EQUALITY, ...ORDERING],
  key: ['=', '!=', 'in', 'not in', ...ORDERING],
  parent: ['=', '!=', 'in', 'not in'],
  sprint: EQUALITY,
};

const DATE_HELP =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

class Compiler {
  readonly errors: string[] = [];

  constructor(private readonly env: JqlEnv) {}

  compile(expr: JqlExpr): Predicate {
    switch (expr.kind) {
      case 'and': {
        const parts = expr.items.map((e) => this.compile(e));
        return (issue) => parts.every((p) => p(issue));
      }
      case 'or': {
        const parts = expr.items.map((e) => this.compile(e));
        return (issue) => parts.some((p) => p(issue));
      }
      case 'not': {
        const inner = this.compile(expr.expr);
        return (issue) => !inner(issue);
      }
      default:
        return this.clause(expr.field, expr.operator, expr.operand);
    }
  }

  private fail(message: string): Predicate {
    this.errors.push(message);
    return () => false;
  }

  private clause(field: string, operator: JqlOperator, operand: JqlOperand): Predicate {
    const spec = FIELDS[field.toLowerCase()];
    if (!spec) return this.fail(`Field '${field}' does not exist or you do not have permission to view it.`);
    if (!OPERATORS[spec.kind].includes(operator))
      return this.fail(`The operator '${operator}' is not supported by the '${field}' field.`);
    if ((operator === 'is' || operator === 'is not') && operand.kind !== 'empty') {
      return this.fail(
        `The operator '${operator}' only supports searching for EMPTY or NULL values for the field '${field}'.`,
      );
    }
    if (
      (operator === '=' || operator === '!=' || operator === '~' || operator === '!~' || ORDERING.includes(operator)) &&
      operand.kind === 'list'
    ) {
      return this.fail(
        `The operator '${operator}' does not support the list value '${describeOperand(operand)}' for field '${field}'.`,
      );
    }
    switch (spec.kind) {
      case 'text':
        return this.textClause(field, spec, operator, operand);
      case 'date':
        return this.dateClause(field, spec, operator, operand);
      case 'number':
        return this.numberClause(field, operator, operand);
      case 'labels':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => [v.toLowerCase()]),
          (i) => i.labels.map((l) => l.toLowerCase()),
        );
      case 'key':
        return this.keyClause(field, operator, operand);
      case 'priority':
        return this.priorityClause(field, operator, operand);
      default:
        return this.enumClause(field, spec, operator, operand);
    }
  }

  /** Resolves an operand into canonical values (null = EMPTY), reporting unknown ones. */
  private values(
    field: string,
    operand: JqlOperand,
    resolve: (value: string, quoted: boolean) => string[] | null,
    functions: Record<string, () => string[]> = {},
  ): (string | null)[] {
    switch (operand.kind) {
      case 'empty':
        return [null];
      case 'list':
        return operand.items.flatMap((item) => this.values(field, item, resolve, functions));
      case 'function': {
        const fn = Object.entries(functions).find(([name]) => name.toLowerCase() === operand.name.toLowerCase());
        if (fn) return fn[1]();
        if (!KNOWN_FUNCTIONS.has(operand.name.toLowerCase()))
          this.errors.push(`Unable to find JQL function '${operand.name}(${operand.args.join(', ')})'.`);
        else
          this.errors.push(`A value provided by the function '${operand.name}' is invalid for the field '${field}'.`);
        return [];
      }
      default: {
        const resolved = resolve(operand.text, operand.quoted);
        if (resolved === null) {
          this.errors.push(`The value '${operand.text}' does not exist for the field '${field}'.`);
          return [];
        }
        return resolved;
      }
    }
  }

  private setClause(
    operator: JqlOperator,
    wanted: readonly (string | null)[],
    read: (issue: IssueRecord) => readonly string[],
  ): Predicate {
    const wantsEmpty = wanted.includes(null);
    const set = new Set(wanted.filter((v): v is string => v !== null));
    const has = (values: readonly string[]): boolean => values.some((v) => set.has(v));
    switch (operator) {
      case 'is':
        return (i) => read(i).length === 0;
      case 'is not':
        return (i) => read(i).length > 0;
      case '=':
      case 'in':
        return (i) => {
          const values = read(i);
          return (wantsEmpty && values.length === 0) || has(values);
        };
      default:
        // Like Jira, != and NOT IN never match an issue whose field is empty.
        return (i) => {
          const values = read(i);
          return values.length > 0 && !has(values);
        };
    }
  }

  private enumClause(field: string, spec: FieldSpec, operator: JqlOperator, operand: JqlOperand): Predicate {
    const env = this.env;
    switch (spec.kind) {
      case 'project':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => {
            const p = env.projects.find(
              (x) => x.key.toLowerCase() === v.toLowerCase() || x.id === v || x.name.toLowerCase() === v.toLowerCase(),
            );
            return p ? [p.id] : null;
          }),
          (i) => [i.projectId],
        );
      case 'status':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => byNameOrId(STATUSES, v)),
          (i) => [i.statusId],
        );
      case 'statusCategory':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => {
            const c = STATUS_CATEGORIES.find(
              (x) => x.name.toLowerCase() === v.toLowerCase() || x.key === v.toLowerCase() || String(x.id) === v,
            );
            return c ? [c.key] : null;
          }),
          (i) => [statusCategoryOf(i.statusId)],
        );
      case 'resolution': {
        // "Unresolved" is Jira's name for an empty resolution.
        const wanted = this.values(field, operand, (v) =>
          v.toLowerCase() === 'unresolved' ? [] : byNameOrId(RESOLUTIONS, v),
        );
        if (isUnresolved(operand)) wanted.push(null);
        return this.setClause(operator, wanted, (i) => (i.resolutionId ? [i.resolutionId] : []));
      }
      case 'issuetype':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => byNameOrId(ISSUE_TYPES, v), {
            standardIssueTypes: () => ISSUE_TYPES.filter((t) => !t.subtask).map((t) => t.id),
            subTaskIssueTypes: () => ISSUE_TYPES.filter((t) => t.subtask).map((t) => t.id),
          }),
          (i) => [i.issueTypeId],
        );
      case 'user':
        return this.setClause(
          operator,
          this.values(field, operand, (v) => this.user(v), {
            currentUser: () => (env.currentUser ? [env.currentUser.accountId] : []),
          }),
          (i) => userValues(i, spec.prop),
        );
      case 'sprint':
        return this.setClause(
          operator,
          this.values(
            field,
            operand,
            (v) => {
              const s = env.sprints.find((x) => String(x.id) === v || x.name.toLowerCase() === v.toLowerCase());
              return s ? [String(s.id)] : null;
            },
            {
              openSprints: () => env.sprints.filter((s) => s.state === 'active').map((s) => String(s.id)),
              closedSprints: () => env.sprints.filter((s) => s.state === 'closed').map((s) => String(s.id)),
              futureSprints: () => env.sprints.filter((s) => s.state === 'future').map((s) => String(s.id)),
            },
          ),
          (i) => i.sprintIds.map(String),
        );
      default:
        return this.setClause(
          operator,
          this.values(field, operand, (v) => {
            const issue = /^\d+$/.test(v) ? env.issueById(v) : env.issueByKey(v.toUpperCase());
            if (!issue) {
              this.errors.push(`An issue with key '${v}' does not exist for field '${field}'.`);
              return [];
            }
            return [issue.id];
          }),
          (i) => (i.parentId ? [i.parentId] : []),
        );
    }
  }

  private user(value: string): string[] | null {
    const v = value.toLowerCase();
    const user = this.env.users.find(
      (u) =>
        u.accountId.toLowerCase() === v ||
        u.email.toLowerCase() === v ||
        u.displayName.toLowerCase() === v ||
        (this.env.dataCenter && u.email.split('@')[0]!.toLowerCase() === v),
    );
    return user ? [user.accountId] : null;
  }

  private keyClause(field: string, operator: JqlOperator, operand: JqlOperand): Predicate {
    const env = this.env;
    const resolve = (v: string): IssueRecord | undefined =>
      /^\d+$/.test(v) ? env.issueById(v) : env.issueByKey(v.toUpperCase());
    if (ORDERING.includes(operator)) {
      if (operand.kind !== 'value')
        return this.fail(`The operator '${operator}' is not supported by the '${field}' field.`);
      const pivot = resolve(operand.text);
      if (!pivot) return this.fail(`An issue with key '${operand.text}' does not exist for field '${field}'.`);
      const [pivotProject, pivotNumber] = splitKey(pivot.key);
      return (i) => {
        const [project, number] = splitKey(i.key);
        return project === pivotProject && compareWith(operator, number, pivotNumber);
      };
    }
    const wanted = this.values(
      field,
      operand,
      (v) => {
        const issue = resolve(v);
        if (!issue && !/^\d+$/.test(v)) {
          this.errors.push(`An issue with key '${v}' does not exist for field '${field}'.`);
          return [];
        }
        return issue ? [issue.id] : [];
      },
      {
        watchedIssues: () => this.watched(),
      },
    );
    return this.setClause(operator, wanted, (i) => [i.id]);
  }

  private watched(): string[] {
    const me = this.env.currentUser?.accountId;
    return me
      ? this.env
          .issues()
          .filter((i) => i.watcherIds.includes(me))
          .map((i) => i.id)
      : [];
  }

  private priorityClause(field: string, operator: JqlOperator, operand: JqlOperand): Predicate {
    const wanted = this.values(field, operand, (v) => byNameOrId(PRIORITIES, v));
    if (!ORDERING.includes(operator)) return this.setClause(operator, wanted, (i) => [i.priorityId]);
    const pivot = wanted[0];
    if (pivot === undefined || pivot === null) return () => false;
    // Priority order is by importance: "priority > Medium" means High and Highest.
    const rank = (id: string): number => -PRIORITIES.findIndex((p) => p.id === id);
    return (i) => compareWith(operator, rank(i.priorityId), rank(pivot));
  }

  private numberClause(field: string, operator: JqlOperator, operand: JqlOperand): Predicate {
    const wanted = this.values(field, operand, (v) => {
      if (!/^-?\d+(\.\d+)?$/.test(v)) {
        this.errors.push(`The value '${v}' for field '${field}' is not a valid number.`);
        return [];
      }
      return [String(Number(v))];
    });
    if (!ORDERING.includes(operator))
      return this.setClause(operator, wanted, (i) => (i.storyPoints === null ? [] : [String(i.storyPoints)]));
    const pivot = wanted[0];
    if (pivot === undefined || pivot === null) return () => false;
    return (i) => i.storyPoints !== null && compareWith(operator, i.storyPoints, Number(pivot));
  }

  private dateClause(field: string, spec: FieldSpec, operator: JqlOperator, operand: JqlOperand): Predicate {
    const read = (i: IssueRecord): number | null => dateValue(i, spec.prop);
    const stamps: (number | null)[] = [];
    const collect = (op: JqlOperand): void => {
      if (op.kind === 'empty') stamps.push(null);
      else if (op.kind === 'list') op.items.forEach(collect);
      else if (op.kind === 'function') {
        const value = dateFunction(op.name, op.args, this.env.now);
        if (value === undefined) {
          this.errors.push(
            KNOWN_FUNCTIONS.has(op.name.toLowerCase())
              ? `A value provided by the function '${op.name}' is invalid for the field '${field}'.`
              : `Unable to find JQL function '${op.name}(${op.args.join(', ')})'.`,
          );
        } else stamps.push(value);
      } else {
        const value = parseDate(op.text, this.env.now);
        if (value === null) this.errors.push(`Date value '${op.text}' for field '${field}' is invalid. ${DATE_HELP}`);
        else stamps.push(value);
      }
    };
    collect(operand);
    if (ORDERING.includes(operator)) {
      const pivot = stamps[0];
      if (pivot === undefined || pivot === null) return () => false;
      return (i) => {
        const value = read(i);
        return value !== null && compareWith(operator, value, pivot);
      };
    }
    return this.setClause(
      operator,
      stamps.map((s) => (s === null ? null : String(s))),
      (i) => {
        const value = read(i);
        return value === null ? [] : [String(value)];
      },
    );
  }

  private textClause(field: string, spec: FieldSpec, operator: JqlOperator, operand: JqlOperand): Predicate {
    const read = (i: IssueRecord): string => textValue(i, spec.prop);
    if (operator === 'is' || operator === 'is not') {
      const empty = (i: IssueRecord): boolean => read(i).trim() === '';
      return operator === 'is' ? empty : (i) => !empty(i);
    }
    if (operand.kind !== 'value')
      return this.fail(`The operator '${operator}' is not supported by the '${field}' field.`);
    if (/^[*?]/.test(operand.text.trim())) {
      return this.fail(
        `The text query '${operand.text}' for field '${field}' is not allowed to start with a wildcard.`,
      );
    }
    const matcher = textMatcher(operand.text);
    return operator === '~' ? (i) => matcher(read(i)) : (i) => !matcher(read(i));
  }
}

const KNOWN_FUNCTIONS = new Set([
  'currentuser',
  'opensprints',
  'closedsprints',
  'futuresprints',
  'now',
  'startofday',
  'endofday',
  'startofweek',
  'endofweek',
  'startofmonth',
  'endofmonth',
  'startofyear',
  'endofyear',
  'standardissuetypes',
  'subtaskissuetypes',
  'watchedissues',
  'membersof',
  'issuehistory',
  'updatedby',
  'projectsleadbyuser',
  'linkedissues',
  'lastlogin',
  'currentlogin',
]);

function describeOperand(operand: JqlOperand): string {
  switch (operand.kind) {
    case 'empty':
      return 'EMPTY';
    case 'function':
      return `${operand.name}(${operand.args.join(', ')})`;
    case 'list':
      return `(${operand.items.map(describeOperand).join(', ')})`;
    default:
      return operand.quoted ? `"${operand.text}"` : operand.text;
  }
}

function isUnresolved(operand: JqlOperand): boolean {
  if (operand.kind === 'value') return operand.text.toLowerCase() === 'unresolved';
  if (operand.kind === 'list') return operand.items.some(isUnresolved);
  return false;
}

function byNameOrId(items: readonly { id: string; name: string }[], value: string): string[] | null {
  const found = items.find((x) => x.name.toLowerCase() === value.toLowerCase() || x.id === value);
  return found ? [found.id] : null;
}

export function statusCategoryOf(statusId: string): string {
  return STATUSES.find((s) => s.id === statusId)?.category ?? 'new';
}

function userValues(issue: IssueRecord, prop: FieldSpec['prop']): string[] {
  switch (prop) {
    case 'reporter':
      return [issue.reporterId];
    case 'creator':
      return [issue.creatorId];
    case 'watcher':
      return issue.watcherIds;
    default:
      return issue.assigneeId ? [issue.assigneeId] : [];
  }
}

function dateValue(issue: IssueRecord, prop: FieldSpec['prop']): number | null {
  switch (prop) {
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'resolved':
      return issue.resolutionDate;
    case 'statusCategoryChanged':
      return issue.statusCategoryChangeDate;
    default:
      return issue.dueDate ? Date.parse(`${issue.dueDate}T00:00:00Z`) : null;
  }
}

function textValue(issue: IssueRecord, prop: FieldSpec['prop']): string {
  switch (prop) {
    case 'summary':
      return issue.summary;
    case 'description':
      return adfToText(issue.description);
    case 'environment':
      return adfToText(issue.environment);
    case 'comment':
      return issue.comments.map((c) => adfToText(c.body)).join('\n');
    default:
      return [
        issue.summary,
        adfToText(issue.description),
        adfToText(issue.environment),
        ...issue.comments.map((c) => adfToText(c.body)),
      ].join('\n');
  }
}

function compareWith(operator: JqlOperator, a: number, b: number): boolean {
  switch (operator) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    default:
      return a <= b;
  }
}

function splitKey(key: string): [string, number] {
  const dash = key.lastIndexOf('-');
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
}

// --- dates ----------------------------------------------------------------------------------------

/** Absolute dates (UTC) and relative periods such as `-7d` or `"-1w 2d"`. Null when invalid. */
export function parseDate(value: string, now: number): number | null {
  const text = value.trim();
  const absolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  if (absolute) {
    const [, y, m, d, hh, mm] = absolute;
    const stamp = Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0));
    return Number.isNaN(stamp) ? null : stamp;
  }
  const relative = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/.exec(text);
  if (!relative) return null;
  const sign = relative[1] === '-' ? -1 : 1;
  let offset = 0;
  for (const [, amount, unit] of relative[2]!.matchAll(/(\d+)\s*([wdhm])/g)) {
    offset += Number(amount) * (unit === 'w' ? 7 * DAY : unit === 'd' ? DAY : unit === 'h' ? HOUR : MINUTE);
  }
  return now + sign * offset;
}

function dateFunction(name: string, args: readonly string[], now: number): number | undefined {
  const fn = name.toLowerCase();
  if (fn === 'now') return now;
  const match = /^(start|end)of(day|week|month|year)$/.exec(fn);
  if (!match) return undefined;
  const [, edge, unit] = match as unknown as [string, 'start' | 'end', 'day' | 'week' | 'month' | 'year'];
  let base = new Date(now);
  const increment = args[0] ? /^([+-]?)(\d+)([ywdhmM]?)$/.exec(args[0].trim()) : null;
  if (args[0] && !increment) return undefined;
  if (increment) {
    const amount = Number(increment[2]) * (increment[1] === '-' ? -1 : 1);
    const incUnit = increment[3] || { day: 'd', week: 'w', month: 'M', year: 'y' }[unit];
    base = shift(base, amount, incUnit);
  }
  const start = startOf(base, unit);
  return edge === 'start'
    ? start.getTime()
    : shift(start, 1, { day: 'd', week: 'w', month: 'M', year: 'y' }[unit]).getTime() - 1;
}

function shift(date: Date, amount: number, unit: string): Date {
  const d = new Date(date.getTime());
  if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + amount);
  else if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + amount);
  else if (unit === 'w') d.setUTCDate(d.getUTCDate() + 7 * amount);
  else if (unit === 'd') d.setUTCDate(d.getUTCDate() + amount);
  else if (unit === 'h') d.setUTCHours(d.getUTCHours() + amount);
  else d.setUTCMinutes(d.getUTCMinutes() + amount);
  return d;
}

function startOf(date: Date, unit: 'day' | 'week' | 'month' | 'year'): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  if (unit === 'month') d.setUTCDate(1);
  if (unit === 'year') d.setUTCMonth(0, 1);
  return d;
}

// --- text search ----------------------------------------------------------------------------------------

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

function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Jira's `~`: every non-stop-word term must occur (stemmed, case-insensitive); `*` and `?` are
 * wildcards; a value wrapped in quotes is an exact phrase.
 */
export function textMatcher(query: string): (haystack: string) => boolean {
  const trimmed = query.trim();
  const phrase = /^"(.*)"$/.exec(trimmed);
  if (phrase) {
    const needle = words(phrase[1] ?? '').join(' ');
    return (haystack) => ` ${words(haystack).join(' ')} `.includes(` ${needle} `);
  }
  const terms = trimmed
    .split(/\s+/)
    .filter((t) => t && !STOP_WORDS.has(t.toLowerCase()) && !['and', 'or', '&&', '||'].includes(t.toLowerCase()));
  const tests = terms.map((term): ((ws: readonly string[]) => boolean) => {
    if (/[*?]/.test(term)) {
      const pattern = new RegExp(
        `^${term
          .toLowerCase()
          .replace(/[.+^${}()|[\]\\]/g, '')
          .replace(/\*/g, '[\\p{L}\\p{N}_]*')
          .replace(/\?/g, '[\\p{L}\\p{N}_]')}$`,
        'u',
      );
      return (ws) => ws.some((w) => pattern.test(w));
    }
    const parts = words(term).map(stem);
    return (ws) => parts.every((part) => ws.some((w) => stem(w) === part));
  });
  return (haystack) => {
    const ws = words(haystack);
    return tests.every((t) => t(ws));
  };
}

// --- ordering --------------------------------------------------------------------------------------------

type SortKey = (issue: IssueRecord, env: JqlEnv) => string | number | null;

function userName(env: JqlEnv, accountId: string | null): string | null {
  return accountId ? (env.users.find((u) => u.accountId === accountId)?.displayName ?? accountId) : null;
}

const SORT_KEYS: Record<string, { key: SortKey; defaultDirection: 'ASC' | 'DESC' }> = {
  key: { key: (i) => keySortValue(i.key), defaultDirection: 'ASC' },
  id: { key: (i) => Number(i.id), defaultDirection: 'ASC' },
  created: { key: (i) => i.created, defaultDirection: 'ASC' },
  updated: { key: (i) => i.updated, defaultDirection: 'ASC' },
  resolved: { key: (i) => i.resolutionDate, defaultDirection: 'ASC' },
  duedate: { key: (i) => i.dueDate, defaultDirection: 'ASC' },
  statuscategorychangeddate: { key: (i) => i.statusCategoryChangeDate, defaultDirection: 'ASC' },
  // Higher importance sorts "greater": ORDER BY priority DESC lists Highest first, as in Jira.
  priority: { key: (i) => -PRIORITIES.findIndex((p) => p.id === i.priorityId), defaultDirection: 'DESC' },
  status: { key: (i) => STATUSES.find((s) => s.id === i.statusId)?.order ?? 0, defaultDirection: 'ASC' },
  statuscategory: {
    key: (i) => ['new', 'indeterminate', 'done'].indexOf(statusCategoryOf(i.statusId)),
    defaultDirection: 'ASC',
  },
  resolution: {
    key: (i) => (i.resolutionId ? (RESOLUTIONS.find((r) => r.id === i.resolutionId)?.name ?? null) : null),
    defaultDirection: 'ASC',
  },
  assignee: { key: (i, env) => userName(env, i.assigneeId), defaultDirection: 'ASC' },
  reporter: { key: (i, env) => userName(env, i.reporterId), defaultDirection: 'ASC' },
  creator: { key: (i, env) => userName(env, i.creatorId), defaultDirection: 'ASC' },
  summary: { key: (i) => i.summary.toLowerCase(), defaultDirection: 'ASC' },
  issuetype: { key: (i) => ISSUE_TYPES.find((t) => t.id === i.issueTypeId)?.name ?? null, defaultDirection: 'ASC' },
  project: { key: (i, env) => env.projects.find((p) => p.id === i.projectId)?.name ?? null, defaultDirection: 'ASC' },
  rank: { key: (i) => i.rank, defaultDirection: 'ASC' },
  storypoints: { key: (i) => i.storyPoints, defaultDirection: 'ASC' },
  sprint: { key: (i) => (i.sprintIds.length ? Math.max(...i.sprintIds) : null), defaultDirection: 'ASC' },
};

const SORT_ALIASES: Record<string, string> = {
  issuekey: 'key',
  issue: 'key',
  createddate: 'created',
  updateddate: 'updated',
  resolutiondate: 'resolved',
  due: 'duedate',
  type: 'issuetype',
  'issue type': 'issuetype',
  'status category': 'statuscategory',
  [CUSTOM_FIELD.rank]: 'rank',
  'cf[10019]': 'rank',
  'story points': 'storypoints',
  'story point estimate': 'storypoints',
  [CUSTOM_FIELD.storyPoints]: 'storypoints',
  'cf[10016]': 'storypoints',
  [CUSTOM_FIELD.sprint]: 'sprint',
  'cf[10020]': 'sprint',
};

function keySortValue(key: string): string {
  const [project, number] = splitKey(key);
  return `${project}-${String(number).padStart(10, '0')}`;
}

function compareValues(a: string | number | null, b: string | number | null): number {
  // Empty values sort last in ascending order, as Jira does.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function buildComparator(
  sorts: readonly JqlSort[],
  env: JqlEnv,
  errors: string[],
): (a: IssueRecord, b: IssueRecord) => number {
  const keys: { key: SortKey; sign: number }[] = [];
  for (const sort of sorts) {
    const name = sort.field.toLowerCase();
    const entry = SORT_KEYS[SORT_ALIASES[name] ?? name];
    if (!entry) {
      errors.push(
        FIELDS[name]
          ? `Field '${sort.field}' does not support sorting.`
          : `Field '${sort.field}' does not exist or you do not have permission to view it.`,
      );
      continue;
    }
    keys.push({ key: entry.key, sign: (sort.direction ?? entry.defaultDirection) === 'DESC' ? -1 : 1 });
  }
  if (sorts.length > 7) errors.push('The ORDER BY clause of the query can not have more than 7 fields.');
  // Without ORDER BY Jira lists the newest keys first; explicit orders fall back to the same tie-break.
  keys.push({ key: (i) => keySortValue(i.key), sign: -1 });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const c = compareValues(key(a, env), key(b, env));
      if (c !== 0) return c * sign;
    }
    return 0;
  };
}

/** Parses and validates `jql` against the site's data; throws JqlError with Jira's messages. */
export function compileJql(jql: string, env: JqlEnv): CompiledJql {
  const query = parseJql(jql);
  const compiler = new Compiler(env);
  const predicate = query.where ? compiler.compile(query.where) : () => true;
  const compare = buildComparator(query.orderBy, env, compiler.errors);
  if (compiler.errors.length) throw new JqlError([...new Set(compiler.errors)]);
  return { query, bounded: query.where !== null, matches: predicate, compare };
}
