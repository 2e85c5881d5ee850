// Entry point of dist/bridge-server.js, which dist/bridge.js (launch.ts) runs: the bundled MCP server, run by
// VS Code (stdio, credentials over the local channel) or on its own (stdio or streamable HTTP, credentials
// from the environment or the request), or as the team server (`--auth oauth`: each person signs in;
// `team …`: its administration).
// Logs go to stderr through the redacting logger; the team server writes JSON lines to stdout.
import './zodJitless';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { HttpClientOptions } from '../atlassian/http';
import { nodeFetch } from '../atlassian/nodeFetch';
import { createLogger, type Logger, type LogLevel } from '../core/logger';
import { credentialSecrets, SecretRedactor } from '../core/redact';
import type * as TeamEntry from '../team/entry';
import { createJsonLogger } from '../team/ops/jsonLog';
import { ConfigError, loadConfig, USAGE, type BridgeConfig } from './config';
import { ChannelClient } from './credentials';
import { basicAuthorization, channelDirectory, credentialDirectory, envCredentials } from './directories';
import { openAuditSink, type AuditSink } from './audit';
import { bridgeServerFactory } from './server';

declare const BRIDGE_VERSION: string | undefined;
const VERSION = typeof BRIDGE_VERSION === 'string' ? BRIDGE_VERSION : '0.0.0-dev';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  if (argv.includes('--version')) return void process.stdout.write(`${VERSION}\n`);
  if (argv[0] === 'team') {
    const redactor = new SecretRedactor();
    const { runTeamAdmin } = await loadTeam();
    process.exitCode = await runTeamAdmin(argv.slice(1), {
      env: process.env,
      log: jsonLogger(redactor, process.env.MCP_VERBOSE),
      redactor,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    return;
  }

  const config = loadConfig(process.env, argv);
  const redactor = new SecretRedactor();
  for (const secret of secretsOf(config)) redactor.add(secret);
  const logger =
    config.auth === 'oauth'
      ? jsonLogger(redactor, process.env.MCP_VERBOSE)
      : createLogger((level: LogLevel, line: string) => {
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
  const audit: AuditSink | undefined =
    config.audit && openAuditSink(config.audit, (line) => redactor.redactKnown(line));

  if (config.transport === 'streamable-http') {
    // Loaded only in HTTP mode: stdio startup stays small.
    const { startHttpBridge } = await import('./httpServer');
    const access =
      config.auth === 'oauth'
        ? await (await loadTeam()).createTeamAccess(config, { env: process.env, log: logger, redactor })
        : undefined;
    const bridge = await startHttpBridge(config, VERSION, http, logger, { access, redactor, audit });
    logger.info('atlassian-mcp-bridge %s listening on %s', VERSION, bridge.url);
    const stop = (signal: string) => {
      logger.info('%s: finishing requests in flight, then exiting.', signal);
      void bridge.shutdown(config.shutdownGraceMs).then(() => process.exit(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    return;
  }

  const { channel, channelFile } = config;
  const endpoint = channel
    ? { url: channel.url, secret: channel.secret }
    : channelFile
      ? async () => {
          // Only bridges started from mcp.json read it: node:fs/promises and node:crypto load then.
          const { readChannelFile } = await import('../credentials/channelFile');
          const read = await readChannelFile(channelFile);
          redactor.add(read.secret);
          return read;
        }
      : undefined;
  const directory = endpoint
    ? channelDirectory(
        new ChannelClient(
          endpoint,
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
  const served = serveStdio(bridgeServerFactory(VERSION, { config, directory, onInternalError, redactor, audit }), {
    onerror: (err) => logger.debug('stdio: %s', err.message),
  });
  // stdio servers end when their client closes stdin.
  process.stdin.on('end', () => void served.close().then(() => process.exit(0)));
}

/** The team server's code: dist/team.js, a bundle of its own (esbuild.js), loaded only when used. */
function loadTeam(): Promise<typeof TeamEntry> {
  return import('../team/entry').catch((err: unknown) => {
    throw new Error('The team server needs team.js beside bridge.js (npm run build writes both).', { cause: err });
  });
}

/** One JSON object a line on stdout, through the redactor (what log collectors expect of a server). */
function jsonLogger(redactor: SecretRedactor, verbose: string | undefined): Logger {
  const minLevel: LogLevel = /^(1|true|yes|on)$/i.test(verbose?.trim() ?? '') ? 'debug' : 'info';
  return createJsonLogger((line) => process.stdout.write(line), redactor, { minLevel });
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
  const configError = err instanceof ConfigError || (err instanceof Error && err.name === 'TeamConfigError');
  process.exit(configError ? 2 : 1);
});
