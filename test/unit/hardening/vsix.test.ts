// Hardening (secret-leak scan, the package part): the VSIX that ships holds no token, secret or
// password — neither the sandbox's (the tests' own fakes must not leak into the product) nor any
// credential-shaped string — and nothing but what runs. The in-editor half of the scan is
// test/editor/hardening.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_CLIENT } from '../../sandbox/oauth';
import { startSandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import { ROOT } from '../bridge/harness';
import { readZip, SecretScanner } from './secretScan';
import { figure } from './support';

const PACKAGED = join(ROOT, 'out', 'atlassian-mcp-bridge.vsix');

/** The VSIX `npm test` packaged; a fresh one (in a temp folder) when none exists yet. */
async function vsixPath(scratch: string): Promise<string> {
  const wanted = process.env.AMB_VSIX ?? PACKAGED;
  if (existsSync(wanted)) return wanted;
  const out = join(scratch, 'atlassian-mcp-bridge.vsix');
  await new Promise<void>((resolve, reject) =>
    // Packaged exactly as `npm run package` does it (its README, its flags), only elsewhere.
    execFile(
      'bash',
      [join(ROOT, 'scripts/package.sh')],
      { cwd: ROOT, env: { ...process.env, AMB_VSIX_OUT: out } },
      (err, _stdout, stderr) => (err ? reject(new Error(stderr)) : resolve()),
    ),
  );
  return out;
}

describe('hardening: secret-leak scan of the VSIX', function () {
  this.timeout(180_000);

  it('ships no secret, and no file that could hold one', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'amb-vsix-'));
    try {
      const path = await vsixPath(scratch);
      const entries = readZip(readFileSync(path));
      const scanner = new SecretScanner();
      const sandbox = await startSandbox();
      const { dataCenter } = sandbox.discovery;
      await sandbox.close();
      scanner.add('OAuth client secret', SANDBOX_CLIENT.clientSecret);
      scanner.add('personal access token', dataCenter.personalAccessToken);
      for (const user of USERS) scanner.addBasic(user.email, user.apiToken);
      for (const entry of entries) {
        scanner.scan(`VSIX:${entry.name} (name)`, entry.name);
        scanner.scan(`VSIX:${entry.name}`, entry.data);
      }

      const names = entries.map((e) => e.name);
      // The exact file list is test/unit/packaging.test.ts's; here, nothing that could carry a secret or the tests' fakes.
      const risky = names.filter((n) =>
        /\.(ts|map|pem|key|p12|log)$|(^|\/)(\.env[^/]*|\.npmrc|\.git\/.*|test\/.*|src\/.*|node_modules\/.*|out\/.*)$/i.test(
          n,
        ),
      );
      figure(
        `VSIX secret scan: ${entries.length} files, ${scanner.bytes} bytes uncompressed, ${scanner.secrets} known secrets + 5 credential patterns, ${scanner.findings.length} secrets found`,
      );
      assert.equal(scanner.findings.length, 0, scanner.report());
      assert.deepEqual(risky, [], 'no sources, maps, tests, keys, logs or .env files');
      assert.ok(
        names.includes('extension/dist/extension.js') && names.includes('extension/dist/bridge.js'),
        names.join(', '),
      );
      assert.ok(scanner.bytes > 100_000, 'the bundles were read');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
