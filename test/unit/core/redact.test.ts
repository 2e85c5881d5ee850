import assert from 'node:assert/strict';
import { createLogger, type LogLevel } from '../../../src/core/logger';
import { REDACTED, SecretRedactor } from '../../../src/core/redact';

/** Shaped like an Atlassian API token; built at run time so secret scanners do not flag the source. */
const FAKE_API_TOKEN = `ATATT${'3xFfGF0abcdefghijklmnop'}`;

describe('SecretRedactor', () => {
  it('removes every known secret, also URL-encoded, longest first', () => {
    const r = new SecretRedactor();
    r.add('s3cr3t+value/with=chars');
    r.add('s3cr3t');
    const text = `a s3cr3t+value/with=chars b ${encodeURIComponent('s3cr3t+value/with=chars')} c s3cr3t`;
    assert.equal(r.redact(text), `a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('ignores values too short to be secrets, and forgets on request', () => {
    const r = new SecretRedactor();
    r.add('abc');
    r.add('long-enough-secret');
    r.forget('long-enough-secret');
    assert.equal(r.redact('abc long-enough-secret'), 'abc long-enough-secret');
  });

  it('redacts credentials it never saw: auth headers, OAuth parameters, Atlassian API tokens', () => {
    const r = new SecretRedactor();
    const cases: [string, string][] = [
      ['Authorization: Bearer eyJhbGciOi.x.y', `Authorization: Bearer ${REDACTED}`],
      ['authorization: basic YWRhQGV4YW1wbGUuY29tOnRva2Vu', `authorization: basic ${REDACTED}`],
      ['Authorization: Token 0123456789abcdef', `Authorization: Token ${REDACTED}`],
      ['GET /callback?code=abc123&state=xyz789 HTTP/1.1', `GET /callback?code=${REDACTED}&state=${REDACTED} HTTP/1.1`],
      ['{"refresh_token":"r-123456","expires_in":3600}', `{"refresh_token":"${REDACTED}","expires_in":3600}`],
      ['client_secret=shh-123456&grant_type=refresh_token', `client_secret=${REDACTED}&grant_type=refresh_token`],
      [`token ${FAKE_API_TOKEN}`, `token ${REDACTED}`],
    ];
    for (const [input, expected] of cases) assert.equal(r.redact(input), expected, input);
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /rest/api/3/search/jql?jql=project%20%3D%20ENG 200 in 12 ms';
    assert.equal(new SecretRedactor().redact(text), text);
  });
});

describe('createLogger', () => {
  it('formats, redacts and routes every level; errors print their cause chain, not their objects', () => {
    const lines: [LogLevel, string][] = [];
    const redactor = new SecretRedactor();
    redactor.add('top-secret-token');
    const log = createLogger((level, line) => lines.push([level, line]), redactor);
    log.info('token %s used %d times', 'top-secret-token', 2);
    log.error('refresh failed: %s', new Error('HTTP 403 for top-secret-token', { cause: new Error('invalid_grant') }));
    log.trace('t');
    log.debug('d');
    log.warn('w');
    assert.deepEqual(lines, [
      ['info', `token ${REDACTED} used 2 times`],
      ['error', `refresh failed: HTTP 403 for ${REDACTED} (caused by: invalid_grant)`],
      ['trace', 't'],
      ['debug', 'd'],
      ['warn', 'w'],
    ]);
  });
});
