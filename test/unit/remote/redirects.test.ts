// The redirect rules, hop by hop: same origin only, never https → http, never POST → GET, and a
// message that names the URL to configure (the `/mcp` → `/mcp/` seed).
import assert from 'node:assert/strict';
import { decideRedirect } from '../../../src/remote/redirects';

const from = new URL('https://mcp.example.com/mcp');

function refused(decision: ReturnType<typeof decideRedirect>): string {
  assert.equal(decision.follow, false, 'expected the redirect to be refused');
  return decision.follow ? '' : decision.message;
}

describe('redirect policy', () => {
  it('follows 307/308 within the origin and keeps the method', () => {
    for (const status of [307, 308]) {
      const decision = decideRedirect(status, 'POST', from, '/mcp/');
      assert.ok(decision.follow);
      assert.equal(decision.url.href, 'https://mcp.example.com/mcp/');
      assert.equal(decision.method, 'POST');
      assert.match(
        decision.note,
        /set the server's URL to https:\/\/mcp\.example\.com\/mcp\/ \(with the trailing slash\)/,
      );
    }
  });

  it('refuses 301/302/303 for a POST (it would become a GET), naming the URL with the trailing slash', () => {
    for (const status of [301, 302, 303]) {
      const message = refused(decideRedirect(status, 'POST', from, 'https://mcp.example.com/mcp/'));
      assert.match(message, /redirects https:\/\/mcp\.example\.com\/mcp to https:\/\/mcp\.example\.com\/mcp\//);
      assert.match(message, /turn this POST into a GET/);
      assert.match(message, /set the server's URL to https:\/\/mcp\.example\.com\/mcp\/ \(with the trailing slash\)/);
    }
    assert.match(refused(decideRedirect(301, 'DELETE', from, '/mcp/')), /DELETE into a GET/);
  });

  it('follows any same-origin redirect for GET, 303 included, and keeps HEAD a HEAD', () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const decision = decideRedirect(status, 'GET', from, '/mcp/');
      assert.ok(decision.follow);
      assert.equal(decision.method, 'GET');
    }
    const head = decideRedirect(303, 'HEAD', from, '/mcp/');
    assert.ok(head.follow && head.method === 'HEAD');
  });

  it('never downgrades https to http, even on the same host, and suggests the https URL', () => {
    const message = refused(decideRedirect(308, 'POST', from, 'http://mcp.example.com/mcp/'));
    assert.match(message, /plain http \(http:\/\/mcp\.example\.com\/mcp\/\)/);
    assert.match(message, /https:\/\/mcp\.example\.com\/mcp\//);
    // Behind a TLS front end on another port: suggest the same path on the configured https origin.
    assert.match(
      refused(decideRedirect(308, 'GET', new URL('https://127.0.0.1:8443/mcp'), 'http://127.0.0.1:8080/mcp/')),
      /answers at https:\/\/127\.0\.0\.1:8443\/mcp\//,
    );
    assert.match(refused(decideRedirect(307, 'GET', from, 'http://mcp.example.com/mcp')), /behind TLS/);
  });

  it('never leaves the origin: other host, other port, other scheme', () => {
    for (const location of ['https://evil.example/mcp', 'https://mcp.example.com:8443/mcp', '//evil.example/mcp']) {
      const message = refused(decideRedirect(307, 'POST', from, location));
      assert.match(message, /another origin/);
      assert.match(message, /only to the origin you configured/);
    }
    // An upgrade from loopback http to https is still a new origin: configure it instead.
    assert.match(
      refused(decideRedirect(308, 'GET', new URL('http://127.0.0.1:8080/mcp'), 'https://127.0.0.1:8443/mcp')),
      /set the server's URL to https:\/\/127\.0\.0\.1:8443\/mcp/,
    );
  });

  it('refuses plain http to another machine even from plain http on loopback', () => {
    assert.match(
      refused(decideRedirect(307, 'GET', new URL('http://127.0.0.1:8080/mcp'), 'http://mcp.example.com/mcp')),
      /another machine/,
    );
  });

  it('refuses redirects without a usable Location or to non-http schemes', () => {
    assert.match(refused(decideRedirect(308, 'POST', from, undefined)), /without a usable Location/);
    assert.match(refused(decideRedirect(308, 'POST', from, 'http://[bad')), /without a usable Location/);
    assert.match(refused(decideRedirect(302, 'GET', from, 'javascript:alert(1)')), /not an http\(s\) URL/);
  });
});
