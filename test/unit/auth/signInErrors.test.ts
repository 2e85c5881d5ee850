import assert from 'node:assert/strict';
import { AtlassianError } from '../../../src/atlassian/errors';
import { API_TOKEN_PAGE, describeSignInFailure, sentence } from '../../../src/auth/signInErrors';

const error = (kind: AtlassianError['kind'], messages: string[] = []) =>
  new AtlassianError('raw', { kind, host: 'acme.atlassian.net', status: 401, messages });

describe('sign-in failures in plain words', () => {
  it('401 with an API token: wrong or expired token, and the page to make one', () => {
    const failure = describeSignInFailure(
      error('unauthorized', ['Client must be authenticated.']),
      'apiToken',
      'acme.atlassian.net',
    );
    assert.match(failure.message, /did not accept the email and API token.*Create a new API token/);
    assert.equal(failure.helpUrl, API_TOKEN_PAGE);
    assert.ok(failure.secretRejected);
    assert.doesNotMatch(failure.message, /\.\./);
  });

  it('401 with a PAT says where PATs are made', () => {
    const failure = describeSignInFailure(error('unauthorized'), 'pat', 'jira.example.com');
    assert.match(failure.message, /personal access token.*Personal Access Tokens/);
  });

  it('403 names the permission and quotes Atlassian once, with one full stop', () => {
    const failure = describeSignInFailure(error('forbidden', ['You do not have permission.']), 'apiToken', 'acme');
    assert.match(failure.message, /Browse users/);
    assert.match(failure.message, /Atlassian said: "You do not have permission"\.$/);
    assert.doesNotMatch(failure.message, /\.\./);
    assert.ok(!failure.secretRejected);
  });

  it('404 is the wrong site; network names the host', () => {
    assert.match(describeSignInFailure(error('notFound'), 'apiToken', 'acme').message, /check the site address/);
    assert.match(describeSignInFailure(error('network'), 'pat', 'x').message, /Could not reach acme\.atlassian\.net/);
  });

  it('a sentence ends with exactly one full stop', () => {
    assert.equal(sentence('Bad token..'), 'Bad token.');
    assert.equal(sentence('Bad token'), 'Bad token.');
    assert.equal(sentence('Really?'), 'Really?');
  });
});
