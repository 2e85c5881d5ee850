// The bridge compiles no code while it runs: zod, which the MCP SDK validates every message with,
// would otherwise build a parser for each object schema with `new Function` on first use
// (src/bridge/zodJitless.ts). Such code is compiled again on every start, outside V8's code cache,
// and a process that never evaluates strings is one less way for a crafted input to become code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStdio } from './harness';

/** Loaded into the bridge with --require: reports every Function or eval call on stderr. */
const WATCH = `
const report = (what) => process.stderr.write('RUNTIME-CODE ' + what + '\\n');
const NativeFunction = Function;
globalThis.Function = new Proxy(NativeFunction, {
  construct(target, args) { report('new Function'); return Reflect.construct(target, args); },
  apply(target, self, args) { report('Function()'); return Reflect.apply(target, self, args); },
});
const nativeEval = globalThis.eval;
globalThis.eval = (source) => { report('eval'); return nativeEval(source); };
`;

describe('the bridge at run time', function () {
  this.timeout(60_000);

  it('compiles no code from strings: not at start, not listing tools, not validating a call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amb-runtime-code-'));
    const watch = join(dir, 'watch.cjs');
    writeFileSync(watch, WATCH);
    const bridge = await connectStdio({
      JIRA_URL: 'http://127.0.0.1:9',
      JIRA_PERSONAL_TOKEN: 'x',
      NODE_OPTIONS: `--require ${JSON.stringify(watch)}`,
    });
    try {
      const { tools } = await bridge.client.listTools();
      assert.ok(tools.some((t) => t.name === 'jira_get_issue'));
      // No issue_key: the tool's input schema parses the arguments and says what is missing.
      const result = await bridge.client.callTool({ name: 'jira_get_issue', arguments: { fields: 7 } });
      assert.equal(result.isError, true);
      assert.match(JSON.stringify(result.content), /issue_key/);
    } finally {
      await bridge.close();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.doesNotMatch(bridge.stderr(), /RUNTIME-CODE/);
  });
});
