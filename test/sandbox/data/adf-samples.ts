// Realistic Atlassian Document Format bodies for seeded issues and comments, plus their wiki-markup
// twins for the Data Center flavour. Every document here is valid ADF: text nodes are non-empty and
// marks are well-formed, so clients are exercised on the node types real Jira content carries.
import type { AdfDoc, AdfMark, AdfNode } from '../jira/adf';
import type { Rng } from '../jira/prng';

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
}

export interface SampleContext {
  readonly rng: Rng;
  readonly summary: string;
  readonly component: string;
  /** Someone to @mention. */
  readonly person: Person;
  /** An issue key to refer to. */
  readonly relatedKey: string;
  /** Base URL of the site, for links to issues. */
  readonly siteUrl: string;
}

// --- node builders ---------------------------------------------------------------------------------

export const text = (value: string, ...marks: AdfMark[]): AdfNode =>
  marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value };
export const strong: AdfMark = { type: 'strong' };
export const em: AdfMark = { type: 'em' };
export const code: AdfMark = { type: 'code' };
export const link = (href: string): AdfMark => ({ type: 'link', attrs: { href } });
export const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
export const h = (level: number, value: string): AdfNode => ({
  type: 'heading',
  attrs: { level },
  content: [text(value)],
});
export const li = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
export const ul = (...items: AdfNode[]): AdfNode => ({ type: 'bulletList', content: items });
export const ol = (...items: AdfNode[]): AdfNode => ({ type: 'orderedList', attrs: { order: 1 }, content: items });
export const codeBlock = (language: string, value: string): AdfNode => ({
  type: 'codeBlock',
  attrs: { language },
  content: [text(value)],
});
export const panel = (
  panelType: 'info' | 'note' | 'warning' | 'error' | 'success',
  ...content: AdfNode[]
): AdfNode => ({ type: 'panel', attrs: { panelType }, content });
export const quote = (...content: AdfNode[]): AdfNode => ({ type: 'blockquote', content });
export const rule: AdfNode = { type: 'rule' };
export const mention = (person: Person): AdfNode => ({
  type: 'mention',
  attrs: { id: person.accountId, text: `@${person.displayName}`, accessLevel: '' },
});
export const emoji = (shortName: string, value: string): AdfNode => ({
  type: 'emoji',
  attrs: { shortName, text: value },
});
// An empty cell holds an empty paragraph: ADF forbids empty text nodes.
const cell = (type: 'tableHeader' | 'tableCell', value: string): AdfNode => ({
  type,
  attrs: {},
  content: [value ? p(text(value)) : { type: 'paragraph' }],
});
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): AdfNode => ({
  type: 'table',
  attrs: { isNumberColumnEnabled: false, layout: 'default' },
  content: [
    { type: 'tableRow', content: header.map((v) => cell('tableHeader', v)) },
    ...rows.map((row) => ({ type: 'tableRow', content: row.map((v) => cell('tableCell', v)) })),
  ],
});
export const doc = (...content: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content });

// --- vocabulary ------------------------------------------------------------------------------------

const LANGUAGES: readonly (readonly [string, string])[] = [
  [
    'typescript',
    'const result = await client.search({ jql, maxResults: 50 });\nif (!result.isLast) {\n  next = result.nextPageToken;\n}',
  ],
  [
    'java',
    'java.lang.NullPointerException: Cannot invoke "Session.getUser()" because "session" is null\n    at com.acme.auth.SessionFilter.doFilter(SessionFilter.java:88)\n    at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:193)',
  ],
  [
    'python',
    'def retry(call, attempts=4):\n    for n in range(attempts):\n        try:\n            return call()\n        except RateLimited as e:\n            time.sleep(e.retry_after)',
  ],
  [
    'sql',
    "SELECT id, status, updated_at\nFROM orders\nWHERE status = 'PENDING'\n  AND updated_at < now() - interval '2 hours';",
  ],
  [
    'bash',
    'kubectl -n payments rollout restart deployment/api\nkubectl -n payments logs -l app=api --since=10m | grep -i timeout',
  ],
  ['json', '{\n  "errorMessages": [],\n  "errors": { "summary": "You must specify a summary of the issue." }\n}'],
  [
    'yaml',
    'alerts:\n  - name: HighErrorRate\n    expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05\n    for: 10m',
  ],
];

const EMOJI: readonly (readonly [string, string])[] = [
  [':rocket:', '🚀'],
  [':bug:', '🐛'],
  [':white_check_mark:', '✅'],
  [':warning:', '⚠️'],
  [':tada:', '🎉'],
  [':eyes:', '👀'],
  [':fire:', '🔥'],
];

const BROWSERS = ['Chrome 131', 'Firefox 133', 'Safari 18.1', 'Edge 131'];
const ENVIRONMENTS = ['production', 'staging', 'eu-west-1', 'us-east-1'];

function pickEmoji(rng: Rng): AdfNode {
  const [shortName, value] = rng.pick(EMOJI);
  return emoji(shortName, value);
}

function issueLink(ctx: SampleContext): AdfNode {
  return text(ctx.relatedKey, link(`${ctx.siteUrl}/browse/${ctx.relatedKey}`));
}

// --- descriptions ------------------------------------------------------------------------------------

export function bugDescription(ctx: SampleContext): AdfDoc {
  const { rng } = ctx;
  const [language, snippet] = rng.pick(LANGUAGES);
  const env = rng.pick(ENVIRONMENTS);
  const nodes: AdfNode[] = [
    h(2, 'Summary'),
    p(
      text(`${ctx.summary}. First reported on `),
      text(env, strong),
      text(' after the last deploy of '),
      text(ctx.component, code),
      text('.'),
    ),
    h(3, 'Steps to reproduce'),
    ol(
      li(p(text('Sign in as a user with the '), text('Developer', em), text(' role.'))),
      li(
        p(text(`Open the ${ctx.component} page and apply a filter.`)),
        ul(
          li(p(text('Filter by status '), text('In Progress', strong))),
          li(p(text('Sort by '), text('updated', code), text(' descending'))),
        ),
      ),
      li(p(text('Reload the page twice within five seconds.'))),
    ),
    h(3, 'Expected vs actual'),
    table(
      ['', 'Expected', 'Actual'],
      [
        ['Response', '200 with results', '500 after ~30 s'],
        ['Browser', rng.pick(BROWSERS), rng.pick(BROWSERS)],
      ],
    ),
    h(3, 'Logs'),
    codeBlock(language, snippet),
    panel(
      'warning',
      p(
        text('Customers on the '),
        text('Enterprise', strong),
        text(' plan are affected; see '),
        issueLink(ctx),
        text('.'),
      ),
    ),
  ];
  if (rng.chance(0.5)) nodes.push(p(text('cc '), mention(ctx.person), text(' '), pickEmoji(rng)));
  return doc(...nodes);
}

export function storyDescription(ctx: SampleContext): AdfDoc {
  const { rng } = ctx;
  const nodes: AdfNode[] = [
    p(
      text('As a '),
      text('team lead', strong),
      text(`, I want ${ctx.summary.toLowerCase()} so that the weekly review takes minutes, not hours.`),
    ),
    h(3, 'Acceptance criteria'),
    ul(
      li(p(text('Works for projects with more than 1,000 issues'))),
      li(
        p(text('Keyboard accessible')),
        ul(li(p(text('Tab order follows the visual order'))), li(p(text('Focus is visible in high-contrast themes')))),
      ),
      li(p(text('Covered by an end-to-end test'))),
    ),
    h(3, 'Design'),
    p(
      text('Mock-ups are in '),
      text('the design doc', link('https://www.example.com/design/' + ctx.component.toLowerCase())),
      text('. Open questions go to '),
      mention(ctx.person),
      text('.'),
    ),
    panel('info', p(text('Depends on '), issueLink(ctx), text(' being released first.'))),
  ];
  if (rng.chance(0.4)) {
    nodes.push(
      table(
        ['Metric', 'Today', 'Target'],
        [
          ['Time to triage', '45 min', '10 min'],
          ['Clicks', '14', '4'],
        ],
      ),
    );
  }
  if (rng.chance(0.3))
    nodes.push(rule, p(text('Out of scope: '), text('mobile layout', em), text('. '), pickEmoji(rng)));
  return doc(...nodes);
}

export function taskDescription(ctx: SampleContext): AdfDoc {
  const { rng } = ctx;
  const [language, snippet] = rng.pick(LANGUAGES);
  const nodes: AdfNode[] = [
    p(text(`${ctx.summary}.`)),
    h(4, 'Checklist'),
    ol(
      li(p(text('Update '), text(`${ctx.component.toLowerCase()}.config.ts`, code))),
      li(p(text('Run the migration on staging'))),
      li(p(text('Announce in the team channel'))),
    ),
  ];
  if (rng.chance(0.6)) nodes.push(codeBlock(language, snippet));
  if (rng.chance(0.5)) nodes.push(quote(p(text('We should do this before the freeze. — '), mention(ctx.person))));
  return doc(...nodes);
}

export function epicDescription(ctx: SampleContext): AdfDoc {
  return doc(
    h(1, ctx.summary),
    p(text('This epic groups the work for '), text(ctx.component, strong), text(' this quarter. '), pickEmoji(ctx.rng)),
    h(2, 'Goals'),
    ul(li(p(text('Reduce support tickets by 30 %'))), li(p(text('Ship behind a feature flag, then roll out')))),
    h(2, 'Milestones'),
    table(
      ['Milestone', 'Owner', 'Due'],
      [
        ['Design review', ctx.person.displayName, 'end of month'],
        ['Beta', 'Team', 'next quarter'],
      ],
    ),
    panel('note', p(text('Owner: '), mention(ctx.person))),
  );
}

const COMMENT_OPENERS = [
  'I can reproduce this on',
  'Looked into it on',
  'Quick update from',
  'Paired on this with the team on',
  'Deployed a fix to',
];

export function commentBody(ctx: SampleContext): AdfDoc {
  const { rng } = ctx;
  const opener = rng.pick(COMMENT_OPENERS);
  const variant = rng.int(0, 3);
  switch (variant) {
    case 0:
      return doc(
        p(
          text(`${opener} ${rng.pick(ENVIRONMENTS)}. `),
          mention(ctx.person),
          text(' can you take a look? '),
          pickEmoji(rng),
        ),
      );
    case 1: {
      const [language, snippet] = rng.pick(LANGUAGES);
      return doc(
        p(text('Root cause is in '), text(ctx.component, code), text(':')),
        codeBlock(language, snippet),
        p(text('PR is up, see '), issueLink(ctx), text('.')),
      );
    }
    case 2:
      return doc(
        p(text('Status:', strong)),
        ul(
          li(p(text('Done: investigation'))),
          li(p(text('Next: fix + tests')), ul(li(p(text('unit'))), li(p(text('e2e'))))),
        ),
      );
    default:
      return doc(
        quote(p(text('Is this still happening?'))),
        p(text('Yes, twice this week. '), text('Raising priority.', em)),
      );
  }
}

/** One document with every node type the sandbox produces — handy for converter tests. */
export function kitchenSinkDocument(person: Person): AdfDoc {
  return doc(
    h(1, 'Kitchen sink'),
    p(
      text('Plain, '),
      text('bold', strong),
      text(', '),
      text('italic', em),
      text(', '),
      text('inline code', code),
      text(' and '),
      text('a link', link('https://www.example.com/')),
      text('.'),
    ),
    ul(li(p(text('one')), ul(li(p(text('one.a'))))), li(p(text('two')))),
    ol(li(p(text('first'))), li(p(text('second')))),
    table(
      ['Key', 'Value'],
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ),
    codeBlock('typescript', 'const answer = 42;'),
    panel('info', p(text('An info panel'))),
    panel('warning', p(text('A warning panel'))),
    quote(p(text('A quotation'))),
    rule,
    p(mention(person), text(' '), emoji(':rocket:', '🚀')),
  );
}

// --- wiki markup (Data Center) -------------------------------------------------------------------------

export function wikiDescription(kind: 'bug' | 'story' | 'task', ctx: SampleContext, username: string): string {
  const [language, snippet] = ctx.rng.pick(LANGUAGES);
  if (kind === 'bug') {
    return [
      'h2. Summary',
      `${ctx.summary}. Seen on *${ctx.rng.pick(ENVIRONMENTS)}* since the last upgrade of {{${ctx.component}}}.`,
      '',
      'h3. Steps to reproduce',
      '# Log in as an administrator',
      `# Open the ${ctx.component} screen`,
      '## Choose _Advanced_ mode',
      '# Click *Save*',
      '',
      '||Expected||Actual||',
      '|Saved|Error 500|',
      '',
      `{code:${language}}`,
      snippet,
      '{code}',
      '',
      `{panel:title=Impact}Affects the nightly export. See [${ctx.relatedKey}|${ctx.siteUrl}/browse/${ctx.relatedKey}].{panel}`,
      `cc [~${username}]`,
    ].join('\n');
  }
  if (kind === 'story') {
    return [
      `As an operator I want ${ctx.summary.toLowerCase()}.`,
      '',
      'h3. Acceptance criteria',
      '* Works with the existing LDAP directory',
      '** including nested groups',
      '* Documented in the admin guide',
      '',
      `{quote}Please keep the old behaviour behind a flag. — [~${username}]{quote}`,
    ].join('\n');
  }
  return [
    `${ctx.summary}.`,
    '',
    '* Back up the database',
    '* Apply the patch',
    '* Restart the node',
    '----',
    `{noformat}${snippet.split('\n')[0] ?? ''}{noformat}`,
  ].join('\n');
}

export function wikiComment(ctx: SampleContext, username: string): string {
  return ctx.rng.pick([
    `Reproduced on the test node. [~${username}] can you check the logs?`,
    `Fixed in the last build, please verify. (/)`,
    `{code}ERROR [http-nio-8080-exec-4] Timeout waiting for lock{code}\nStill happening.`,
    `*Update:* the workaround is to clear the plugin cache.`,
  ]);
}
