// Development information the sandbox's issues carry, as a source-control integration would have
// reported it to Jira (GitHub on the Cloud site, Bitbucket Data Center on the Data Center site):
// branches, commits and pull requests by issue key, in the dev-status API's own shapes.

export interface DevCommit {
  readonly id: string;
  readonly message: string;
  readonly author: string;
  readonly at: string;
  readonly files: number;
}

export interface DevPullRequest {
  readonly id: string;
  readonly title: string;
  readonly status: 'OPEN' | 'MERGED' | 'DECLINED';
  readonly author: string;
  readonly source: string;
  readonly destination: string;
  readonly reviewers: readonly { readonly name: string; readonly approved: boolean }[];
  readonly updated: string;
}

export interface DevRecord {
  readonly repository: string;
  readonly branches: readonly string[];
  readonly commits: readonly DevCommit[];
  readonly pullRequests: readonly DevPullRequest[];
}

/** The integration a site's development information comes from (`_instance` in dev-status answers). */
export interface DevInstance {
  /** What `applicationType` and `byInstanceType` call it. */
  readonly type: string;
  readonly name: string;
  readonly baseUrl: string;
}

export const CLOUD_DEV_INSTANCE: DevInstance = { type: 'GitHub', name: 'GitHub', baseUrl: 'https://github.example' };
export const DC_DEV_INSTANCE: DevInstance = {
  type: 'stash',
  name: 'Bitbucket',
  baseUrl: 'https://bitbucket.corp.example',
};

const commit = (id: string, message: string, author: string, at: string, files: number): DevCommit => ({
  id,
  message,
  author,
  at,
  files,
});

/** By issue key; the same keys on every site that has them. */
export const DEV_RECORDS: Readonly<Record<string, DevRecord>> = {
  'ENG-2': {
    repository: 'acme/web',
    branches: ['feature/ENG-2-search-filters'],
    commits: [
      commit(
        '8f14e45fceea167a5a36dedd4bea2543a7b1c9e0',
        'ENG-2 Add search filters\n\nFilters by status.',
        'Ada Lovelace',
        '2026-11-02T10:15:00.000+0000',
        4,
      ),
      commit(
        'c9f0f895fb98ab9159f51fd0297e236d1a2b3c4d',
        'ENG-2 Test the filters',
        'Grace Hopper',
        '2026-11-03T16:40:00.000+0000',
        2,
      ),
    ],
    pullRequests: [
      {
        id: '#42',
        title: 'ENG-2 Search filters',
        status: 'OPEN',
        author: 'Ada Lovelace',
        source: 'feature/ENG-2-search-filters',
        destination: 'main',
        reviewers: [{ name: 'Grace Hopper', approved: true }],
        updated: '2026-11-03T17:00:00.000+0000',
      },
    ],
  },
  'ENG-3': {
    repository: 'acme/api',
    branches: [],
    commits: [
      commit(
        '45c48cce2e2d7fbdea1afc51c7c6ad26f0e1d2c3',
        'ENG-3 Fix token refresh',
        'Linus Torvalds',
        '2026-10-20T08:00:00.000+0000',
        1,
      ),
    ],
    pullRequests: [
      {
        id: '#17',
        title: 'ENG-3 Fix token refresh',
        status: 'MERGED',
        author: 'Linus Torvalds',
        source: 'bugfix/ENG-3',
        destination: 'main',
        reviewers: [],
        updated: '2026-10-21T09:30:00.000+0000',
      },
    ],
  },
  'LEGACY-2': {
    repository: 'LEG/orders',
    branches: ['bugfix/LEGACY-2-ldap'],
    commits: [
      commit(
        'd3d9446802a44259755d38e6d163e820a0b1c2d3',
        'LEGACY-2 LDAP sync retries',
        'Linus Torvalds',
        '2026-09-01T12:00:00.000+0000',
        3,
      ),
    ],
    pullRequests: [],
  },
};
