// The team server as the bridge's HTTP access layer (`--auth oauth`): its routes (OAuth, probes,
// metrics) go first; on the MCP route a valid access token becomes the person's grant: the sites they
// allowed, their own Atlassian token from the vault (refreshed there, single-flight across replicas),
// the team's fair-share fetch; each tool call is counted by tool and outcome.
import type { Credentials } from '../atlassian/http';
import type { Logger } from '../core/logger';
import type { SecretRedactor } from '../core/redact';
import type { BridgeConfig } from '../bridge/config';
import type { PersonAccess } from '../bridge/httpServer';
import { parseTeamConfig } from './config';
import type { CallOutcome } from './ops/metrics';
import { createTeamServer } from './teamServer';
import type { TokenVault } from './vault/tokenVault';

export interface TeamAccessDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly redactor: SecretRedactor;
}

export async function createTeamAccess(config: BridgeConfig, deps: TeamAccessDeps): Promise<PersonAccess> {
  const teamConfig = parseTeamConfig(deps.env, config.path);
  const team = await createTeamServer(teamConfig, { log: deps.log, redactor: deps.redactor });
  return {
    publicHosts: [new URL(teamConfig.publicUrl).host],
    handle: (req, res) => team.handle(req, res),
    async authorize(req, res) {
      const who = await team.authenticate(req);
      if (!who) return void team.challenge(req, res);
      return {
        cloudIds: who.sites,
        person: who.personId,
        credentials: vaultCredentials(team.vault, who.personId),
        fetch: team.upstreamFetch(who.personId),
        connectHint: 'Sign in to the team server again and allow the site you need.',
        onToolCall: (tool, seconds, error) => team.metrics.toolCall(who.personId, tool, outcomeOf(error), seconds),
      };
    },
    drain: () => team.drain(),
    close: () => team.close(),
  };
}

function vaultCredentials(vault: TokenVault, personId: string): Credentials {
  return {
    authorization: async () => `Bearer ${await vault.accessToken(personId)}`,
    async renew(rejected) {
      await vault.renew(personId, rejected.replace(/^Bearer\s+/i, ''));
      return true;
    },
  };
}

function outcomeOf(error: unknown): CallOutcome {
  if (error === undefined) return 'ok';
  if (error instanceof Error && error.name === 'SignInAgainError') return 'unauthorized';
  const status = (error as { status?: unknown }).status;
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  return 'error';
}
