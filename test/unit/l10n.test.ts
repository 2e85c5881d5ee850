import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as l10n from '@vscode/l10n';
import { listenForCallback } from '../../src/auth/loopback';
import { relativeTime } from '../../src/core/time';
import * as bridgeL10n from '../../src/bridge/stubs/l10n';
import { formatSeconds } from '../../src/health/explain';

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('runtime strings are localisable (l10n/bundle.l10n.json)', () => {
  it('translates only literal messages, which the extractor can see', () => {
    const offenders = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bl10n\.t\(\s*([^'"\s{])/g)].map(
        (m) => `${file.slice(ROOT.length + 1)}: l10n.t(${m[1]}…`,
      ),
    );
    assert.deepEqual(
      offenders,
      [],
      'a template literal or a variable as the message cannot be translated: use {0} placeholders',
    );
  });

  it('ships a bundle that lists every message in src/ (run "npm run l10n" after changing one)', function () {
    this.timeout(60_000);
    const out = mkdtempSync(join(tmpdir(), 'amb-l10n-'));
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/vscode-l10n-dev'), ['export', '--outDir', out, './src'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      const fresh = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      const shipped = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(shipped, fresh);
      assert.ok(Object.keys(fresh).length >= 100, `only ${Object.keys(fresh).length} messages are translatable`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('core messages come out translated once the extension hands @vscode/l10n a bundle', async () => {
    // A pseudo-translation of the shipped bundle: every message wrapped in ⟦…⟧, placeholders kept.
    const shipped = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<
      string,
      string | { message: string }
    >;
    const contents = Object.fromEntries(
      Object.entries(shipped).map(([key, value]) => [key, `⟦${typeof value === 'string' ? value : value.message}⟧`]),
    );
    l10n.config({ contents });
    try {
      assert.equal(formatSeconds(30), '⟦30 s⟧');
      assert.equal(relativeTime(0, 0), '⟦just now⟧');
      await assert.rejects(
        listenForCallback({
          redirectUri: 'https://example.com/callback',
          expectedState: 'x',
          timeoutMs: 1000,
          pages: { success: () => '', failure: () => '' },
          portSettingName: 'p',
        }),
        /^CallbackError: ⟦The redirect URI must be http:\/\/127\.0\.0\.1:PORT\/PATH \(got https:\/\/example\.com\/callback\)\.⟧$/,
      );
    } finally {
      l10n.config({ contents: {} });
    }
    assert.equal(formatSeconds(30), '30 s', 'English again without a bundle');
  });

  it("formats in the bridge's stand-in exactly as @vscode/l10n does without a bundle", () => {
    const samples: unknown[][] = [
      ['plain'],
      ['{0} of {1} shown', 3, 10],
      ['{0} and {0} again, {2} missing', 'x', 'y'],
      ['{name} is {count}', { name: 'ENG', count: 0 }],
      ['braces {not a key} stay', 1],
      [{ message: '{0} ms', args: [84], comment: ['a duration'] }],
      [{ message: 'no args', comment: ['c'] }],
    ];
    for (const [first, ...rest] of samples) {
      const expected = (l10n.t as (...a: unknown[]) => string)(first, ...rest);
      assert.equal(
        (bridgeL10n.t as (...a: unknown[]) => string)(first, ...rest),
        expected,
        JSON.stringify([first, ...rest]),
      );
    }
  });
});
