// Fuzz: random and adversarial JQL/CQL against the filter builder, checked by a lexer of its own
// written from Jira's JQL grammar (JqlLexer: quoted strings in " or ', `\` escaping the next
// character inside and outside quotes, words ending at whitespace, quotes and ()[],=!<>~), which CQL
// shares; and random ids into URL path building. Fixed seed, printed on failure; bounded in time.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pathSegment } from '../../../src/atlassian/ids';
import { InputError } from '../../../src/bridge/schema';
import { restrictQuery } from '../../../src/bridge/scope';

const SEED = 1307;
const RUNS = 4000;

/** Tokens as Jira's lexer reads them: ['(' | ')' | ',' | op | word | string]. */
function jiraTokens(q: string): string[] {
  const out: string[] = [];
  const re =
    /\s+|"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'|[()[\],]|!=|!~|<=|>=|[=~<>!]|(?:\\[\s\S]|[^\s"'()[\],=!<>~\\])+/y;
  let at = 0;
  while (at < q.length) {
    re.lastIndex = at;
    const m = re.exec(q);
    if (!m) throw new Error(`lexer stuck at ${at} in ${JSON.stringify(q)}`);
    if (!/^\s+$/.test(m[0])) out.push(m[0]);
    at = re.lastIndex;
  }
  return out;
}

/** True when the built query keeps the caller's condition inside the group behind the filter. */
function staysInGroup(built: string, prefix: string[]): boolean {
  const t = jiraTokens(built);
  if (prefix.some((p, i) => t[i] !== p)) return false;
  if (t.length === prefix.length) return true;
  const rest = t.slice(prefix.length);
  const orderAt = rest.findIndex((x, i) => /^order$/i.test(x) && /^by$/i.test(rest[i + 1] ?? ''));
  // Without a condition: ORDER BY straight after the filter, listing only fields.
  let tail = rest;
  if (rest[0] === 'AND' && rest[1] === '(') {
    let depth = 0;
    let close = -1;
    for (let i = 1; i < rest.length; i++) {
      if (rest[i] === '(') depth++;
      else if (rest[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    if (close < 0) return false;
    tail = rest.slice(close + 1);
  } else if (orderAt !== 0) return false;
  if (tail.length === 0) return true;
  if (!/^order$/i.test(tail[0]!) || !/^by$/i.test(tail[1] ?? '')) return false;
  return tail.slice(2).every((x) => x === ',' || !/^[()=<>!~]|^(and|or|not|in|is|was)$/i.test(x));
}

const PIECES = [
  '"',
  "'",
  '\\',
  '(',
  ')',
  ' ',
  'OR',
  'AND',
  'project = OPS',
  'order by',
  'ORDER BY key',
  ',',
  '~',
  'a',
  '\n',
  '\\"',
  "\\'",
  '\\\\',
  '=',
  'NOT',
  'x',
];
const query = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((xs) => xs.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('fuzz: JQL/CQL filter builder (issue 13)', function () {
  this.timeout(30_000);
  for (const [language, field] of [
    ['JQL', 'project'],
    ['CQL', 'space'],
  ] as const) {
    it(`${language}: whatever the query holds, it cannot leave the ${field} filter's group`, () => {
      const prefix = [field, 'in', '(', '"ENG"', ',', '"TEAM"', ')'];
      let built = 0;
      fc.assert(
        fc.property(fc.oneof(query, anyText), (q) => {
          let out: string;
          try {
            out = restrictQuery(q, field, ['ENG', 'TEAM'], language, 'q');
          } catch (e) {
            if (e instanceof InputError) return true;
            throw e;
          }
          built++;
          return staysInGroup(out, prefix);
        }),
        { seed: SEED, numRuns: RUNS, verbose: 1 },
      );
      assert.ok(built > RUNS / 10, `only ${built} queries were accepted`);
    });
  }

  it('the audit query and its single-quote twin are refused or kept inside', () => {
    for (const q of [
      'summary ~ a\\" ) OR project = OPS OR ( summary ~ "x\\"y"',
      "summary ~ a\\' ) OR project = OPS OR ( summary ~ 'x\\'y'",
    ])
      assert.throws(() => restrictQuery(q, 'project', ['ENG'], 'JQL', 'jql'), InputError);
  });
});

describe('fuzz: ids into URL paths (issue 13)', () => {
  it('no id leaves its path segment, whatever it holds', () => {
    const base = 'https://site.example/rest/api/3/issue/';
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('.', '..', '', ' ..', '%2e%2e', '../x')),
        (id) => {
          let seg: string;
          try {
            seg = pathSegment(id);
          } catch {
            return true;
          }
          const url = new URL(`${base}${seg}/comment`);
          return (
            url.pathname.startsWith('/rest/api/3/issue/') &&
            url.pathname.endsWith('/comment') &&
            !url.pathname.startsWith('/rest/api/3/issue//') &&
            url.pathname.split('/').length === 7
          );
        },
      ),
      { seed: SEED, numRuns: RUNS, verbose: 1 },
    );
  });
});
