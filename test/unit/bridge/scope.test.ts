// Query scoping and argument validation, the parts of the policy that need no server.
import assert from 'node:assert/strict';
import { InputError, jsonSchema, p, validate } from '../../../src/bridge/schema';
import { effectiveFilter, restrictQuery, splitQuery } from '../../../src/bridge/scope';

describe('JQL/CQL scoping', () => {
  it('ANDs the filter in front of the condition and keeps ORDER BY last', () => {
    assert.equal(
      restrictQuery('status = Open ORDER BY updated DESC', 'project', ['ENG', 'OPS'], 'JQL', 'jql'),
      'project in ("ENG","OPS") AND (status = Open) ORDER BY updated DESC',
    );
    assert.equal(restrictQuery('order by key', 'project', ['ENG'], 'JQL', 'jql'), 'project in ("ENG") order by key');
    assert.equal(restrictQuery('status = Open', 'project', undefined, 'JQL', 'jql'), 'status = Open');
  });

  it('ignores parentheses, quotes and ORDER BY inside strings', () => {
    assert.deepEqual(splitQuery('summary ~ "a ) ORDER BY x" AND text ~ \'(\'', 'JQL', 'jql'), {
      where: 'summary ~ "a ) ORDER BY x" AND text ~ \'(\'',
      orderBy: '',
    });
    assert.deepEqual(splitQuery('summary ~ "say \\"hi\\")" order by key', 'JQL', 'jql'), {
      where: 'summary ~ "say \\"hi\\")"',
      orderBy: 'order by key',
    });
  });

  it("rejects queries that try to leave the filter's group", () => {
    const refuse = (q: string, pattern: RegExp) =>
      assert.throws(
        () => restrictQuery(q, 'project', ['ENG'], 'JQL', 'jql'),
        (e: unknown) => e instanceof InputError && pattern.test(e.message),
      );
    refuse('x = 1) OR (project = OPS', /"\)" without a matching "\("/);
    refuse('(x = 1', /"\(" without a matching "\)"/);
    refuse('summary ~ "open', /unterminated double-quoted string/);
    refuse('x = 1 ORDER BY key OR project = OPS', /ORDER BY must come last and list only fields/);
  });

  it('follows Jira\'s lexer: a backslash escapes outside quotes too, so `a\\"` cannot open a string (B3)', () => {
    // Attack from the audit: in Jira `a\"` is one word, the `)` closes the filter's group.
    assert.throws(
      () => restrictQuery('summary ~ a\\" ) OR project = OPS OR ( summary ~ "x\\"y"', 'project', ['ENG'], 'JQL', 'jql'),
      InputError,
    );
    assert.throws(
      () => restrictQuery("title ~ a\\' ) OR space = OPS OR ( title ~ 'x", 'space', ['ENG'], 'CQL', 'query'),
      InputError,
    );
    assert.throws(() => restrictQuery('summary ~ abc\\', 'project', ['ENG'], 'JQL', 'jql'), /lone backslash/);
    // An escaped space does not end a word: ORDER BY inside it is no ORDER BY.
    assert.equal(splitQuery('summary ~ a\\ order by key', 'JQL', 'jql').orderBy, '');
    assert.equal(splitQuery('summary ~ a\\\\ order by key', 'JQL', 'jql').orderBy, 'order by key');
  });

  it("per-call filters narrow the operator's filter, never widen it", () => {
    assert.deepEqual(effectiveFilter(['ENG', 'OPS'], ['eng'], 'project', 'projects_filter'), ['ENG']);
    assert.deepEqual(effectiveFilter(undefined, ['eng'], 'project', 'projects_filter'), ['ENG']);
    assert.deepEqual(effectiveFilter(['ENG'], undefined, 'project', 'projects_filter'), ['ENG']);
    assert.throws(
      () => effectiveFilter(['ENG'], ['OPS'], 'project', 'projects_filter'),
      /none of OPS is an allowed project/,
    );
  });
});

describe('tool argument validation', () => {
  const params = {
    key: p.str('Issue key'),
    limit: p.int('Max', 1, 50),
    flag: p.bool(),
    items: p.list(),
    extra: p.obj(),
    mode: p.oneOf(['a', 'b']),
    old: p.str(undefined, { hidden: true }),
  };

  it('coerces what models commonly send', () => {
    assert.deepEqual(
      validate({ key: 'A-1', limit: '5', flag: 'true', items: 'x, y', extra: '{"a":1}', mode: 'B', old: 'z' }, params, [
        'key',
      ]),
      { key: 'A-1', limit: 5, flag: true, items: ['x', 'y'], extra: { a: 1 }, mode: 'b', old: 'z' },
    );
    assert.deepEqual(validate({ key: 'A-1', limit: null }, params, []), { key: 'A-1' });
  });

  it('names the argument and what it expects', () => {
    assert.throws(
      () => validate({ limit: 0 }, params, []),
      /Invalid argument `limit`: expected a number between 1 and 50, got 0/,
    );
    assert.throws(() => validate({ mode: 'c' }, params, []), /Invalid argument `mode`: expected one of a, b/);
    assert.throws(() => validate({ extra: '[1]' }, params, []), /Invalid argument `extra`: expected a JSON object/);
    assert.throws(() => validate({}, params, ['key']), /Missing required argument `key` \(Issue key\)/);
    assert.throws(() => validate({ Key: 'x' }, params, []), /Unknown argument `Key`\. Did you mean `key`\?/);
  });

  it('advertises plain JSON Schema without hidden legacy names', () => {
    const schema = jsonSchema(params, ['key']);
    assert.deepEqual(schema.required, ['key']);
    assert.ok(!('old' in (schema.properties as object)));
    assert.deepEqual((schema.properties as Record<string, unknown>).limit, {
      type: 'integer',
      description: 'Max',
      minimum: 1,
      maximum: 50,
    });
  });
});
