import assert from 'node:assert/strict';
import { CqlError, excerptOf, highlightMatches, parseCql, runCql, textMatches } from '../../sandbox/cql';
import type { CqlDocument, CqlEnvironment, CqlExpr } from '../../sandbox/cql';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const DAY = 86_400_000;
const ADA = '712020:ada';
const GRACE = '712020:grace';

function doc(overrides: Partial<CqlDocument> & Pick<CqlDocument, 'id' | 'title'>): CqlDocument {
  return {
    type: 'page',
    spaceKey: 'ENG',
    spaceTitle: 'Engineering Handbook',
    body: '',
    labels: [],
    creatorId: ADA,
    contributorIds: [ADA],
    mentionIds: [],
    ancestorIds: [],
    parentId: null,
    containerId: null,
    created: NOW - 100 * DAY,
    lastModified: NOW - 50 * DAY,
    ...overrides,
  };
}

const DOCS: CqlDocument[] = [
  doc({ id: '1', title: 'Engineering Handbook', body: 'Welcome to the handbook.', labels: ['handbook'] }),
  doc({
    id: '2',
    title: 'Release Process',
    body: 'We deploy every Tuesday with canary deployments.',
    labels: ['process', 'release'],
    ancestorIds: ['1'],
    parentId: '1',
    lastModified: NOW - 2 * DAY,
    contributorIds: [ADA, GRACE],
  }),
  doc({
    id: '3',
    title: 'Hotfix Procedure',
    body: 'Ship an urgent fix outside the release train.',
    labels: ['release', 'hotfix'],
    ancestorIds: ['1', '2'],
    parentId: '2',
    creatorId: GRACE,
    contributorIds: [GRACE],
    mentionIds: [ADA],
    created: NOW - 10 * DAY,
    lastModified: NOW - 10 * DAY,
  }),
  doc({
    id: '4',
    title: 'Team Space',
    spaceKey: 'TEAM',
    spaceTitle: 'Team Space',
    body: 'Notes and plans of the product team.',
    creatorId: GRACE,
    contributorIds: [GRACE],
  }),
  doc({
    id: '5',
    title: 'Deployment retro',
    type: 'blogpost',
    spaceKey: 'TEAM',
    spaceTitle: 'Team Space',
    body: 'The deployment went well. Release notes follow.',
    lastModified: NOW - 1 * DAY,
  }),
  doc({
    id: '6',
    title: 'Re: Release Process',
    type: 'comment',
    body: 'Is this still accurate?',
    containerId: '2',
    ancestorIds: ['1', '2'],
    creatorId: GRACE,
    contributorIds: [GRACE],
  }),
];

const ENV: CqlEnvironment = { currentUser: ADA, now: NOW };

function ids(cql: string, env: CqlEnvironment = ENV): string[] {
  return runCql(parseCql(cql), DOCS, env).map((d) => d.id);
}

function sortedIds(cql: string, env: CqlEnvironment = ENV): string[] {
  return ids(cql, env).sort();
}

function parseError(cql: string): CqlError {
  try {
    parseCql(cql);
  } catch (error) {
    assert.ok(error instanceof CqlError, `expected a CqlError for ${cql}`);
    return error;
  }
  return assert.fail(`expected ${cql} to be refused`);
}

describe('CQL', () => {
  describe('parsing', () => {
    it('parses clauses, connectives and ORDER BY into a tree', () => {
      const query = parseCql(
        'type = page AND (space IN ("ENG", TEAM) OR NOT label = "draft") ORDER BY lastmodified DESC, title',
      );
      assert.deepEqual(query.orderBy, [
        { field: 'lastmodified', direction: 'desc' },
        { field: 'title', direction: 'asc' },
      ]);
      assert.equal(query.where?.kind, 'and');
      const where = query.where as Extract<CqlExpr, { kind: 'and' | 'or' }>;
      assert.deepEqual(where.left, {
        kind: 'clause',
        field: 'type',
        op: '=',
        values: [{ kind: 'literal', value: 'page' }],
      });
      assert.equal(where.right.kind, 'or');
    });

    it('is case-insensitive for keywords and field names, and reads functions and escapes', () => {
      const query = parseCql(
        'Creator = currentUser() and lastModified >= now("-7d") and title = "say \\"hi\\"" order by Created asc',
      );
      const clauses: unknown[] = [];
      const walk = (e: CqlExpr): void => {
        if (e.kind === 'clause') clauses.push(e);
        else if (e.kind === 'not') walk(e.expr);
        else {
          walk(e.left);
          walk(e.right);
        }
      };
      walk(query.where!);
      assert.deepEqual(clauses, [
        { kind: 'clause', field: 'creator', op: '=', values: [{ kind: 'function', name: 'currentuser', args: [] }] },
        { kind: 'clause', field: 'lastmodified', op: '>=', values: [{ kind: 'function', name: 'now', args: ['-7d'] }] },
        { kind: 'clause', field: 'title', op: '=', values: [{ kind: 'literal', value: 'say "hi"' }] },
      ]);
      assert.deepEqual(query.orderBy, [{ field: 'created', direction: 'asc' }]);
    });

    it('accepts NOT IN and single-quoted strings', () => {
      assert.deepEqual(sortedIds("type = page AND space NOT IN ('TEAM')"), ['1', '2', '3']);
    });

    const refused: [string, string][] = [
      ['type = ', 'expected a value'],
      ['type = "page', 'unterminated string literal'],
      ['colour = red', 'unsupported field "colour"'],
      ['text = "release"', 'operator "=" is not supported for field "text"'],
      ['type ~ page', 'operator "~" is not supported for field "type"'],
      ['(type = page', 'expected ")"'],
      ['type = page page', 'unexpected "page"'],
      ['type = page AND', 'expected a field name'],
      ['created > "2026-05-12T09:00:00.000Z"', 'invalid date "2026-05-12T09:00:00.000Z"'],
      ['creator = now()', 'function "now" is not supported here'],
      ['lastmodified > now("yesterday")', 'invalid date offset "yesterday"'],
      ['NOT type = page', 'a negative expression cannot be the first clause'],
      ['type != page AND space = ENG', 'a negative expression cannot be the first clause'],
      ['type = page ORDER BY colour', 'expected a field to order by'],
      ['type = page ORDER lastmodified', 'expected BY after ORDER'],
      ['type ! page', "unexpected '!'"],
    ];
    for (const [cql, reason] of refused) {
      it(`refuses ${JSON.stringify(cql)} (${reason})`, () => {
        const error = parseError(cql);
        assert.equal(error.message, `Could not parse cql : ${cql}`);
        assert.equal(error.reason, reason);
      });
    }
  });

  describe('evaluation', () => {
    it('filters by type, space and title', () => {
      assert.deepEqual(sortedIds('type = page'), ['1', '2', '3', '4']);
      assert.deepEqual(sortedIds('type IN (blogpost, comment)'), ['5', '6']);
      assert.deepEqual(sortedIds('space = "eng" AND type = page'), ['1', '2', '3']);
      assert.deepEqual(sortedIds('space.key IN (TEAM)'), ['4', '5']);
      assert.deepEqual(sortedIds('title = "release process"'), ['2']);
      assert.deepEqual(sortedIds('title ~ "hotfix"'), ['3']);
      assert.deepEqual(sortedIds('space.title ~ team'), ['4', '5']);
    });

    it('matches text with all terms, light stemming, phrases and wildcards', () => {
      assert.deepEqual(sortedIds('text ~ "deploy"'), ['2', '5'], 'stem of deployments/deployment');
      assert.deepEqual(sortedIds('text ~ "release deploy"'), ['2', '5'], 'every term must occur');
      assert.deepEqual(sortedIds('text ~ "release hotfix"'), ['3']);
      assert.deepEqual(sortedIds('text ~ "\\"urgent fix\\""'), ['3'], 'phrase');
      assert.deepEqual(sortedIds('text ~ "\\"fix urgent\\""'), [], 'phrase order matters');
      assert.deepEqual(sortedIds('text ~ "hand*"'), ['1'], 'wildcard');
      assert.deepEqual(sortedIds('text ~ "the"'), [], 'stop words alone match nothing');
      assert.deepEqual(sortedIds('siteSearch ~ "team"'), ['4', '5']);
      assert.deepEqual(sortedIds('type = page AND text !~ "release"'), ['1', '4']);
      assert.equal(textMatches('Canary', 'canary deployments'), true);
    });

    it('honours AND/OR/NOT precedence and parentheses', () => {
      assert.deepEqual(sortedIds('type = blogpost OR type = comment AND creator = currentUser()'), ['5']);
      assert.deepEqual(sortedIds('(type = blogpost OR type = comment) AND creator = currentUser()'), ['5']);
      assert.deepEqual(sortedIds('(type = blogpost OR type = comment) AND NOT creator = currentUser()'), ['6']);
      assert.deepEqual(sortedIds('type = page AND NOT (space = TEAM OR label = release)'), ['1']);
    });

    it('resolves people fields, currentUser() included', () => {
      assert.deepEqual(sortedIds('creator = currentUser()'), ['1', '2', '5']);
      assert.deepEqual(sortedIds(`creator = "${GRACE}"`), ['3', '4', '6']);
      assert.deepEqual(sortedIds('contributor = currentUser()'), ['1', '2', '5']);
      assert.deepEqual(sortedIds(`contributor = "${GRACE}" AND type = page`), ['2', '3', '4']);
      assert.deepEqual(sortedIds('mention = currentUser()'), ['3']);
      assert.deepEqual(
        sortedIds('creator = currentUser()', { currentUser: null, now: NOW }),
        [],
        'anonymous callers have no current user',
      );
    });

    it('walks the hierarchy with ancestor, parent and container', () => {
      assert.deepEqual(sortedIds('ancestor = 1'), ['2', '3', '6']);
      assert.deepEqual(sortedIds('ancestor = 1 AND type = page'), ['2', '3']);
      assert.deepEqual(sortedIds('parent = 2'), ['3']);
      assert.deepEqual(sortedIds('ancestor IN (2, 99)'), ['3', '6']);
      assert.deepEqual(sortedIds('container = 2'), ['6']);
      assert.deepEqual(sortedIds('id IN (1, 4)'), ['1', '4']);
      assert.deepEqual(sortedIds('label = release'), ['2', '3']);
      assert.deepEqual(sortedIds('label IN ("hotfix", "handbook")'), ['1', '3']);
    });

    it('compares dates from literals and relative functions', () => {
      assert.deepEqual(sortedIds('lastmodified > now("-7d")'), ['2', '5']);
      assert.deepEqual(sortedIds('lastmodified >= now("-1w")'), ['2', '5']);
      assert.deepEqual(sortedIds('created >= now("-2w")'), ['3']);
      assert.deepEqual(sortedIds('lastmodified < startOfDay("-30d") AND type = page'), ['1', '4']);
      const tenDaysAgo = new Date(NOW - 10 * DAY).toISOString().slice(0, 10);
      assert.deepEqual(sortedIds(`lastmodified = "${tenDaysAgo}"`), ['3'], 'a date-only "=" covers the whole day');
      assert.deepEqual(sortedIds(`lastmodified = "${tenDaysAgo.replace(/-/g, '/')}"`), ['3'], 'slashes work too');
      assert.deepEqual(sortedIds(`created > "${tenDaysAgo}"`), [], 'strictly after the day');
      assert.deepEqual(sortedIds(`created >= "${tenDaysAgo} 12:00"`), ['3'], 'minute precision');
      assert.deepEqual(sortedIds(`created > "${tenDaysAgo} 12:00"`), []);
      assert.deepEqual(sortedIds('lastmodified > startOfMonth() AND lastmodified < endOfMonth()'), ['2', '3', '5']);
      assert.deepEqual(
        sortedIds('lastmodified >= startOfWeek() AND type = page'),
        ['2'],
        'weeks start on Monday (NOW is a Saturday)',
      );
      assert.deepEqual(sortedIds('lastmodified >= startOfYear() AND lastmodified <= endOfYear() AND type = page'), [
        '1',
        '2',
        '3',
        '4',
      ]);
    });

    it('orders by the requested fields, else by relevance then recency', () => {
      assert.deepEqual(ids('type = page ORDER BY title'), ['1', '3', '2', '4']);
      assert.deepEqual(ids('type = page ORDER BY title DESC'), ['4', '2', '3', '1']);
      assert.deepEqual(ids('type IN (page, blogpost) ORDER BY lastmodified DESC'), ['5', '2', '3', '1', '4']);
      assert.deepEqual(ids('space = ENG ORDER BY type, id DESC'), ['6', '3', '2', '1']);
      assert.deepEqual(ids('text ~ "release"'), ['2', '6', '5', '3'], 'title hits first, then body hits by recency');
      assert.deepEqual(ids('type = page'), ['2', '3', '1', '4'], 'without text: most recently modified first');
    });
  });

  describe('excerpts and highlighting', () => {
    it('cuts an excerpt around the first hit', () => {
      const long = doc({
        id: '9',
        title: 'Long',
        body: `${'Intro sentence that talks about nothing much at all. '.repeat(6)}The failover runbook promotes the replica. ${'Trailing words here. '.repeat(20)}`,
      });
      const excerpt = excerptOf(long, ['failover'], 120);
      assert.ok(excerpt.startsWith('…'), excerpt);
      assert.ok(excerpt.endsWith('…'), excerpt);
      assert.ok(excerpt.includes('The failover runbook promotes the replica.'), excerpt);
      assert.ok(excerpt.length <= 122, `${excerpt.length}`);
      assert.equal(excerptOf(doc({ id: '8', title: 'Short', body: 'Just this.' }), []), 'Just this.');
    });

    it('wraps matching words and escapes the rest', () => {
      const out = highlightMatches(
        'Deployments <fast> & deploy',
        ['deploy'],
        (w) => `[${w}]`,
        (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      );
      assert.equal(out, '[Deployments] &lt;fast&gt; &amp; [deploy]');
    });
  });
});
