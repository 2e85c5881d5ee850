// Entry point of dist/bridge.js: the bundled MCP server, run by VS Code (stdio, credentials over the
// local channel) or on its own (stdio or streamable HTTP, credentials from the environment or the
// request). Logs go to stderr only, through the redacting logger.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { HttpClientOptions } from '../atlassian/http';
import { nodeFetch } from '../atlassian/nodeFetch';
import { createLogger, type LogLevel } from '../core/logger';
import { credentialSecrets, SecretRedactor } from '../core/redact';
import { ConfigError, loadConfig, USAGE, type BridgeConfig } from './config';
import { ChannelClient } from './credentials';
import { basicAuthorization, channelDirectory, credentialDirectory, envCredentials } from './directories';
import { bridgeServerFactory } from './server';

declare const BRIDGE_VERSION: string | undefined;
const VERSION = typeof BRIDGE_VERSION === 'string' ? BRIDGE_VERSION : '0.0.0-dev';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  if (argv.includes('--version')) return void process.stdout.write(`${VERSION}\n`);

  const config = loadConfig(process.env, argv);
  const redactor = new SecretRedactor();
  for (const secret of secretsOf(config)) redactor.add(secret);
  const logger = createLogger((level: LogLevel, line: string) => {
    if (config.verbose || (level !== 'debug' && level !== 'trace')) process.stderr.write(`[${level}] ${line}\n`);
  }, redactor);
  const http: HttpClientOptions = {
    fetch: nodeFetch,
    userAgent: `atlassian-mcp-bridge/${VERSION}`,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    maxResponseSetting: 'MAX_RESPONSE_BYTES',
  };
  const onInternalError = (tool: string, err: unknown) => logger.error('%s failed: %s', tool, err);

  if (config.transport === 'streamable-http') {
    // Loaded only in HTTP mode: stdio startup stays small.
    const { startHttpBridge } = await import('./httpServer');
    const bridge = await startHttpBridge(config, VERSION, http, logger, { redactor });
    logger.info('atlassian-mcp-bridge %s listening on %s', VERSION, bridge.url);
    const stop = () => void bridge.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }

  const directory = config.channel
    ? channelDirectory(
        new ChannelClient(
          config.channel.url,
          config.channel.secret,
          (value) => credentialSecrets(value).forEach((secret) => redactor.add(secret)),
          nodeFetch,
        ),
        http,
      )
    : credentialDirectory(
        config,
        envCredentials(config),
        http,
        'Set JIRA_URL with JIRA_USERNAME + JIRA_API_TOKEN (or JIRA_PERSONAL_TOKEN), CONFLUENCE_URL likewise, or ATLASSIAN_OAUTH_ACCESS_TOKEN.',
      );
  // The first message picks the era (server/discover or initialize); the SDK pins one instance to it.
  const served = serveStdio(bridgeServerFactory(VERSION, { config, directory, onInternalError, redactor }), {
    onerror: (err) => logger.debug('stdio: %s', err.message),
  });
  // stdio servers end when their client closes stdin.
  process.stdin.on('end', () => void served.close().then(() => process.exit(0)));
}

function secretsOf(config: BridgeConfig): (string | undefined)[] {
  // Basic credentials also travel base64-encoded, and a site may echo them so.
  const basic = [config.jira, config.confluence].flatMap((s) =>
    s?.username && s.apiToken ? credentialSecrets(basicAuthorization(s.username, s.apiToken)) : [],
  );
  return [
    ...basic,
    config.jira?.apiToken,
    config.jira?.personalToken,
    config.confluence?.apiToken,
    config.confluence?.personalToken,
    config.oauth?.accessToken,
    config.channel?.secret,
  ];
}

main().catch((err: unknown) => {
  process.stderr.write(`atlassian-mcp-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
