// A ConnectionManager over in-memory stores, signed in to the sandbox the way "Connect Atlassian"
// would (API token, OAuth through the real consent page, Data Center PAT), for unit tests of what
// sits on top of connections: the issue list, the health checks, the diagnostics report.
import { ConnectionManager, type ConnectionInfo } from '../../src/auth/connections';
import { AtlassianOAuthClient } from '../../src/auth/oauthClient';
import { clientSecretKey, parseStoredCredential, secretValues } from '../../src/auth/secrets';
import { signInWithApiToken, signInWithPersonalAccessToken } from '../../src/auth/signIn';
import { createLogger } from '../../src/core/logger';
import { SecretRedactor } from '../../src/core/redact';
import { freePort } from '../harness/process';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { signInAcceptingConsent } from './consentBrowser';
import { MemorySecretStore } from './memorySecretStore';
import { MemoryMetadata } from './memoryMetadata';

export interface SandboxConnections {
  readonly sandbox: Sandbox;
  readonly manager: ConnectionManager;
  readonly secrets: MemorySecretStore;
  readonly redactor: SecretRedactor;
  readonly logLines: string[];
  apiToken(): Promise<ConnectionInfo>;
  oauth(scopes?: readonly string[]): Promise<ConnectionInfo>;
  dataCenter(): Promise<ConnectionInfo>;
  /** Every secret value the test world knows: stored credentials, the OAuth client secret, every user's API token, the PAT. */
  knownSecrets(): Promise<string[]>;
  close(): Promise<void>;
}

export const OAUTH_SCOPES: readonly string[] = [
  'read:jira-work',
  'write:jira-work',
  'read:jira-user',
  'read:me',
  'offline_access',
];

export async function sandboxConnections(): Promise<SandboxConnections> {
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  const sandbox = await startSandbox({ redirectUris: [redirectUri] });
  const secrets = new MemorySecretStore();
  const redactor = new SecretRedactor();
  const logLines: string[] = [];
  const manager = new ConnectionManager({
    secrets,
    metadata: new MemoryMetadata(),
    redactor,
    log: createLogger((_level, line) => logLines.push(line), redactor),
    refresherFor: (grant) =>
      new AtlassianOAuthClient(
        grant,
        { clientId: grant.clientId, redirectUri: grant.redirectUri, scopes: [] },
        { now: () => sandbox.clock.now() },
      ),
    now: () => sandbox.clock.now(),
  });
  const discovery = sandbox.discovery;
  const ada = discovery.users[0]!;
  return {
    sandbox,
    manager,
    secrets,
    redactor,
    logLines,
    async apiToken() {
      const { info, credential } = await signInWithApiToken({
        siteUrl: discovery.sites[0]!.url,
        email: ada.email,
        apiToken: ada.apiToken,
      });
      await manager.add(info, credential);
      return info;
    },
    async oauth(scopes = OAUTH_SCOPES) {
      const { clientId, clientSecret } = discovery.oauthClient;
      await secrets.store(clientSecretKey(clientId), clientSecret);
      const { info, credential } = await signInAcceptingConsent(
        {
          authBaseUrl: discovery.authBaseUrl,
          apiBaseUrl: discovery.apiBaseUrl,
          clientId,
          clientSecret,
          redirectUri,
          scopes,
        },
        () => sandbox.clock.now(),
      );
      await manager.add(info, credential);
      return info;
    },
    async dataCenter() {
      const { info, credential } = await signInWithPersonalAccessToken({
        baseUrl: discovery.dataCenter.url,
        token: discovery.dataCenter.personalAccessToken,
      });
      await manager.add(info, credential);
      return info;
    },
    async knownSecrets() {
      const stored = [...secrets.backing.values.values()];
      const values = stored.flatMap((text) => {
        const credential = parseStoredCredential(text);
        return credential ? secretValues(credential) : [text];
      });
      return [
        ...values,
        discovery.oauthClient.clientSecret,
        discovery.dataCenter.personalAccessToken,
        ...discovery.users.map((u) => u.apiToken),
      ];
    },
    async close() {
      manager.dispose();
      await sandbox.close();
    },
  };
}
