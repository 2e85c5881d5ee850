// `npm run sandbox -- --port N [--access-token-ttl S] [--redirect-uri URL ...]`: runs the sandbox
// until SIGINT/SIGTERM and prints everything needed to talk to it (fake credentials, by design).
import { parseArgs } from 'node:util';
import { startSandbox } from './index';
import type { Sandbox, SandboxOptions } from './index';

function parseOptions(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'access-token-ttl': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const options: SandboxOptions = { port: integer('--port', values.port) };
  if (values['access-token-ttl'] !== undefined)
    options.accessTokenTtlSeconds = integer('--access-token-ttl', values['access-token-ttl']);
  if (values['redirect-uri']?.length) options.redirectUris = values['redirect-uri'];
  return options;
}

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a non-negative integer, got "${text}"`);
  return value;
}

function describe(sandbox: Sandbox): string {
  const { discovery } = sandbox;
  const lines = [
    `Atlassian sandbox listening on ${sandbox.url}`,
    `  discovery     ${sandbox.url}/.well-known/sandbox.json`,
    `  auth base     ${discovery.authBaseUrl}   (authorize: ${discovery.authBaseUrl}/authorize)`,
    `  api base      ${discovery.apiBaseUrl}`,
    ...discovery.sites.map((site) => `  site          ${site.name.padEnd(8)} ${site.url}   cloudId ${site.cloudId}`),
    `  data center   ${discovery.dataCenter.url}   PAT ${discovery.dataCenter.personalAccessToken}`,
    `  OAuth client  id ${discovery.oauthClient.clientId}`,
    `                secret ${discovery.oauthClient.clientSecret}`,
    `                redirect URIs ${discovery.oauthClient.redirectUris.join(', ')}`,
    '  users (email / API token):',
    ...discovery.users.map((user) => `    ${user.displayName.padEnd(18)} ${user.email.padEnd(22)} ${user.apiToken}`),
    'Press Ctrl+C to stop.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(parseOptions(process.argv.slice(2)));
  console.log(describe(sandbox));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
