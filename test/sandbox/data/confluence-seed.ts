// Deterministic Confluence content for the sandbox's Cloud sites: spaces with real page trees,
// bodies built from the canonical content model (so storage and ADF agree), versions, labels,
// footer comments and a few blog posts. No Math.random: one seeded PRNG per space.
import { USERS, type SandboxUser } from './users';
import {
  bulletList,
  code,
  codeBlock,
  em,
  emoji,
  heading,
  link,
  mention,
  orderedList,
  panel,
  paragraph,
  rule,
  strong,
  table,
  text,
  type Block,
  type Doc,
  type Inline,
} from '../confluence/model';

export interface SeedLinks {
  /** Absolute web URL of a page in the same space, by title. */
  page(title: string): string;
}

export type SeedBody = (links: SeedLinks) => Doc;

export interface SeedVersion {
  readonly authorId: string;
  readonly createdAt: number;
  readonly message: string;
  readonly minorEdit: boolean;
  readonly body: SeedBody;
}

export interface SeedComment {
  readonly authorId: string;
  readonly createdAt: number;
  readonly body: Doc;
}

export interface SeedPage {
  readonly title: string;
  /** Index of the parent in the space's page list; null for the home page. */
  readonly parent: number | null;
  readonly status: 'current' | 'archived';
  readonly labels: readonly string[];
  /** Oldest first; the first version's author is the creator. */
  readonly versions: readonly SeedVersion[];
  readonly comments: readonly SeedComment[];
}

export interface SeedBlogPost {
  readonly title: string;
  readonly authorId: string;
  readonly createdAt: number;
  readonly labels: readonly string[];
  readonly body: Doc;
}

export interface SeedSpace {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly authorId: string;
  readonly createdAt: number;
  /** Parents always come before their children; index 0 is the home page. */
  readonly pages: readonly SeedPage[];
  readonly blogPosts: readonly SeedBlogPost[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---- PRNG ----

/** mulberry32: small, fast and good enough for reproducible fake data. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619) >>> 0;
  return h;
}

class Random {
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = createRng(hashString(seed));
  }

  float(): number {
    return this.next();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
}

// ---- page outlines ----

type Kind =
  | 'home'
  | 'section'
  | 'guide'
  | 'runbook'
  | 'adr'
  | 'meeting'
  | 'retro'
  | 'service'
  | 'policy'
  | 'release'
  | 'prd'
  | 'postmortem'
  | 'interview'
  | 'plan';

interface Outline {
  readonly title: string;
  readonly kind: Kind;
  readonly summary: string;
  readonly labels?: readonly string[];
  readonly children?: readonly Outline[];
  readonly archived?: boolean;
}

const o = (
  title: string,
  kind: Kind,
  summary: string,
  labels: readonly string[] = [],
  children: readonly Outline[] = [],
): Outline => ({
  title,
  kind,
  summary,
  labels,
  children,
});

interface SpaceOutline {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly home: Outline;
  readonly blogPosts: readonly { title: string; summary: string; labels: readonly string[] }[];
}

function weekly(prefix: string, count: number, startDay: string, summary: string): Outline[] {
  const base = Date.parse(`${startDay}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(base + i * 7 * DAY).toISOString().slice(0, 10);
    return o(`${date} ${prefix}`, 'meeting', summary, ['meeting-notes']);
  });
}

const ENG: SpaceOutline = {
  key: 'ENG',
  name: 'Engineering Handbook',
  description: 'How Acme builds, ships and runs software: onboarding, architecture, process, runbooks and decisions.',
  blogPosts: [
    {
      title: 'Announcing the new CI pipeline',
      summary: 'Builds are now twice as fast thanks to remote caching and parallel test shards.',
      labels: ['ci', 'announcement'],
    },
    {
      title: 'What we learned migrating to PostgreSQL 16',
      summary: 'Logical replication let us upgrade the billing database with under a minute of write downtime.',
      labels: ['postgresql', 'database'],
    },
    {
      title: 'Engineering offsite recap',
      summary: 'Three days of planning, a hackathon and a very competitive board game night.',
      labels: ['culture'],
    },
  ],
  home: o(
    'Engineering Handbook',
    'home',
    'The single source of truth for how engineering works at Acme.',
    ['handbook'],
    [
      o(
        'Onboarding',
        'section',
        'Everything a new engineer needs in their first two weeks.',
        ['onboarding'],
        [
          o('First Day Checklist', 'guide', 'Accounts, hardware and introductions to get through on your first day.', [
            'onboarding',
            'checklist',
          ]),
          o(
            'Development Environment Setup',
            'guide',
            'Install the toolchain, clone the monorepo and run the stack locally with Docker Compose.',
            ['onboarding', 'how-to'],
            [
              o('macOS Setup', 'guide', 'Homebrew, Xcode command line tools and Colima for containers on macOS.', [
                'how-to',
                'macos',
              ]),
              o('Linux Setup', 'guide', 'Packages, Docker Engine and rootless containers on Ubuntu and Fedora.', [
                'how-to',
                'linux',
              ]),
              o(
                'Windows Setup (WSL)',
                'guide',
                'Developing inside WSL2 with Docker Desktop integration and VS Code Remote.',
                ['how-to', 'windows'],
              ),
            ],
          ),
          o(
            'Access Requests',
            'policy',
            'How to request access to production systems, dashboards and the data warehouse.',
            ['onboarding', 'access'],
          ),
          o('Team Rituals', 'guide', 'Stand-ups, planning, demos and retrospectives: when they happen and why.', [
            'onboarding',
            'process',
          ]),
          o('Glossary', 'service', 'Acronyms and internal names you will hear in your first weeks.', [
            'onboarding',
            'reference',
          ]),
        ],
      ),
      o(
        'Architecture',
        'section',
        'How the platform fits together, from the edge to the databases.',
        ['architecture'],
        [
          o(
            'System Overview',
            'service',
            'A tour of the request path from the CDN through the API gateway to the services.',
            ['architecture', 'overview'],
          ),
          o(
            'Service Catalog',
            'section',
            'Every production service with its owner, repository and on-call rotation.',
            ['architecture', 'services'],
            [
              o(
                'Billing Service',
                'service',
                'Invoices, subscriptions and payment retries; the system of record for money.',
                ['service', 'billing'],
              ),
              o('Identity Service', 'service', 'Sign-in, sessions, OAuth clients and API tokens for every product.', [
                'service',
                'identity',
              ]),
              o(
                'Notification Service',
                'service',
                'Email, push and in-app notifications with per-user preferences and digests.',
                ['service', 'notifications'],
              ),
              o('Search Service', 'service', 'Full-text search over tickets and documents, backed by OpenSearch.', [
                'service',
                'search',
              ]),
            ],
          ),
          o(
            'Data Model',
            'service',
            'The core entities — accounts, workspaces, projects and members — and how they relate.',
            ['architecture', 'data'],
          ),
          o('Event Bus', 'guide', 'Publishing and consuming domain events on Kafka with schemas in the registry.', [
            'architecture',
            'kafka',
            'events',
          ]),
          o('API Gateway', 'service', 'Routing, authentication, rate limiting and request logging at the edge.', [
            'architecture',
            'api',
          ]),
          o('Caching Strategy', 'guide', 'When to cache, where (Redis or CDN) and how we invalidate.', [
            'architecture',
            'redis',
            'performance',
          ]),
        ],
      ),
      o(
        'Development Process',
        'section',
        'How a change travels from an idea to production.',
        ['process'],
        [
          o('Branching Strategy', 'policy', 'Trunk-based development with short-lived branches and feature flags.', [
            'process',
            'git',
          ]),
          o(
            'Code Review Guidelines',
            'policy',
            'What reviewers look for, how fast we respond and how to disagree well.',
            ['process', 'code-review'],
          ),
          o(
            'Release Process',
            'guide',
            'Weekly release trains, canary deployments and the rollback button.',
            ['process', 'release', 'deployment'],
            [
              o(
                'Hotfix Procedure',
                'runbook',
                'Shipping an urgent fix outside the release train without skipping review.',
                ['release', 'hotfix'],
              ),
              o('Release Checklist', 'guide', 'The steps the release captain follows every Tuesday.', [
                'release',
                'checklist',
              ]),
            ],
          ),
          o('Definition of Done', 'policy', 'A story is done when it is tested, documented, deployed and monitored.', [
            'process',
            'quality',
          ]),
          o(
            'Testing Strategy',
            'guide',
            'Unit, contract and end-to-end tests: what belongs where and how much of each.',
            ['process', 'testing'],
          ),
          o('Feature Flags', 'guide', 'Creating, rolling out and cleaning up feature flags.', [
            'process',
            'feature-flags',
          ]),
        ],
      ),
      o(
        'Runbooks',
        'section',
        'Step-by-step procedures for the on-call engineer.',
        ['runbook', 'on-call'],
        [
          o('On-call Handbook', 'guide', 'Expectations, handover, paging etiquette and how to get help at 3am.', [
            'on-call',
          ]),
          o(
            'Incident Response',
            'runbook',
            'Declaring an incident, assigning roles and communicating with customers.',
            ['runbook', 'incident'],
            [
              o('Severity Levels', 'policy', 'SEV1 to SEV4 with examples, response times and who to page.', [
                'incident',
                'reference',
              ]),
              o('Postmortem Template', 'postmortem', 'The blameless postmortem template every SEV1 and SEV2 gets.', [
                'incident',
                'template',
              ]),
            ],
          ),
          o('Database Failover', 'runbook', 'Promoting the PostgreSQL replica when the primary is unhealthy.', [
            'runbook',
            'postgresql',
            'database',
          ]),
          o('Cache Flush', 'runbook', 'Flushing Redis safely without stampeding the databases.', ['runbook', 'redis']),
          o(
            'Rotating Secrets',
            'runbook',
            'Rotating database passwords, API keys and signing certificates with zero downtime.',
            ['runbook', 'security', 'secrets'],
          ),
          o(
            'Scaling the Web Tier',
            'runbook',
            'Adding capacity to the Kubernetes web deployment during traffic spikes.',
            ['runbook', 'kubernetes'],
          ),
          o(
            'Restoring from Backup',
            'runbook',
            'Point-in-time recovery of a PostgreSQL database from the nightly backups.',
            ['runbook', 'backup', 'database'],
          ),
        ],
      ),
      o(
        'Security',
        'section',
        "Keeping customer data safe is everyone's job.",
        ['security'],
        [
          o(
            'Secure Coding Guidelines',
            'policy',
            'Input validation, output encoding, authorization checks and safe defaults.',
            ['security', 'coding'],
          ),
          o(
            'Dependency Policy',
            'policy',
            'Approved licenses, automated updates and how we respond to vulnerable packages.',
            ['security', 'dependencies'],
          ),
          o('Secrets Management', 'guide', 'Storing secrets in Vault and never in the repository.', [
            'security',
            'secrets',
            'vault',
          ]),
          o('Access Control', 'policy', 'Least privilege, quarterly access reviews and break-glass accounts.', [
            'security',
            'access',
          ]),
          o('Vulnerability Disclosure', 'policy', 'How external researchers report issues and how we triage them.', [
            'security',
          ]),
        ],
      ),
      o(
        'Tooling',
        'section',
        'The tools we build and run to make engineers productive.',
        ['tooling'],
        [
          o('CI Pipeline', 'guide', 'How builds, tests and deploys run in CI, and how to debug a red build.', [
            'tooling',
            'ci',
          ]),
          o(
            'Observability Stack',
            'service',
            'Metrics in Prometheus, traces in Tempo, logs in Loki and dashboards in Grafana.',
            ['tooling', 'observability'],
          ),
          o('Logging Conventions', 'policy', 'Structured JSON logs, correlation ids and what never to log.', [
            'tooling',
            'logging',
          ]),
          o('Local Tooling', 'guide', 'Make targets, pre-commit hooks and the dev CLI.', ['tooling', 'how-to']),
          o('Code Generators', 'guide', 'Generating API clients and database models from schemas.', [
            'tooling',
            'codegen',
          ]),
        ],
      ),
      o(
        'Architecture Decision Records',
        'section',
        'Why the platform is the way it is, one decision at a time.',
        ['adr'],
        [
          o('ADR-001 Use PostgreSQL', 'adr', 'PostgreSQL is our default relational database for new services.', [
            'adr',
            'postgresql',
          ]),
          o(
            'ADR-002 Adopt TypeScript',
            'adr',
            'All new frontend and Node.js code is written in TypeScript with strict mode.',
            ['adr', 'typescript'],
          ),
          o(
            'ADR-003 Event Sourcing for Billing',
            'adr',
            'Billing stores an append-only ledger of events instead of mutable balances.',
            ['adr', 'billing', 'events'],
          ),
          o('ADR-004 Feature Flag Service', 'adr', 'We buy rather than build a feature flag service.', [
            'adr',
            'feature-flags',
          ]),
          o('ADR-005 Monorepo', 'adr', 'Services and libraries live in one repository with shared tooling.', [
            'adr',
            'git',
          ]),
        ],
      ),
      {
        ...o(
          'Legacy Deployment Guide',
          'guide',
          'How we deployed with Capistrano before Kubernetes. Kept for history.',
          ['deployment', 'legacy'],
        ),
        archived: true,
      },
    ],
  ),
};

const TEAM: SpaceOutline = {
  key: 'TEAM',
  name: 'Team Space',
  description: 'Meeting notes, plans and projects of the Acme product team.',
  blogPosts: [
    {
      title: 'Welcome to our new teammates',
      summary: 'Please say hello to the three engineers who joined the platform team this month.',
      labels: ['people'],
    },
    {
      title: 'Q3 wins worth celebrating',
      summary: 'Phoenix shipped, churn dropped and support tickets are down a fifth.',
      labels: ['announcement'],
    },
  ],
  home: o(
    'Team Space',
    'home',
    'Where the product team keeps its notes, plans and projects.',
    ['team'],
    [
      o(
        'Meeting Notes',
        'section',
        'Notes from weekly syncs and one-off meetings, newest first.',
        ['meeting-notes'],
        weekly('Weekly Sync', 12, '2026-06-01', 'Weekly team sync: status of Phoenix, hiring and support escalations.'),
      ),
      o(
        'Retrospectives',
        'section',
        'Sprint retrospectives and the actions that came out of them.',
        ['retrospective'],
        Array.from({ length: 6 }, (_, i) =>
          o(`Sprint ${41 + i} Retrospective`, 'retro', `What went well and what to improve in sprint ${41 + i}.`, [
            'retrospective',
          ]),
        ),
      ),
      o(
        'Planning',
        'section',
        'Roadmaps, objectives and the hiring plan.',
        ['planning'],
        [
          o('Q3 Roadmap', 'plan', 'Phoenix launch, self-serve onboarding and the pricing page redesign.', [
            'roadmap',
            'planning',
          ]),
          o('Q4 Roadmap', 'plan', 'Atlas beta, enterprise SSO and reliability work.', ['roadmap', 'planning']),
          o('OKRs 2026', 'plan', 'Objectives and key results for the year with owners and current confidence.', [
            'okr',
            'planning',
          ]),
          o('Hiring Plan', 'plan', 'Open roles, interview loops and target start dates.', ['hiring']),
          o('Team Charter', 'policy', 'Our mission, what we own and how we make decisions.', ['team']),
        ],
      ),
      o(
        'How We Work',
        'section',
        'Agreements that keep a distributed team in sync.',
        ['process'],
        [
          o('Working Agreements', 'policy', 'Core hours, response times and how we use chat versus documents.', [
            'process',
          ]),
          o(
            'Communication Guidelines',
            'policy',
            'Which channel to use for what, and writing updates people can skim.',
            ['process', 'communication'],
          ),
          o('Meeting Etiquette', 'policy', 'Every meeting has an agenda, notes and an owner; cameras optional.', [
            'process',
            'meetings',
          ]),
          o('Time Off Policy', 'policy', 'Booking vacation, public holidays across time zones and covering on-call.', [
            'people',
          ]),
          o('Decision Log', 'service', 'Decisions the team made, who made them and where the discussion lives.', [
            'decisions',
          ]),
        ],
      ),
      o(
        'Projects',
        'section',
        'One page tree per project with requirements, timeline and risks.',
        ['project'],
        [
          o(
            'Project Phoenix',
            'prd',
            'Rebuilding the onboarding flow so new workspaces are productive in five minutes.',
            ['project', 'phoenix'],
            [
              o(
                'Phoenix Requirements',
                'prd',
                'Functional and non-functional requirements for the new onboarding flow.',
                ['phoenix', 'requirements'],
              ),
              o('Phoenix Timeline', 'plan', 'Milestones from discovery to general availability.', [
                'phoenix',
                'timeline',
              ]),
              o('Phoenix Risks', 'plan', 'Risks, their likelihood and what we do about them.', ['phoenix', 'risk']),
              o('Phoenix Launch Retrospective', 'retro', 'What we learned shipping Phoenix to all customers.', [
                'phoenix',
                'retrospective',
              ]),
            ],
          ),
          o(
            'Project Atlas',
            'prd',
            'A public API and webhooks so customers can automate their workspaces.',
            ['project', 'atlas'],
            [
              o('Atlas API Design', 'service', 'Resource model, pagination and error format of the public API.', [
                'atlas',
                'api',
              ]),
              o('Atlas Beta Customers', 'plan', 'Who is in the beta, what they are building and how to reach them.', [
                'atlas',
                'customers',
              ]),
              o('Atlas Open Questions', 'plan', 'Decisions still to make before the beta opens.', ['atlas']),
            ],
          ),
          o(
            'Project Nimbus',
            'prd',
            'Moving file storage to a new object store with regional data residency.',
            ['project', 'nimbus'],
            [
              o(
                'Nimbus Migration Plan',
                'plan',
                'Copying twelve terabytes of attachments region by region without downtime.',
                ['nimbus', 'migration'],
              ),
              o('Nimbus Cost Model', 'plan', 'Storage, egress and request costs before and after the move.', [
                'nimbus',
                'cost',
              ]),
            ],
          ),
        ],
      ),
      o(
        'Social',
        'section',
        'The fun stuff.',
        ['social'],
        [
          o('Offsite 2026', 'plan', 'Lisbon, three days in September: agenda, travel and rooms.', [
            'social',
            'offsite',
          ]),
          o('Book Club', 'service', 'What we are reading and what we thought of it.', ['social']),
          o('Welcome New Joiners', 'guide', 'A warm welcome and a buddy for everyone who joins the team.', [
            'people',
            'onboarding',
          ]),
          o('Lunch and Learn Sessions', 'plan', 'Monthly talks by teammates: schedule, topics and recordings.', [
            'social',
            'learning',
          ]),
          o('Volunteering Day', 'plan', 'Our yearly volunteering day: charities, sign-up sheet and logistics.', [
            'social',
          ]),
        ],
      ),
    ],
  ),
};

const OPS: SpaceOutline = {
  key: 'OPS',
  name: 'Operations',
  description: 'Globex infrastructure, runbooks, incidents and monitoring.',
  blogPosts: [
    {
      title: 'Kubernetes 1.31 upgrade complete',
      summary: 'All production clusters now run 1.31; node pools were replaced with zero customer impact.',
      labels: ['kubernetes', 'announcement'],
    },
    {
      title: 'Reducing alert fatigue',
      summary: 'We deleted forty noisy alerts and paging volume fell by half.',
      labels: ['monitoring', 'on-call'],
    },
  ],
  home: o(
    'Operations',
    'home',
    'Globex operations: keep the lights on, measure everything, write it down.',
    ['ops'],
    [
      o(
        'Infrastructure',
        'section',
        'The platform everything runs on.',
        ['infrastructure'],
        [
          o(
            'Kubernetes Clusters',
            'service',
            'Three regional EKS clusters with separate node pools for web, workers and batch.',
            ['kubernetes', 'infrastructure'],
            [
              o('Node Pools', 'service', 'Instance types, autoscaling limits and taints of each node pool.', [
                'kubernetes',
              ]),
              o(
                'Cluster Upgrades',
                'runbook',
                'Upgrading a cluster one minor version at a time with surge node pools.',
                ['kubernetes', 'upgrade'],
              ),
            ],
          ),
          o('Service Mesh', 'guide', 'Mutual TLS, retries and traffic shifting with the service mesh.', [
            'networking',
            'tls',
          ]),
          o('Container Registry', 'service', 'Where images live, retention rules and image signing.', [
            'infrastructure',
            'security',
          ]),
          o('Bastion Hosts', 'policy', 'Short-lived SSH access through the bastion, with session recording.', [
            'security',
            'access',
          ]),
          o('Networking', 'service', 'VPC layout, peering, NAT gateways and private endpoints.', ['networking']),
          o('DNS', 'service', 'Route 53 zones, delegated subdomains and TTL conventions.', ['dns', 'networking']),
          o('Load Balancers', 'service', 'Application load balancers, TLS certificates and health checks.', [
            'networking',
            'tls',
          ]),
          o('Storage', 'service', 'EBS volumes, S3 buckets and lifecycle rules for logs and backups.', ['storage']),
          o(
            'Terraform Modules',
            'guide',
            'Reusable modules for services, databases and queues, and how to release them.',
            ['terraform', 'infrastructure'],
          ),
        ],
      ),
      o(
        'Runbooks',
        'section',
        'Procedures for the on-call engineer, tested every quarter.',
        ['runbook'],
        [
          ['Node Not Ready', 'A Kubernetes node stops reporting and pods are evicted.', ['kubernetes']],
          ['Disk Pressure', 'Nodes or database volumes running out of disk space.', ['storage']],
          ['High Error Rate', 'The 5xx rate on the edge exceeds the alert threshold.', ['alerts']],
          ['Queue Backlog', 'Worker queues grow faster than consumers can drain them.', ['queues']],
          ['Certificate Expiry', 'A TLS certificate is close to expiry or was not renewed.', ['tls']],
          ['DNS Resolution Failures', 'Services cannot resolve internal or external hostnames.', ['dns']],
          [
            'Database Connection Exhaustion',
            'PostgreSQL refuses connections because the pool is exhausted.',
            ['database', 'postgresql'],
          ],
          ['Memory Leak Mitigation', 'A deployment is OOM-killed repeatedly after a release.', ['kubernetes']],
          ['Rollback a Deployment', 'Rolling back a bad release with Argo CD.', ['deployment']],
          [
            'Restore S3 Object Versions',
            'Recovering deleted or overwritten objects from versioned buckets.',
            ['storage', 'backup'],
          ],
          ['Rotate Access Keys', 'Rotating IAM access keys used by CI and integrations.', ['security', 'secrets']],
          [
            'Failover to Secondary Region',
            'Moving traffic to the secondary region during a regional outage.',
            ['disaster-recovery'],
          ],
        ].map(([title, summary, labels]) =>
          o(title as string, 'runbook', summary as string, ['runbook', ...(labels as string[])]),
        ),
      ),
      o(
        'Incidents',
        'section',
        'Blameless postmortems for every SEV1 and SEV2.',
        ['incident'],
        Array.from({ length: 10 }, (_, i) => {
          const topics = [
            'Checkout latency spike',
            'Login outage',
            'Delayed email delivery',
            'Search index corruption',
            'Partial API outage',
            'Webhook retries storm',
            'Expired certificate on CDN',
            'Database failover took too long',
            'Cache stampede after deploy',
            'Data export jobs stuck',
          ];
          const n = String(i + 1).padStart(3, '0');
          return o(
            `INC-2026-${n} ${topics[i]!}`,
            'postmortem',
            `Postmortem for INC-2026-${n}: ${topics[i]!.toLowerCase()}.`,
            ['incident', 'postmortem'],
          );
        }),
      ),
      o(
        'Monitoring',
        'section',
        'What we measure, what pages and what is just a dashboard.',
        ['monitoring'],
        [
          o('Alert Catalog', 'service', 'Every paging alert with its query, threshold and runbook.', [
            'monitoring',
            'alerts',
          ]),
          o('Dashboards', 'service', 'The Grafana dashboards worth bookmarking.', ['monitoring', 'grafana']),
          o(
            'Service Level Objectives',
            'section',
            'Availability and latency objectives per service, with error budgets.',
            ['monitoring', 'slo'],
            ['Checkout', 'Login', 'Search', 'Public API', 'Email Delivery'].map((svc) =>
              o(
                `${svc} SLO`,
                'service',
                `Availability and latency objectives for ${svc.toLowerCase()} with the current error budget.`,
                ['slo'],
              ),
            ),
          ),
          o('On-call Rotation', 'policy', 'Weekly rotations, handover on Mondays and compensation.', ['on-call']),
        ],
      ),
      o(
        'Change Management',
        'section',
        'How production changes are planned, approved and communicated.',
        ['change-management'],
        [
          o('Change Calendar', 'plan', 'Freeze windows, maintenance windows and planned migrations.', [
            'change-management',
          ]),
          o('Emergency Changes', 'policy', 'When an emergency change is justified and who approves it.', [
            'change-management',
          ]),
          o('Change Review Board', 'meeting', 'Weekly review of risky production changes and their rollback plans.', [
            'change-management',
            'meeting-notes',
          ]),
          o('Maintenance Announcements', 'guide', 'Templates and timing for telling customers about maintenance.', [
            'communication',
          ]),
        ],
      ),
    ],
  ),
};

const PRD_CHILDREN: Record<string, readonly Outline[]> = {
  'Reporting 2.0': [
    o('Reporting 2.0 Wireframes', 'prd', 'Wireframes for the report builder, filters and scheduled exports.', [
      'reporting',
      'design',
    ]),
    o('Reporting 2.0 Success Metrics', 'plan', 'How we will measure adoption and satisfaction with custom reports.', [
      'reporting',
      'metrics',
    ]),
  ],
  'Single Sign-On': [
    o('SSO Provider Matrix', 'service', 'Okta, Entra ID, Google Workspace and OneLogin: what each supports.', [
      'sso',
      'security',
    ]),
  ],
};

const PROD: SpaceOutline = {
  key: 'PROD',
  name: 'Product Management',
  description: 'Globex product roadmap, requirements, research and release notes.',
  blogPosts: [
    {
      title: 'Our product principles',
      summary: 'Five principles that guide every decision we make about the product.',
      labels: ['principles'],
    },
    {
      title: 'Customer advisory board highlights',
      summary: 'What twelve of our biggest customers told us about reporting and permissions.',
      labels: ['research', 'customers'],
    },
  ],
  home: o(
    'Product Management',
    'home',
    'The why and what of the Globex product.',
    ['product'],
    [
      o(
        'Roadmap',
        'section',
        'Where the product is going this year.',
        ['roadmap'],
        [
          o('2026 H1 Roadmap', 'plan', 'Reporting 2.0, granular permissions and the mobile app refresh.', ['roadmap']),
          o('2026 H2 Roadmap', 'plan', 'Automation rules, marketplace integrations and usage-based pricing.', [
            'roadmap',
          ]),
          o('Themes and Bets', 'plan', 'The three bets we are making and how we will know if they paid off.', [
            'strategy',
          ]),
          o('Pricing and Packaging', 'plan', 'Plans, price points and which features sit in which tier.', [
            'pricing',
            'strategy',
          ]),
        ],
      ),
      o(
        'Design System',
        'section',
        'The building blocks of the Globex interface.',
        ['design'],
        [
          o(
            'Design Principles',
            'policy',
            'Clarity over cleverness, consistency over novelty, accessible by default.',
            ['design'],
          ),
          o('Color and Typography', 'service', 'Color tokens, type scale and how to use them in code.', [
            'design',
            'tokens',
          ]),
          o('Components', 'service', 'Buttons, forms, tables and dialogs with usage guidance.', [
            'design',
            'components',
          ]),
          o(
            'Accessibility Checklist',
            'guide',
            'Keyboard navigation, contrast, focus order and screen reader labels.',
            ['design', 'accessibility'],
          ),
        ],
      ),
      o(
        'Product Requirements',
        'section',
        'One requirements document per initiative.',
        ['prd'],
        [
          ['Reporting 2.0', 'Custom reports with filters, grouping and scheduled exports.'],
          ['Granular Permissions', 'Roles and permissions at the project level, not just the workspace.'],
          ['Mobile App Refresh', 'A faster mobile app with offline support and push notifications.'],
          ['Automation Rules', 'If-this-then-that rules triggered by events in a workspace.'],
          ['Marketplace Integrations', 'A directory of third-party integrations with one-click install.'],
          ['Usage-based Pricing', 'Charging by active usage instead of seats for the team plan.'],
          ['Audit Log', 'A searchable audit log of administrative actions for enterprise customers.'],
          ['Single Sign-On', 'SAML and OIDC single sign-on with just-in-time provisioning.'],
          ['Data Export API', 'Bulk export of workspace data in CSV and JSON.'],
          ['In-app Onboarding Tours', 'Guided tours that teach new users the core workflow.'],
        ].map(([title, summary]) =>
          o(`PRD: ${title}`, 'prd', summary!, ['prd', 'requirements'], PRD_CHILDREN[title!] ?? []),
        ),
      ),
      o(
        'Customer Research',
        'section',
        'Interview notes and synthesis from customer research.',
        ['research'],
        [
          'Northwind Traders',
          'Initech',
          'Umbrella Corp',
          'Hooli',
          'Stark Industries',
          'Wayne Enterprises',
          'Wonka Industries',
          'Cyberdyne Systems',
        ].map((customer) =>
          o(
            `Interview: ${customer}`,
            'interview',
            `Customer interview with ${customer} about reporting, permissions and pricing.`,
            ['research', 'interview'],
          ),
        ),
      ),
      o(
        'Release Notes',
        'section',
        'What shipped, release by release.',
        ['release-notes'],
        Array.from({ length: 10 }, (_, i) =>
          o(
            `Release 3.${i}`,
            'release',
            `Release notes for version 3.${i}: new features, improvements and bug fixes.`,
            ['release-notes'],
          ),
        ),
      ),
      o(
        'Competitive Analysis',
        'section',
        'How we compare and where we win.',
        ['competition'],
        ['Acme Cloud', 'Initrode Suite', 'Massive Dynamic', 'Soylent Workspace', 'Vandelay Tracker'].map((name) =>
          o(`Competitor: ${name}`, 'service', `Strengths, weaknesses and pricing of ${name} compared with Globex.`, [
            'competition',
          ]),
        ),
      ),
    ],
  ),
};

const OUTLINES: Record<string, readonly SpaceOutline[]> = {
  acme: [ENG, TEAM],
  globex: [OPS, PROD],
};

/** Space outlines for a site; unknown sites get a copy of Acme's so every site has content. */
function outlinesFor(siteName: string): readonly SpaceOutline[] {
  return OUTLINES[siteName] ?? OUTLINES['acme']!;
}

// ---- content building blocks ----

const CODE_SAMPLES: Record<string, readonly [string, string][]> = {
  setup: [
    [
      'bash',
      'brew install node@24 pnpm postgresql@16 redis\ngit clone git@github.com:acme/platform.git\ncd platform && pnpm install\nmake dev',
    ],
    [
      'bash',
      'sudo apt-get update\nsudo apt-get install -y build-essential docker.io\nsudo usermod -aG docker "$USER"\nnewgrp docker',
    ],
  ],
  kubernetes: [
    [
      'bash',
      'kubectl -n web get pods -o wide\nkubectl -n web describe pod "$POD"\nkubectl -n web logs "$POD" --previous --tail=200',
    ],
    [
      'bash',
      'kubectl -n web scale deployment/web --replicas=24\nkubectl -n web rollout status deployment/web --timeout=5m',
    ],
    [
      'yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  minReplicas: 6\n  maxReplicas: 40\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 65',
    ],
  ],
  database: [
    [
      'sql',
      "SELECT pid, usename, state, now() - query_start AS runtime, left(query, 80)\nFROM pg_stat_activity\nWHERE state <> 'idle'\nORDER BY runtime DESC\nLIMIT 20;",
    ],
    ['bash', 'pg_ctl promote -D /var/lib/postgresql/16/main\npsql -c "SELECT pg_is_in_recovery();"'],
  ],
  typescript: [
    [
      'typescript',
      "import { z } from 'zod';\n\nexport const Invoice = z.object({\n  id: z.string().uuid(),\n  amountCents: z.number().int().nonnegative(),\n  currency: z.enum(['EUR', 'USD', 'GBP']),\n  dueAt: z.string().datetime(),\n});\n\nexport type Invoice = z.infer<typeof Invoice>;",
    ],
    [
      'typescript',
      'export async function withRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {\n  let delay = 500;\n  for (let i = 1; ; i++) {\n    try {\n      return await fn();\n    } catch (error) {\n      if (i >= attempts) throw error;\n      await new Promise((r) => setTimeout(r, delay));\n      delay *= 2;\n    }\n  }\n}',
    ],
  ],
  ci: [
    [
      'yaml',
      'name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        shard: [1, 2, 3, 4]\n    steps:\n      - uses: actions/checkout@v4\n      - run: pnpm install --frozen-lockfile\n      - run: pnpm test -- --shard=${{ matrix.shard }}/4',
    ],
  ],
  api: [
    [
      'json',
      '{\n  "id": "wsp_01HZX3",\n  "name": "Design team",\n  "plan": "business",\n  "members": 42,\n  "_links": { "self": "/v1/workspaces/wsp_01HZX3" }\n}',
    ],
    [
      'bash',
      'curl -s -H "Authorization: Bearer $TOKEN" \\\n  "https://api.example.com/v1/projects?limit=50&cursor=$CURSOR" | jq .',
    ],
  ],
  redis: [
    [
      'bash',
      'redis-cli --scan --pattern "session:*" | head\nredis-cli -n 2 FLUSHDB ASYNC\nredis-cli INFO stats | grep evicted_keys',
    ],
  ],
  secrets: [
    [
      'bash',
      'vault kv get secret/billing/postgres\nvault kv put secret/billing/postgres password="$(openssl rand -base64 32)"\nkubectl -n billing rollout restart deployment/billing',
    ],
  ],
  terraform: [
    [
      'hcl',
      'module "orders_queue" {\n  source  = "git::ssh://git@github.com/globex/terraform-modules.git//sqs?ref=v2.4.0"\n  name    = "orders"\n  dlq     = true\n  retention_seconds = 1209600\n}',
    ],
  ],
  git: [
    [
      'bash',
      'git switch -c feat/ENG-1234-invoice-export\ngit commit -m "ENG-1234: export invoices as CSV"\ngit push -u origin HEAD',
    ],
  ],
  python: [
    [
      'python',
      'import csv\nimport sys\n\nwriter = csv.writer(sys.stdout)\nwriter.writerow(["customer", "plan", "seats"])\nfor row in export_rows(limit=1000):\n    writer.writerow([row.customer, row.plan, row.seats])',
    ],
  ],
};

const LABEL_TO_CODE: Record<string, string> = {
  kubernetes: 'kubernetes',
  postgresql: 'database',
  database: 'database',
  backup: 'database',
  redis: 'redis',
  secrets: 'secrets',
  vault: 'secrets',
  security: 'secrets',
  ci: 'ci',
  terraform: 'terraform',
  git: 'git',
  typescript: 'typescript',
  api: 'api',
  atlas: 'api',
  billing: 'typescript',
  'how-to': 'setup',
  onboarding: 'setup',
  macos: 'setup',
  linux: 'setup',
  windows: 'setup',
  deployment: 'kubernetes',
  release: 'git',
  storage: 'database',
  tls: 'kubernetes',
  dns: 'kubernetes',
  queues: 'kubernetes',
  alerts: 'kubernetes',
  codegen: 'typescript',
  testing: 'typescript',
  'feature-flags': 'typescript',
  events: 'typescript',
  kafka: 'typescript',
  data: 'python',
};

function codeFor(labels: readonly string[], rng: Random): [string, string] {
  const topic =
    labels.map((l) => LABEL_TO_CODE[l]).find((t) => t !== undefined) ?? rng.pick(['typescript', 'api', 'python', 'ci']);
  return rng.pick(CODE_SAMPLES[topic]!);
}

const EXTERNAL_LINKS: readonly [string, string][] = [
  ['PostgreSQL documentation', 'https://www.postgresql.org/docs/16/index.html'],
  ['Kubernetes documentation', 'https://kubernetes.io/docs/home/'],
  ['Google SRE book', 'https://sre.google/sre-book/table-of-contents/'],
  ['Twelve-Factor App', 'https://12factor.net/'],
  ['OWASP Top Ten', 'https://owasp.org/www-project-top-ten/'],
  ['Conventional Commits', 'https://www.conventionalcommits.org/en/v1.0.0/'],
];

interface BuildContext {
  readonly outline: Outline;
  readonly spaceName: string;
  readonly rng: Random;
  readonly owner: SandboxUser;
  readonly people: readonly SandboxUser[];
  readonly links: SeedLinks;
  /** Titles of the outline's children (for section and home pages). */
  readonly childTitles: readonly string[];
  readonly parentTitle: string | null;
  /** When false the body is an earlier, shorter draft. */
  readonly complete: boolean;
}

const who = (u: SandboxUser): Inline => mention(u.accountId, u.displayName);

function pageLinkList(ctx: BuildContext, titles: readonly string[]): Block {
  return bulletList(...titles.map((t) => [paragraph(link(t, ctx.links.page(t)))]));
}

function related(ctx: BuildContext): Block[] {
  const out: Block[] = [heading(2, 'Related')];
  const items: Block[][] = [];
  if (ctx.parentTitle)
    items.push([paragraph(text('Back to '), link(ctx.parentTitle, ctx.links.page(ctx.parentTitle)))]);
  const [label, href] = ctx.rng.pick(EXTERNAL_LINKS);
  items.push([paragraph(link(label, href))]);
  out.push(bulletList(...items));
  return out;
}

function buildBody(ctx: BuildContext): Doc {
  const build = BUILDERS[ctx.outline.kind];
  const blocks = build(ctx);
  // Earlier versions are the same page before its last sections were written.
  return ctx.complete ? blocks : blocks.slice(0, Math.max(2, Math.ceil(blocks.length / 2)));
}

const BUILDERS: Record<Kind, (ctx: BuildContext) => Block[]> = {
  home: (ctx) => [
    heading(1, `Welcome to the ${ctx.spaceName}`),
    paragraph(text(ctx.outline.summary), text(' '), emoji(':wave:')),
    panel(
      'info',
      paragraph(
        text('This space is maintained by '),
        who(ctx.owner),
        text('. Spotted something out of date? Fix it or leave a comment — every page has an owner.'),
      ),
    ),
    heading(2, 'Start here'),
    pageLinkList(ctx, ctx.childTitles),
    heading(2, 'Conventions'),
    bulletList(
      [
        paragraph(
          text('Every page has an '),
          strong('owner'),
          text(' and a '),
          strong('last reviewed'),
          text(' date.'),
        ),
      ],
      [
        paragraph(text('Use labels so pages show up in search:')),
        bulletList(
          [paragraph(code('how-to'), text(' for guides'))],
          [paragraph(code('runbook'), text(' for on-call procedures'))],
          [paragraph(code('adr'), text(' for decisions'))],
        ),
      ],
      [paragraph(text('Prefer links over copies: '), em('one fact, one place'), text('.'))],
    ),
  ],

  section: (ctx) => [
    paragraph(text(ctx.outline.summary)),
    heading(2, 'In this section'),
    pageLinkList(ctx, ctx.childTitles),
    heading(2, 'Page owners'),
    table(
      ['Page', 'Owner', 'Last reviewed'],
      ctx.childTitles
        .slice(0, 6)
        .map((t, i) => [
          [link(t, ctx.links.page(t))],
          [who(ctx.people[i % ctx.people.length]!)],
          `2026-${String(((i * 3) % 9) + 1).padStart(2, '0')}-15`,
        ]),
    ),
    panel('note', paragraph(text('Pages in this section are reviewed every quarter. '), emoji(':calendar:'))),
  ],

  guide: (ctx) => {
    const [language, sample] = codeFor(ctx.outline.labels ?? [], ctx.rng);
    const helper = ctx.rng.pick(ctx.people);
    return [
      paragraph(text(ctx.outline.summary)),
      panel(
        'info',
        paragraph(
          strong('Audience: '),
          text('engineers at any level. Reading time about '),
          text(`${ctx.rng.int(4, 15)} minutes.`),
        ),
      ),
      heading(2, 'Before you start'),
      bulletList(
        [paragraph(text('A working laptop with the standard image'))],
        [
          paragraph(text('Access to the '), code('platform'), text(' repository')),
          bulletList(
            [
              paragraph(
                text('Request it in '),
                link('Access Requests', ctx.links.page('Access Requests')),
                text(' if you do not have it'),
              ),
            ],
            [paragraph(text('SSH key registered with your account'))],
          ),
        ],
        [paragraph(text('About half an hour of uninterrupted time'))],
      ),
      heading(2, 'Steps'),
      orderedList(
        [paragraph(text('Read the whole page once before running anything.'))],
        [paragraph(text('Run the commands below from the repository root:')), codeBlock(language, sample)],
        [
          paragraph(text('Check the result:')),
          bulletList(
            [paragraph(text('The command exits with status '), code('0'))],
            [paragraph(text('No new warnings in the logs'))],
          ),
        ],
        [paragraph(text('Tell the team in the channel once you are done '), emoji(':white_check_mark:'))],
      ),
      panel(
        'warning',
        paragraph(strong('Careful: '), text('never paste secrets or customer data into tickets, chat or this wiki.')),
      ),
      heading(2, 'Troubleshooting'),
      table(
        ['Symptom', 'Likely cause', 'Fix'],
        [
          ['Command not found', 'Tool missing from PATH', 'Re-run the installer and open a new shell'],
          ['Permission denied', 'Missing group membership', 'Ask your manager to approve the access request'],
          ['Timeouts', 'VPN disconnected', 'Reconnect to the VPN and retry'],
        ],
      ),
      paragraph(text('Still stuck? Ask '), who(helper), text(' — they wrote most of this page. '), emoji(':smile:')),
      ...related(ctx),
    ];
  },

  runbook: (ctx) => {
    const [language, sample] = codeFor(ctx.outline.labels ?? [], ctx.rng);
    const [primary, secondary] = ctx.rng.sample(ctx.people, 2);
    return [
      panel('error', paragraph(strong('Impact: '), text(ctx.outline.summary))),
      heading(2, 'Symptoms'),
      bulletList(
        [paragraph(text('Paging alert fires for the affected service'))],
        [
          paragraph(text('Error rate or latency dashboards show a step change')),
          bulletList(
            [paragraph(text('Check the '), em('golden signals'), text(' dashboard first'))],
            [paragraph(text('Compare with the same hour last week'))],
          ),
        ],
        [paragraph(text('Customers report failures through support'))],
      ),
      heading(2, 'Diagnosis'),
      paragraph(text('Confirm what is happening before you change anything:')),
      codeBlock(language, sample),
      heading(2, 'Mitigation'),
      orderedList(
        [paragraph(text('Declare an incident if customers are affected for more than five minutes.'))],
        [paragraph(text('Apply the mitigation above and watch the dashboards for ten minutes.'))],
        [paragraph(text('If the situation does not improve, escalate (see below).'))],
        [paragraph(text('Write down every action with a timestamp in the incident channel.'))],
      ),
      heading(2, 'Escalation'),
      table(
        ['Level', 'Who', 'When'],
        [
          ['Primary', [who(primary!)], 'Immediately'],
          ['Secondary', [who(secondary!)], 'After 15 minutes without progress'],
          ['Engineering manager', 'Via the paging tool', 'SEV1 or customer data at risk'],
        ],
      ),
      panel('success', paragraph(text('This runbook was last tested in a game day. '), emoji(':thumbsup:'))),
      ...related(ctx),
    ];
  },

  adr: (ctx) => {
    const [language, sample] = codeFor(ctx.outline.labels ?? [], ctx.rng);
    const deciders = ctx.rng.sample(ctx.people, 3);
    return [
      table(
        ['Status', 'Deciders', 'Date'],
        [['Accepted', deciders.flatMap((u, i) => (i === 0 ? [who(u)] : [text(', '), who(u)])), '2026-03-12']],
      ),
      heading(2, 'Context'),
      paragraph(
        text(ctx.outline.summary),
        text(' The alternatives were discussed over two weeks in the architecture forum.'),
      ),
      heading(2, 'Decision'),
      paragraph(strong(ctx.outline.summary)),
      heading(2, 'Consequences'),
      bulletList(
        [
          paragraph(strong('Positive')),
          bulletList(
            [paragraph(text('One well-understood default for new work'))],
            [paragraph(text('Shared tooling and expertise'))],
          ),
        ],
        [
          paragraph(strong('Negative')),
          bulletList(
            [paragraph(text('Migration cost for existing services'))],
            [paragraph(text('Less freedom for individual teams'))],
          ),
        ],
      ),
      heading(2, 'Example'),
      codeBlock(language, sample),
      ...related(ctx),
    ];
  },

  meeting: (ctx) => {
    const attendees = ctx.rng.sample(ctx.people, ctx.rng.int(3, 5));
    const [a, b] = ctx.rng.sample(attendees, 2);
    return [
      heading(2, 'Date'),
      paragraph(text(/^\d{4}-\d\d-\d\d/.exec(ctx.outline.title)?.[0] ?? 'Every Tuesday, 15:00 UTC')),
      heading(2, 'Attendees'),
      bulletList(...attendees.map((u) => [paragraph(who(u))])),
      heading(2, 'Agenda'),
      orderedList(
        [paragraph(text('Project Phoenix status'))],
        [paragraph(text('Hiring update'))],
        [paragraph(text('Support escalations'))],
      ),
      heading(2, 'Discussion'),
      table(
        ['Item', 'Who', 'Notes'],
        [
          [
            'Phoenix',
            [who(a!)],
            ctx.rng.pick([
              'On track for the launch date.',
              'One week behind; scope cut agreed.',
              'Beta feedback is positive.',
            ]),
          ],
          [
            'Hiring',
            [who(b!)],
            ctx.rng.pick(['Two offers out.', 'Interview loop updated.', 'Pipeline is thin for backend roles.']),
          ],
          [
            'Support',
            'Team',
            ctx.rng.pick(['Escalations down this week.', 'Two customers hit the export bug.', 'No new escalations.']),
          ],
        ],
      ),
      heading(2, 'Action items'),
      bulletList(
        [paragraph(who(a!), text(' to share the updated timeline '), emoji(':white_check_mark:'))],
        [paragraph(who(b!), text(' to schedule the next round of interviews'))],
      ),
    ];
  },

  retro: (ctx) => [
    paragraph(text(ctx.outline.summary)),
    panel(
      'success',
      heading(3, 'What went well'),
      bulletList(
        [paragraph(text('Shipped everything we committed to '), emoji(':tada:'))],
        [paragraph(text('Pairing on the hard bugs'))],
      ),
    ),
    panel(
      'warning',
      heading(3, 'What could be better'),
      bulletList(
        [paragraph(text('Too many meetings mid-sprint'))],
        [paragraph(text('Flaky end-to-end tests slowed reviews'))],
      ),
    ),
    heading(2, 'Actions'),
    table(
      ['Action', 'Owner', 'Due'],
      [
        ['Quarantine flaky tests', [who(ctx.rng.pick(ctx.people))], 'Next sprint'],
        ['Meeting-free Wednesdays', [who(ctx.owner)], 'Immediately'],
      ],
    ),
  ],

  service: (ctx) => {
    const [language, sample] = codeFor(ctx.outline.labels ?? [], ctx.rng);
    const oncall = ctx.rng.pick(ctx.people);
    return [
      paragraph(text(ctx.outline.summary)),
      table(
        ['Property', 'Value'],
        [
          ['Owner', [who(ctx.owner)]],
          ['On-call', [who(oncall)]],
          [
            'Repository',
            [
              link(
                `github.com/${ctx.spaceName.split(' ')[0]!.toLowerCase()}/${slug(ctx.outline.title)}`,
                `https://github.com/example/${slug(ctx.outline.title)}`,
              ),
            ],
          ],
          ['Tier', ctx.rng.pick(['Tier 1', 'Tier 2', 'Tier 3'])],
        ],
      ),
      heading(2, 'Overview'),
      bulletList(
        [paragraph(text('Runs in all production regions'))],
        [
          paragraph(text('Depends on:')),
          bulletList([paragraph(text('PostgreSQL'))], [paragraph(text('Redis'))], [paragraph(text('The event bus'))]),
        ],
      ),
      heading(2, 'Example'),
      codeBlock(language, sample),
      panel('info', paragraph(text('Changes to this page need a review from the owner.'))),
      ...related(ctx),
    ];
  },

  policy: (ctx) => [
    paragraph(text(ctx.outline.summary)),
    panel('note', paragraph(strong('Policy owner: '), who(ctx.owner), text('. Reviewed twice a year.'))),
    heading(2, 'Principles'),
    orderedList(
      [paragraph(text('Make the safe way the easy way.'))],
      [paragraph(text('Write it down; decisions made in chat are forgotten.'))],
      [
        paragraph(
          text('Exceptions are allowed, but they are '),
          strong('recorded'),
          text(' and '),
          strong('time-boxed'),
          text('.'),
        ),
      ],
    ),
    heading(2, 'Rules'),
    bulletList(
      [paragraph(text('Applies to every team and every environment'))],
      [
        paragraph(text('Exceptions:')),
        bulletList([paragraph(text('Approved by the policy owner'))], [paragraph(text('Reviewed after 90 days'))]),
      ],
    ),
    heading(2, 'FAQ'),
    table(
      ['Question', 'Answer'],
      [
        ['Does this apply to contractors?', 'Yes, from their first day.'],
        ['Who can grant an exception?', 'The policy owner or their delegate.'],
      ],
    ),
  ],

  release: (ctx) => [
    paragraph(text(ctx.outline.summary), text(' '), emoji(':rocket:')),
    heading(2, 'New features'),
    bulletList(
      [paragraph(strong('Scheduled exports'), text(' — send any report by email every week'))],
      [paragraph(strong('Keyboard shortcuts'), text(' — press '), code('?'), text(' to see them all'))],
    ),
    heading(2, 'Improvements'),
    bulletList(
      [paragraph(text('Search results load 40% faster'))],
      [paragraph(text('Clearer error messages when an import fails'))],
    ),
    heading(2, 'Bug fixes'),
    table(
      ['Key', 'Summary'],
      [
        [`GLX-${ctx.rng.int(100, 999)}`, 'Dates shown in the wrong time zone on the calendar'],
        [`GLX-${ctx.rng.int(100, 999)}`, 'CSV export missed the last row'],
      ],
    ),
  ],

  prd: (ctx) => {
    const [pm, eng] = ctx.rng.sample(ctx.people, 2);
    return [
      table(
        ['Document owner', 'Engineering lead', 'Status'],
        [[[who(pm!)], [who(eng!)], ctx.rng.pick(['Draft', 'In review', 'Approved'])]],
      ),
      heading(2, 'Problem'),
      paragraph(text(ctx.outline.summary)),
      heading(2, 'Goals'),
      bulletList(
        [paragraph(text('Measurable improvement in activation'))],
        [paragraph(text('No increase in support volume'))],
      ),
      heading(2, 'Requirements'),
      table(
        ['#', 'Requirement', 'Priority'],
        [
          ['1', 'Works for workspaces of any size', 'Must have'],
          ['2', 'Accessible with keyboard and screen readers', 'Must have'],
          ['3', 'Admins can turn it off', 'Should have'],
        ],
      ),
      heading(2, 'User stories'),
      orderedList(
        [paragraph(text('As a '), em('new admin'), text(', I want to invite my team in one step.'))],
        [paragraph(text('As a '), em('member'), text(', I want to see what changed since my last visit.'))],
      ),
      panel('info', paragraph(text('Open questions are tracked at the bottom of this page. '), emoji(':bulb:'))),
      heading(2, 'Open questions'),
      bulletList([paragraph(text('Do we need a migration path for existing customers?'))]),
    ];
  },

  postmortem: (ctx) => {
    const [commander, scribe] = ctx.rng.sample(ctx.people, 2);
    return [
      panel('warning', paragraph(strong('Summary: '), text(ctx.outline.summary))),
      table(
        ['Severity', 'Incident commander', 'Scribe', 'Duration'],
        [[ctx.rng.pick(['SEV1', 'SEV2']), [who(commander!)], [who(scribe!)], `${ctx.rng.int(18, 190)} minutes`]],
      ),
      heading(2, 'Timeline (UTC)'),
      table(
        ['Time', 'Event'],
        [
          ['09:02', 'Alert fired for elevated error rate'],
          ['09:07', 'Incident declared, commander assigned'],
          ['09:31', 'Mitigation applied'],
          ['10:05', 'Metrics back to normal, incident resolved'],
        ],
      ),
      heading(2, 'Root cause'),
      paragraph(text('A configuration change was rolled out to all regions at once instead of one region at a time.')),
      heading(2, 'Action items'),
      bulletList(
        [paragraph(text('Stage configuration rollouts by region — '), who(commander!))],
        [paragraph(text('Add an alert on the leading indicator — '), who(scribe!))],
      ),
    ];
  },

  interview: (ctx) => {
    const interviewer = ctx.rng.pick(ctx.people);
    return [
      table(
        ['Interviewer', 'Customer', 'Plan'],
        [
          [
            [who(interviewer)],
            ctx.outline.title.replace('Interview: ', ''),
            ctx.rng.pick(['Business', 'Enterprise', 'Team']),
          ],
        ],
      ),
      heading(2, 'Key takeaways'),
      bulletList(
        [paragraph(text('Reporting is the most requested capability'))],
        [
          paragraph(text('Permissions are too coarse:')),
          bulletList(
            [paragraph(text('Contractors see too much'))],
            [paragraph(text('Admins want project-level roles'))],
          ),
        ],
      ),
      heading(2, 'Quotes'),
      {
        type: 'blockquote',
        blocks: [paragraph(em('"We export everything to spreadsheets every Friday just to build one chart."'))],
      },
      heading(2, 'Follow-ups'),
      orderedList([paragraph(text('Share the reporting prototype'))], [paragraph(text('Invite them to the beta'))]),
    ];
  },

  plan: (ctx) => [
    paragraph(text(ctx.outline.summary)),
    heading(2, 'Milestones'),
    table(
      ['Milestone', 'Owner', 'Target', 'Status'],
      [
        ['Discovery', [who(ctx.rng.pick(ctx.people))], '2026-04-30', 'Done'],
        ['Beta', [who(ctx.rng.pick(ctx.people))], '2026-07-15', ctx.rng.pick(['On track', 'At risk'])],
        ['General availability', [who(ctx.owner)], '2026-10-01', 'Not started'],
      ],
    ),
    heading(2, 'Risks'),
    bulletList(
      [
        paragraph(text('Dependencies on other teams')),
        bulletList([paragraph(text('Mitigation: agree dates in the planning meeting'))]),
      ],
      [paragraph(text('Scope creep')), bulletList([paragraph(text('Mitigation: a written non-goals list'))])],
    ),
    panel('info', paragraph(text('Dates are targets, not promises. '), emoji(':rocket:'))),
    rule(),
    paragraph(em('Last reviewed in the weekly sync.')),
  ],
};

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const COMMENT_TEXTS: readonly ((u: SandboxUser) => Inline[])[] = [
  () => [text('Thanks, this saved me an hour today! '), emoji(':thumbsup:')],
  () => [text('Is this still accurate after the last migration?')],
  (u) => [who(u), text(' could you take a look at the second step? I think the flag name changed.')],
  () => [text('Added a note about the VPN requirement.')],
  () => [text('We should link this from the onboarding checklist.')],
  (u) => [text('Reviewed with '), who(u), text(' — looks good '), emoji(':white_check_mark:')],
  () => [text('Can we add an example for the staging environment?')],
];

// ---- assembling a space ----

interface FlatOutline {
  readonly outline: Outline;
  readonly parent: number | null;
  readonly depth: number;
}

function flatten(home: Outline): FlatOutline[] {
  const out: FlatOutline[] = [];
  const visit = (outline: Outline, parent: number | null, depth: number): void => {
    const index = out.length;
    out.push({ outline, parent, depth });
    for (const child of outline.children ?? []) visit(child, index, depth + 1);
  };
  visit(home, null, 0);
  return out;
}

function buildSpace(siteName: string, outline: SpaceOutline, anchor: number): SeedSpace {
  const rng = new Random(`${siteName}/${outline.key}`);
  const flat = flatten(outline.home);
  const spaceCreated = anchor - 320 * DAY - rng.int(0, 20) * DAY;
  const owner = rng.pick(USERS);
  const created: number[] = [];

  const pages = flat.map((entry, index): SeedPage => {
    const parentCreated = entry.parent === null ? spaceCreated : created[entry.parent]!;
    // Children are written after their parents; everything lands between the space's birth and a week ago.
    const pageCreated =
      entry.parent === null
        ? spaceCreated + 2 * HOUR
        : Math.max(
            parentCreated + HOUR,
            Math.min(
              parentCreated + rng.int(1, 40) * DAY + rng.int(0, 23) * HOUR,
              anchor - 7 * DAY - rng.int(0, 20) * HOUR,
            ),
          );
    created.push(pageCreated);
    const author = index === 0 ? owner : rng.pick(USERS);
    const versionCount = rng.chance(0.45) ? rng.int(2, 5) : 1;
    const recent = rng.chance(0.3);
    const childTitles = (entry.outline.children ?? []).map((c) => c.title);
    const parentTitle = entry.parent === null ? null : flat[entry.parent]!.outline.title;
    const contentSeed = `${siteName}/${outline.key}/${index}`;

    const versions: SeedVersion[] = [];
    let at = pageCreated;
    for (let v = 1; v <= versionCount; v++) {
      if (v > 1) {
        const remaining = anchor - at;
        const candidate =
          recent && v === versionCount
            ? anchor - rng.int(2, 140) * HOUR
            : at + Math.floor(remaining * rng.float() * 0.5);
        at = Math.max(at + HOUR, candidate);
      }
      const complete = v === versionCount;
      const versionAuthor = v === 1 ? author : rng.pick(USERS);
      versions.push({
        authorId: versionAuthor.accountId,
        createdAt: at,
        message:
          v === 1
            ? ''
            : rng.pick([
                '',
                'Fixed typos',
                'Updated steps for the new tooling',
                'Added troubleshooting section',
                'Clarified ownership',
              ]),
        minorEdit: v > 1 && rng.chance(0.3),
        body: (links) =>
          buildBody({
            outline: entry.outline,
            spaceName: outline.name,
            rng: new Random(contentSeed),
            owner: author,
            people: USERS,
            links,
            childTitles,
            parentTitle,
            complete,
          }),
      });
    }

    const comments: SeedComment[] = [];
    if (index > 0 && rng.chance(0.3)) {
      let commentAt = versions[0]!.createdAt;
      for (let c = rng.int(1, 3); c > 0; c--) {
        commentAt = Math.min(commentAt + rng.int(2, 200) * HOUR, anchor - HOUR);
        const commenter = rng.pick(USERS);
        const other = rng.pick(USERS.filter((u) => u !== commenter));
        comments.push({
          authorId: commenter.accountId,
          createdAt: commentAt,
          body: [paragraph(...rng.pick(COMMENT_TEXTS)(other))],
        });
      }
    }

    return {
      title: entry.outline.title,
      parent: entry.parent,
      status: entry.outline.archived ? 'archived' : 'current',
      labels: entry.outline.labels ?? [],
      versions,
      comments,
    };
  });

  const blogPosts = outline.blogPosts.map((post, i): SeedBlogPost => {
    const author = rng.pick(USERS);
    return {
      title: post.title,
      authorId: author.accountId,
      createdAt: anchor - (60 - i * 25) * DAY - rng.int(0, 23) * HOUR,
      labels: post.labels,
      body: [
        paragraph(text(post.summary)),
        heading(2, 'Details'),
        bulletList(
          [paragraph(text('Questions? Reply in the comments or ask '), who(author), text('.'))],
          [paragraph(text('More in the '), em(outline.name), text(' space.'))],
        ),
        paragraph(emoji(':tada:')),
      ],
    };
  });

  return {
    key: outline.key,
    name: outline.name,
    description: outline.description,
    authorId: owner.accountId,
    createdAt: spaceCreated,
    pages,
    blogPosts,
  };
}

/**
 * The Confluence seed for one site. `anchor` is "now" for the seed: every date lies before it, a
 * few pages were edited within the last week of it. Same site + anchor → identical data.
 */
export function confluenceSeed(siteName: string, anchor: number): SeedSpace[] {
  return outlinesFor(siteName).map((outline) => buildSpace(siteName, outline, anchor));
}
