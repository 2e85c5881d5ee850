// The sandbox's people. Deterministic so tests and screenshots are stable.
export interface SandboxUser {
  readonly accountId: string;
  readonly email: string;
  readonly displayName: string;
  /** Cloud API token (Basic `email:apiToken` on any site URL). */
  readonly apiToken: string;
  readonly timeZone: string;
}

export const USERS: readonly SandboxUser[] = [
  {
    accountId: '712020:aa11bb22-0001-4c3d-9e8f-000000000001',
    email: 'ada@example.com',
    displayName: 'Ada Lovelace',
    apiToken: 'sandbox-api-token-ada',
    timeZone: 'Europe/London',
  },
  {
    accountId: '712020:aa11bb22-0002-4c3d-9e8f-000000000002',
    email: 'grace@example.com',
    displayName: 'Grace Hopper',
    apiToken: 'sandbox-api-token-grace',
    timeZone: 'America/New_York',
  },
  {
    accountId: '712020:aa11bb22-0003-4c3d-9e8f-000000000003',
    email: 'linus@example.com',
    displayName: 'Linus Torvalds',
    apiToken: 'sandbox-api-token-linus',
    timeZone: 'Europe/Helsinki',
  },
  {
    accountId: '712020:aa11bb22-0004-4c3d-9e8f-000000000004',
    email: 'margaret@example.com',
    displayName: 'Margaret Hamilton',
    apiToken: 'sandbox-api-token-margaret',
    timeZone: 'America/Chicago',
  },
  {
    accountId: '712020:aa11bb22-0005-4c3d-9e8f-000000000005',
    email: 'alan@example.com',
    displayName: 'Alan Turing',
    apiToken: 'sandbox-api-token-alan',
    timeZone: 'Europe/London',
  },
];

/** The person who signs in by default (OAuth consent, the demo). */
export const DEFAULT_USER = USERS[0]!;

/**
 * Extra people for load tests (a team signing in one by one): deterministic, numbered from 1, with
 * account ids of their own. They exist for OAuth sign-in and the gateway (`/me`, `/myself`) only;
 * the seeded issues and pages never name them.
 */
export function extraPeople(count: number): SandboxUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return {
      accountId: `712020:bb00cc00-0000-4000-8000-000000000${n}`,
      email: `person${n}@example.com`,
      displayName: `Person ${n}`,
      apiToken: `sandbox-api-token-person${n}`,
      timeZone: 'UTC',
    };
  });
}
