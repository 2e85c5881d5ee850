// Administration of a team server from the command line, against the same database and key ring the
// replicas use (`node dist/bridge.js team …` with the same environment):
//   team signout <account id>   deletes the person's Atlassian tokens and ends every session at once
//   team reencrypt              re-seals every row still sealed with an older vault key (key rotation)
import type { Logger } from '../core/logger';
import type { SecretRedactor } from '../core/redact';
import { parseTeamConfig } from './config';
import { createTeamServer } from './teamServer';

export const TEAM_ADMIN_USAGE = `Usage: bridge team signout <Atlassian account id>
       bridge team reencrypt
With the team server's environment (TEAM_DATABASE_URL or TEAM_SQLITE_FILE, TEAM_VAULT_KEYS, …).`;

export interface TeamAdminDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly redactor: SecretRedactor;
  /** Where the command's result goes (stdout). */
  readonly print: (line: string) => void;
}

/** Runs one command; resolves to the process exit code. */
export async function runTeamAdmin(args: readonly string[], deps: TeamAdminDeps): Promise<number> {
  const [command, ...rest] = args;
  const valid =
    (command === 'signout' && rest.length === 1 && rest[0]!.trim() !== '') ||
    (command === 'reencrypt' && rest.length === 0);
  if (!valid) {
    deps.print(TEAM_ADMIN_USAGE);
    return 2;
  }
  const team = await createTeamServer(parseTeamConfig(deps.env), { log: deps.log, redactor: deps.redactor });
  try {
    if (command === 'signout') {
      const personId = rest[0]!.trim();
      const known = await team.vault.has(personId);
      await team.vault.signOut(personId, 'an administrator signed you out');
      deps.print(
        known
          ? `Signed out ${personId}: their Atlassian tokens are deleted and every session has ended.`
          : `${personId} had no sign-in; any sessions left have ended.`,
      );
      return 0;
    }
    const count = await team.vault.reencryptAll();
    deps.print(`Re-sealed ${count} row(s) with the current vault key.`);
    return 0;
  } finally {
    await team.close();
  }
}
