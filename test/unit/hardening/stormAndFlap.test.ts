// Hardening: a 429 storm and a flapping network, against the sandbox's scripted faults, through
// AtlassianHttpClient with both fetches the product uses (VS Code's undici fetch in the extension,
// nodeFetch in the bridge) and end to end through bridge tool calls. What is proved, from the
// sandbox's own request log rather than the client's account: retries are bounded and counted,
// Retry-After is honoured, every attempt has a deadline (a `delay` fault longer than the timeout
// ends in a timeout error, measured), errors say what happened, and a create never runs twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AtlassianError } from '../../../src/atlassian/errors';
import { AtlassianHttpClient, type HttpClientOptions } from '../../../src/atlassian/http';
import { JiraApi } from '../../../src/atlassian/jira';
import { nodeFetch } from '../../../src/atlassian/nodeFetch';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { FaultRule } from '../../sandbox/faults';
import { call, connectStdio, type Connected } from '../bridge/harness';
import { figure, ms } from './support';

const EMAIL = 'ada@example.com';
const API_TOKEN = 'sandbox-api-token-ada';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`;
const SITE_PATH = '/sites/acme';
const MYSELF = `${SITE_PATH}/rest/api/3/myself`;
const CREATE = `${SITE_PATH}/rest/api/3/issue`;

const FETCHES: readonly [string, typeof fetch][] = [
  ['undici fetch (extension)', fetch],
  ['nodeFetch (bridge)', nodeFetch],
];

/** A client whose every attempt and wait is recorded; waits pass on the sandbox clock, not the wall clock. */
function instrumented(sandbox: Sandbox, fetchImpl: typeof fetch, options: HttpClientOptions = {}, base = sandbox.url) {
  const attempts: number[] = [];
  const waits: number[] = [];
  const counting = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const started = performance.now();
    try {
      return await fetchImpl(input, init);
    } finally {
      attempts.push(performance.now() - started);
    }
  }) as typeof fetch;
  const http = new AtlassianHttpClient(
    `${base}${SITE_PATH}`,
    { authorization: async () => BASIC },
    {
      fetch: counting,
      sleep: async (waitMs) => {
        waits.push(waitMs);
        sandbox.clock.advance(waitMs);
      },
      ...options,
    },
  );
  return { http, attempts, waits };
}

async function failure(promise: Promise<unknown>): Promise<AtlassianError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AtlassianError, `an AtlassianError, not ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** Small deterministic generator, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const tag = () => `hx${randomBytes(6).toString('hex')}`;

/**
 * A link in front of the sandbox that can lose the answer to the next POST after the sandbox has
 * carried it out: the case where retrying a create would make a second issue.
 */
async function startLossyLink(target: string): Promise<{ url: string; loseNextAnswer(): void; close(): void }> {
  let lose = false;
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        if (lose && req.method === 'POST') {
          lose = false;
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseNextAnswer: () => void (lose = true),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('hardening: a 429 storm and a flapping network', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.log.clear();
  });

  const fault = (rule: FaultRule) => sandbox.faults.add(rule);
  const requests = (path: string, method?: string) => sandbox.log.entries({ path, method });

  /** Issues whose summary carries `marker`, read without faults. */
  async function issuesTagged(marker: string): Promise<number> {
    const clean = new AtlassianHttpClient(`${sandbox.url}${SITE_PATH}`, { authorization: async () => BASIC });
    const page = await clean.request<{ issues: unknown[] }>({
      method: 'POST',
      path: '/rest/api/3/search/jql',
      body: { jql: `summary ~ "${marker}"`, fields: ['summary'], maxResults: 10 },
      retryable: true,
    });
    return page.issues.length;
  }

  /** The sandbox logs a request once it is done with it (answered, refused or abandoned). */
  async function whenLogged(path: string, method: string, count: number): Promise<void> {
    const deadline = performance.now() + 10_000;
    while (requests(path, method).length < count) {
      if (performance.now() > deadline) assert.fail(`the sandbox never finished ${method} ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  for (const [name, fetchImpl] of FETCHES) {
    describe(`AtlassianHttpClient over ${name}`, () => {
      it('honours Retry-After (never early), absorbs a storm in bounded retries, and gives up with a clear error', async () => {
        // Three 429s, and the sandbox answers any retry before Retry-After with yet another 429.
        const burst = fault({
          kind: 'rateLimit',
          path: MYSELF,
          times: 3,
          retryAfterSeconds: 2,
          enforceRetryAfter: true,
        });
        const a = instrumented(sandbox, fetchImpl);
        assert.equal(
          (await a.http.request<{ emailAddress: string }>({ path: '/rest/api/3/myself' })).emailAddress,
          EMAIL,
        );
        const absorbed = requests(MYSELF);
        assert.equal(absorbed.length, 4, 'three 429s, then the answer');
        assert.equal(
          absorbed.filter((e) => e.status === 429).length,
          sandbox.faults.list().find((f) => f.id === burst)!.hits,
          'no retry came before Retry-After',
        );
        assert.ok(
          a.waits.every((w) => w >= 2000 && w <= 2600),
          `waits ${a.waits.map(Math.round).join(', ')} ms`,
        );

        sandbox.faults.clear();
        sandbox.log.clear();
        fault({ kind: 'rateLimit', path: MYSELF, retryAfterSeconds: 2, enforceRetryAfter: true });
        const b = instrumented(sandbox, fetchImpl);
        const persistent = await failure(b.http.request({ path: '/rest/api/3/myself' }));
        assert.equal(persistent.kind, 'rateLimited');
        assert.match(persistent.message, /is rate limiting requests \(jira-burst-based\)\. Try again in 2 s\./);
        assert.equal(requests(MYSELF).length, 5, 'the first attempt and 4 retries, then stop');
        assert.equal(b.attempts.length, 5);

        sandbox.faults.clear();
        sandbox.log.clear();
        fault({ kind: 'rateLimit', path: MYSELF, retryAfterSeconds: 3600 });
        const c = instrumented(sandbox, fetchImpl);
        const quota = await failure(c.http.request({ path: '/rest/api/3/myself' }));
        assert.equal(quota.kind, 'rateLimited');
        assert.match(quota.message, /Try again in 3600 s/);
        assert.deepEqual(
          [requests(MYSELF).length, c.waits.length],
          [1, 0],
          'an hourly quota fails at once instead of hanging',
        );

        figure(
          `429 storm, ${name}: 3 × 429 (Retry-After 2 s) absorbed in ${absorbed.length} requests, waits ${Math.round(Math.min(...a.waits))}–${Math.round(Math.max(...a.waits))} ms, 0 early retries; persistent 429 → "${persistent.message}" after ${b.attempts.length} requests; Retry-After 3600 s → fails at once (1 request, 0 waits)`,
        );
      });

      it('rides out a flapping network (drops, 502/503/504) with exact, bounded request counts', async () => {
        const random = prng(name.length * 7919);
        const kinds: FaultRule[] = [
          { kind: 'drop', path: MYSELF, times: 1 },
          { kind: 'error', path: MYSELF, status: 502, times: 1 },
          { kind: 'error', path: MYSELF, status: 503, times: 1 },
          { kind: 'error', path: MYSELF, status: 504, times: 1 },
        ];
        // 0..5 consecutive failures before the network comes back; 5 exceeds the retry budget.
        const plan = [0, 1, 2, 3, 4, 5].flatMap((k) => Array.from({ length: 5 }, () => k)).sort(() => random() - 0.5);
        let faults = 0;
        let succeeded = 0;
        const failures = new Map<string, number>();
        let totalRequests = 0;
        for (const k of plan) {
          sandbox.faults.clear();
          sandbox.log.clear();
          for (let i = 0; i < k; i++) fault(kinds[Math.floor(random() * kinds.length)]!);
          faults += k;
          const { http, attempts } = instrumented(sandbox, fetchImpl);
          const outcome = await http.request<{ emailAddress: string }>({ path: '/rest/api/3/myself' }).then(
            (me) => me.emailAddress,
            (err: unknown) => err,
          );
          const seen = requests(MYSELF).length;
          totalRequests += seen;
          assert.equal(
            seen,
            Math.min(k, 4) + 1,
            `${k} faults: ${Math.min(k, 4) + 1} requests reach the server, no more`,
          );
          assert.equal(attempts.length, seen, 'no hidden retries below the client');
          if (k <= 4) {
            assert.equal(outcome, EMAIL);
            succeeded++;
          } else {
            assert.ok(outcome instanceof AtlassianError, String(outcome));
            assert.ok(outcome.kind === 'network' || outcome.kind === 'server', outcome.kind);
            assert.match(
              outcome.message,
              /^(Could not reach 127\.0\.0\.1:\d+ \(\w+\)\. Check the network, proxy and the site URL\.|127\.0\.0\.1:\d+ had a server error \(50[234]\).*Try again later\.)$/,
            );
            const key = outcome.message.replace(/127\.0\.0\.1:\d+/, 'host').replace(/:.*Try again later\./, '');
            failures.set(key, (failures.get(key) ?? 0) + 1);
          }
        }
        figure(
          `flapping network, ${name}: ${plan.length} calls, ${faults} faults, ${totalRequests} requests (never more than 5 per call), ${succeeded} succeeded after 0–4 retries, ${plan.length - succeeded} failed after exactly 5 attempts: ${[...failures].map(([m, n]) => `${n} × "${m}"`).join(', ')}`,
        );
      });

      it('ends every attempt at its deadline: a delay longer than the timeout, a stalled body, a cut connection', async () => {
        fault({ kind: 'delay', path: MYSELF, ms: 1500 });
        const { http, attempts } = instrumented(sandbox, fetchImpl, { timeoutMs: 300 });
        const started = performance.now();
        const slow = await failure(http.request({ path: '/rest/api/3/myself' }));
        const elapsed = ms(started);
        assert.equal(slow.kind, 'timeout');
        assert.match(slow.message, /did not answer within 300 ms\.$/);
        assert.equal(attempts.length, 5);
        assert.ok(
          attempts.every((a) => a >= 295 && a < 1500),
          `attempts ${attempts.map(Math.round).join(', ')} ms`,
        );

        // A hostile or broken server: headers, then a body that stalls, or a connection cut mid-body.
        const raw: Server = createServer((req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"emailAddress":');
          if (req.url?.startsWith('/cut')) setImmediate(() => req.socket.destroy());
        });
        raw.listen(0, '127.0.0.1');
        await once(raw, 'listening');
        try {
          const base = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
          const client = (path: string) =>
            new AtlassianHttpClient(
              `${base}${path}`,
              { authorization: async () => BASIC },
              { fetch: fetchImpl, timeoutMs: 300, sleep: async () => undefined },
            );
          const stalledStart = performance.now();
          const stalled = await failure(client('/stall').request({ path: '/x' }));
          const stalledMs = ms(stalledStart);
          assert.equal(stalled.kind, 'timeout', stalled.message);
          const cut = await failure(client('/cut').request({ path: '/x' }));
          assert.equal(cut.kind, 'network', cut.message);
          assert.match(cut.message, /^Could not reach 127\.0\.0\.1:\d+ \(\w+\)\./);
          figure(
            `timeouts, ${name}: delay 1500 ms > timeout 300 ms → 5 attempts ended after ${Math.round(Math.min(...attempts))}–${Math.round(Math.max(...attempts))} ms each, "${slow.message.replace(/127\.0\.0\.1:\d+/, 'host')}" after ${elapsed} ms; stalled body → timeout after ${stalledMs} ms (5 attempts); cut mid-body → "${cut.message.replace(/127\.0\.0\.1:\d+/, 'host').replace(/\. Check.*/, '')}"`,
          );
        } finally {
          raw.closeAllConnections();
          raw.close();
        }
      });

      it('never runs a create twice: under a drop, a 503, a 429, a timeout or a lost answer it reports failure, and at most one issue exists', async () => {
        const link = await startLossyLink(sandbox.url);
        try {
          const cases: {
            label: string;
            rule?: FaultRule;
            loseAnswer?: boolean;
            kind?: AtlassianError['kind'];
            created: number;
          }[] = [
            {
              label: 'drop',
              rule: { kind: 'drop', method: 'POST', path: CREATE, times: 1 },
              kind: 'network',
              created: 0,
            },
            {
              label: '503',
              rule: { kind: 'error', method: 'POST', path: CREATE, status: 503, times: 1 },
              kind: 'server',
              created: 0,
            },
            {
              label: '429',
              rule: { kind: 'rateLimit', method: 'POST', path: CREATE, retryAfterSeconds: 1, times: 1 },
              kind: 'rateLimited',
              created: 0,
            },
            {
              label: 'delay 1500 ms > timeout 300 ms',
              rule: { kind: 'delay', method: 'POST', path: CREATE, ms: 1500, times: 1 },
              kind: 'timeout',
              created: 0,
            },
            { label: 'answer lost after the create ran', loseAnswer: true, kind: 'network', created: 1 },
            { label: 'no fault', created: 1 },
          ];
          const outcomes: string[] = [];
          let posts = 0;
          for (const c of cases) {
            sandbox.faults.clear();
            sandbox.log.clear();
            if (c.rule) fault(c.rule);
            if (c.loseAnswer) link.loseNextAnswer();
            const marker = tag();
            const jira = new JiraApi(
              instrumented(sandbox, fetchImpl, { timeoutMs: 300 }, c.loseAnswer ? link.url : sandbox.url).http,
              'cloud',
            );
            const result = await jira
              .createIssue({ project: { key: 'ENG' }, summary: `Hardening ${marker}`, issuetype: { name: 'Task' } })
              .then(
                (created) => created.key,
                (err: unknown) => err,
              );
            await whenLogged(CREATE, 'POST', 1);
            const created = await issuesTagged(marker);
            const sent = requests(CREATE, 'POST').length;
            posts += sent;
            assert.equal(sent, 1, `${c.label}: the create was sent once, never retried`);
            if (c.kind) {
              assert.ok(result instanceof AtlassianError, `${c.label}: reported as a failure (${String(result)})`);
              assert.equal(result.kind, c.kind, result.message);
              // Without an answer nobody knows whether it ran: the error must say so, so nobody blindly repeats it.
              if (c.kind === 'network' || c.kind === 'timeout')
                assert.match(
                  result.message,
                  /not repeated because it changes data, and it may have been carried out: check before trying again\.$/,
                );
            } else {
              assert.match(String(result), /^ENG-\d+$/);
            }
            assert.equal(created, c.created, `${c.label}: ${created} issues`);
            outcomes.push(
              `${c.label} → ${result instanceof AtlassianError ? `${result.kind} error` : 'created'}, ${created} issue${created === 1 ? '' : 's'}`,
            );
          }
          figure(
            `writes under faults, ${name}: ${cases.length} creates, ${posts} POSTs (none retried), 0 duplicates: ${outcomes.join('; ')}`,
          );
        } finally {
          link.close();
        }
      });
    });
  }

  describe('bridge tool calls (the bundled bridge over stdio, JIRA_TIMEOUT=1)', () => {
    let bridge: Connected;
    const ISSUE = `${SITE_PATH}/rest/api/3/issue/ENG-1`;

    before(async () => {
      bridge = await connectStdio({
        JIRA_URL: `${sandbox.url}${SITE_PATH}`,
        JIRA_USERNAME: EMAIL,
        JIRA_API_TOKEN: API_TOKEN,
        JIRA_TIMEOUT: '1',
      });
      // Warm up (serverInfo detection) so the faults below meet only the calls under test.
      assert.equal((await call(bridge.client, 'jira_get_issue', { issue_key: 'ENG-1' })).isError, false);
    });
    after(async () => {
      await bridge?.close();
    });

    it('answers a storm of 429s on concurrent tool calls within bounded retries and time', async () => {
      const CALLS = 12;
      fault({ kind: 'rateLimit', path: ISSUE, retryAfterSeconds: 1, times: 2 * CALLS });
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: CALLS }, () => call(bridge.client, 'jira_get_issue', { issue_key: 'ENG-1' })),
      );
      const elapsed = ms(started);
      const seen = requests(ISSUE).length;
      const ok = results.filter((r) => !r.isError).length;
      for (const r of results.filter((x) => x.isError))
        assert.match(
          r.text,
          /rate limiting requests.*Try again in 1 s\. The bridge already retried with backoff; wait before calling again\./,
        );
      assert.ok(seen <= 5 * CALLS, `${seen} requests for ${CALLS} calls`);
      assert.ok(ok >= CALLS / 2, `${ok} of ${CALLS} calls succeeded`);
      assert.ok(elapsed < 4 * 1300 + 3000, `${elapsed} ms`);

      sandbox.faults.clear();
      sandbox.log.clear();
      fault({ kind: 'rateLimit', path: ISSUE, retryAfterSeconds: 1 });
      const persistentStart = performance.now();
      const persistent = await call(bridge.client, 'jira_get_issue', { issue_key: 'ENG-1' });
      const persistentMs = ms(persistentStart);
      assert.equal(persistent.isError, true);
      assert.match(persistent.text, /rate limiting requests/);
      assert.equal(requests(ISSUE).length, 5);
      figure(
        `bridge 429 storm: ${CALLS} concurrent jira_get_issue calls, ${2 * CALLS} × 429 (Retry-After 1 s), ${seen} requests (≤ ${5 * CALLS}), ${ok} succeeded, ${CALLS - ok} clear rate-limit errors, all answered in ${elapsed} ms; persistent 429 → isError after 5 requests, ${persistentMs} ms`,
      );
    });

    it('rides out drops and 5xx, times out a stalled request, and never repeats a create', async () => {
      fault({ kind: 'drop', path: ISSUE, times: 1 });
      fault({ kind: 'error', path: ISSUE, status: 503, times: 1 });
      const flapStart = performance.now();
      const flapped = await call(bridge.client, 'jira_get_issue', { issue_key: 'ENG-1' });
      const flapMs = ms(flapStart);
      assert.equal(flapped.isError, false, flapped.text);
      assert.equal(requests(ISSUE).length, 3, 'a drop, a 503, then the answer');

      sandbox.faults.clear();
      sandbox.log.clear();
      fault({ kind: 'delay', path: ISSUE, ms: 4000, times: 1 });
      const slowStart = performance.now();
      const slow = await call(bridge.client, 'jira_get_issue', { issue_key: 'ENG-1' });
      const slowMs = ms(slowStart);
      assert.equal(slow.isError, false, slow.text);
      assert.ok(
        slowMs >= 1000 && slowMs < 3500,
        `${slowMs} ms: the first attempt ended at its 1 s deadline, not after the 4 s delay`,
      );
      await whenLogged(ISSUE, 'GET', 2);
      assert.equal(requests(ISSUE).length, 2, 'the first attempt hit its 1 s deadline, the retry answered');

      const createOutcomes: string[] = [];
      for (const rule of [
        { kind: 'drop', method: 'POST', path: CREATE, times: 1 },
        { kind: 'delay', method: 'POST', path: CREATE, ms: 2500, times: 1 },
      ] satisfies FaultRule[]) {
        sandbox.faults.clear();
        sandbox.log.clear();
        fault(rule);
        const marker = tag();
        const started = performance.now();
        const result = await call(bridge.client, 'jira_create_issue', {
          project_key: 'ENG',
          summary: `Hardening ${marker}`,
          issue_type: 'Task',
        });
        const took = ms(started);
        assert.equal(result.isError, true, result.text);
        await whenLogged(CREATE, 'POST', 1);
        const created = await issuesTagged(marker);
        assert.equal(created, 0, `${rule.kind}: refused before it ran, and not repeated`);
        if (rule.kind === 'drop') assert.match(result.text, /^Could not reach 127\.0\.0\.1:\d+ \(\w+\)\./);
        else assert.match(result.text, /did not answer within 1 s\./);
        assert.match(result.text, /it may have been carried out: check before trying again\.$/);
        assert.equal(requests(CREATE, 'POST').length, 1, `${rule.kind}: one POST, never retried`);
        createOutcomes.push(
          `${rule.kind} → isError "${result.text
            .replace(/127\.0\.0\.1:\d+/, 'host')
            .replace(/ Check the network.*?\./, '')
            .replace(
              / The request was not repeated.*/,
              ' …may have been carried out: check…',
            )}" after ${took} ms, ${created} created`,
        );
      }
      figure(
        `bridge flapping: drop + 503 absorbed in 3 requests (${flapMs} ms); delay 4 s > JIRA_TIMEOUT 1 s → retried after the deadline, answered in ${slowMs} ms; creates: ${createOutcomes.join('; ')}; 0 duplicates`,
      );
    });
  });
});
