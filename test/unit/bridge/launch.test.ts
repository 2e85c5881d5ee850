// dist/bridge.js (src/bridge/launch.ts) runs the bridge from V8's code cache: written once after the
// first start, used by the next, and never a reason to fail or to print (stdout is the MCP channel).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeBundle } from './harness';

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
})}\n`;

/** One stdio start that answers initialize and ends with stdin. */
async function start(env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const run = spawnSync(process.execPath, [await bridgeBundle()], {
    env: { PATH: process.env.PATH ?? '', JIRA_URL: 'http://127.0.0.1:9', JIRA_PERSONAL_TOKEN: 'x', ...env },
    input: INITIALIZE,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return { stdout: run.stdout, stderr: run.stderr };
}

/** stdout holds the initialize result and nothing else. */
function assertOnlyTheAnswer(stdout: string): void {
  const lines = stdout.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, stdout);
  assert.match(lines[0]!, /^\{"result":\{"protocolVersion":"2025-11-25"/);
}

const caches = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8cache'));

describe('the bridge launcher (code cache)', function () {
  this.timeout(60_000);
  const scratch = mkdtempSync(join(tmpdir(), 'amb-launch-'));

  it('writes the cache on the first start and starts from it on the next, leaving it as it is', async () => {
    const dir = join(scratch, 'cache');
    assertOnlyTheAnswer((await start({ NODE_COMPILE_CACHE: dir })).stdout);
    const [cache] = caches(dir);
    assert.ok(cache, 'a cache after the first start');
    const written = statSync(join(dir, cache)).mtimeMs;
    assert.ok(statSync(join(dir, cache)).size > 100_000, 'the cache holds the compiled bridge');
    assertOnlyTheAnswer((await start({ NODE_COMPILE_CACHE: dir })).stdout);
    assert.deepEqual(caches(dir), [cache]);
    assert.equal(statSync(join(dir, cache)).mtimeMs, written, 'accepted, so not written again');
  });

  it('starts and prints nothing more when the cache directory cannot be created', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const configured = await start({ NODE_COMPILE_CACHE: join(file, 'cache') });
    assertOnlyTheAnswer(configured.stdout);
    assert.equal(configured.stderr, '');
    const temp = await start({ TMPDIR: file });
    assertOnlyTheAnswer(temp.stdout);
    assert.equal(temp.stderr, '');
  });

  it('neither reads nor writes a cache in a temp directory others can write to', async function () {
    if (!process.getuid) this.skip(); // Windows: the temp dir is the user's own.
    const temp = join(scratch, 'tmp');
    const shared = join(temp, `atlassian-mcp-bridge-${process.getuid!()}`);
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o777);
    assertOnlyTheAnswer((await start({ TMPDIR: temp })).stdout);
    assert.deepEqual(caches(shared), []);
    chmodSync(shared, 0o700);
    assertOnlyTheAnswer((await start({ TMPDIR: temp })).stdout);
    assert.equal(caches(shared).length, 1, 'its own private directory is used');
  });
});
