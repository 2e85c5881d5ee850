// Elicitation in both MCP eras, through a test-only tool that asks for a confirmation
// (`confirm(ctx, …)` in tooling.ts): an `input_required` result in 2026-07-28 (answered by
// retrying with `inputResponses`), a server-initiated elicitation/create on a 2025 connection whose
// client declared the capability, and a plain refusal with instructions otherwise. Raw JSON-RPC
// clients over stdio (in process, the SDK's stdio framing) and over HTTP (the real HTTP entry).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { nodeFetch } from '../../../src/atlassian/nodeFetch';
import { createLogger } from '../../../src/core/logger';
import { SecretRedactor } from '../../../src/core/redact';
import { loadConfig } from '../../../src/bridge/config';
import { credentialDirectory, envCredentials } from '../../../src/bridge/directories';
import { startHttpBridge, type HttpBridge } from '../../../src/bridge/httpServer';
import { bridgeServerFactory } from '../../../src/bridge/server';
import { confirm, type ToolDef } from '../../../src/bridge/tooling';
import { basic } from './harness';
import { envelope, initialize, postMcp, RawStdio, type Message } from './rawClient';

let runs = 0;
const CONFIRM_TOOL: ToolDef = {
  name: 'test_confirm',
  title: 'Confirm (test)',
  description: 'Asks for a confirmation, then says what it would have done.',
  toolset: 'test',
  core: true,
  product: 'atlassian',
  write: true,
  destructive: true,
  params: {},
  run: async (_args, ctx) => {
    runs++;
    return confirm(ctx, 'Delete TEST-1?', 'Ask the person, and call again only when they said yes.')
      ? 'deleted TEST-1'
      : 'not deleted: the person said no';
  },
};
const TOOLS = [CONFIRM_TOOL];
const ACCEPT = { action: 'accept', content: { confirm: true } };
const DECLINE = { action: 'decline' };
const CALL = { name: 'test_confirm', arguments: {} };

const text = (message: Message | undefined) =>
  ((message?.result as { content?: { text?: string }[] } | undefined)?.content ?? []).map((c) => c.text).join('\n');
const isError = (message: Message | undefined) => (message?.result as { isError?: boolean }).isError === true;

const http = { fetch: nodeFetch, userAgent: 'test', timeoutMs: 5_000 };
const config = loadConfig({ JIRA_URL: 'http://127.0.0.1:9', JIRA_PERSONAL_TOKEN: 'x' }, []);

/** The bridge's stdio entry in process, with the test tool table, and a raw client on the other end. */
function stdioBridge(): { rpc: RawStdio; close: () => Promise<void> } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const directory = credentialDirectory(config, envCredentials(config), http, 'Set JIRA_URL.');
  const served = serveStdio(bridgeServerFactory('0.0.0-test', { config, directory, tools: TOOLS }), {
    transport: new StdioServerTransport(toServer, toClient),
  });
  return { rpc: new RawStdio(toServer, toClient), close: () => served.close() };
}

describe('elicitation in both MCP eras', function () {
  this.timeout(20_000);
  beforeEach(() => (runs = 0));

  describe('stdio, 2026-07-28: input_required, then a retry with the answer', () => {
    for (const [answer, expected] of [
      [ACCEPT, /^deleted TEST-1$/],
      [DECLINE, /not deleted/],
    ] as const) {
      it(`${answer.action}`, async () => {
        const { rpc, close } = stdioBridge();
        try {
          const capabilities = { elicitation: {} };
          const first = await rpc.request('tools/call', { ...CALL, _meta: envelope(capabilities) });
          const asked = first.result as { resultType: string; inputRequests: Record<string, { method: string }> };
          assert.equal(asked.resultType, 'input_required', JSON.stringify(first));
          assert.equal(asked.inputRequests.confirm?.method, 'elicitation/create');
          const second = await rpc.request('tools/call', {
            ...CALL,
            inputResponses: { confirm: answer },
            _meta: envelope(capabilities),
          });
          assert.match(text(second), expected, JSON.stringify(second));
          assert.equal(runs, 2);
        } finally {
          await close();
        }
      });
    }

    it('unsupported: a client without elicitation gets a refusal with instructions', async () => {
      const { rpc, close } = stdioBridge();
      try {
        const answer = await rpc.request('tools/call', { ...CALL, _meta: envelope({}) });
        assert.ok(isError(answer), JSON.stringify(answer));
        assert.match(text(answer), /Not done: "Delete TEST-1\?" needs an answer from the person/);
        assert.match(text(answer), /Ask the person, and call again only when they said yes\./);
      } finally {
        await close();
      }
    });
  });

  describe('stdio, 2025-11-25: the bridge sends elicitation/create to a client that declared it', () => {
    for (const [answer, expected] of [
      [ACCEPT, /^deleted TEST-1$/],
      [DECLINE, /not deleted/],
    ] as const) {
      it(`${answer.action}`, async () => {
        const { rpc, close } = stdioBridge();
        const asked: Message[] = [];
        rpc.onRequest = (request) => {
          asked.push(request);
          return answer;
        };
        try {
          await rpc.request('initialize', initialize({ elicitation: {} }).params as Record<string, unknown>, 1);
          rpc.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          const result = await rpc.request('tools/call', CALL);
          assert.match(text(result), expected, JSON.stringify(result));
          assert.deepEqual(
            asked.map((r) => [r.method, (r.params as { message: string }).message]),
            [['elicitation/create', 'Delete TEST-1?']],
          );
        } finally {
          await close();
        }
      });
    }

    it('unsupported: a client that declared no elicitation gets a refusal with instructions', async () => {
      const { rpc, close } = stdioBridge();
      let asked = 0;
      rpc.onRequest = () => (asked++, ACCEPT);
      try {
        await rpc.request('initialize', initialize({}).params as Record<string, unknown>, 1);
        rpc.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        const result = await rpc.request('tools/call', CALL);
        assert.ok(isError(result), JSON.stringify(result));
        assert.match(text(result), /cannot ask it/);
        assert.equal(asked, 0);
      } finally {
        await close();
      }
    });
  });

  describe('HTTP (stateless)', () => {
    let bridge: HttpBridge;
    const auth = { Authorization: basic('ada@example.com', 'token') };
    before(async () => {
      const httpConfig = loadConfig({ JIRA_URL: 'http://127.0.0.1:9' }, [
        '--transport',
        'streamable-http',
        '--port',
        '0',
      ]);
      bridge = await startHttpBridge(
        httpConfig,
        '0.0.0-test',
        http,
        createLogger(() => undefined, new SecretRedactor()),
        { tools: TOOLS },
      );
    });
    after(() => bridge?.close());

    const post = (params: Record<string, unknown>, era: 'modern' | 'legacy') =>
      postMcp(bridge.url, { jsonrpc: '2.0', id: 5, method: 'tools/call', params }, auth, era);

    it('2026-07-28: input_required, then accept and decline on the retry', async () => {
      const capabilities = { elicitation: {} };
      const first = await post({ ...CALL, _meta: envelope(capabilities) }, 'modern');
      assert.equal((first.message?.result as { resultType: string }).resultType, 'input_required', first.text);
      const accepted = await post(
        { ...CALL, inputResponses: { confirm: ACCEPT }, _meta: envelope(capabilities) },
        'modern',
      );
      assert.equal(text(accepted.message), 'deleted TEST-1', accepted.text);
      const declined = await post(
        { ...CALL, inputResponses: { confirm: DECLINE }, _meta: envelope(capabilities) },
        'modern',
      );
      assert.match(text(declined.message), /not deleted/, declined.text);
    });

    it('2026-07-28 without elicitation, and 2025 (no session to ask on): a refusal with instructions', async () => {
      for (const [params, era] of [
        [{ ...CALL, _meta: envelope({}) }, 'modern'],
        [CALL, 'legacy'],
      ] as const) {
        const answer = await post(params, era);
        assert.equal(answer.status, 200, answer.text);
        assert.ok(isError(answer.message), `${era}: ${answer.text}`);
        assert.match(text(answer.message), /Not done: "Delete TEST-1\?".*Ask the person/s, era);
      }
    });
  });
});
