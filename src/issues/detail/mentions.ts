// `@` mentions in comments written in Markdown: `@grace` or `@[Grace Hopper]` is looked up among
// Jira's users and sent as a real mention (an ADF mention node on Cloud, `[~username]` wiki markup on
// Data Center), so the person is notified. A name Jira does not know stays plain text.
import type { JiraApi } from '../../atlassian/jira';
import type { AdfDoc, AdfNode } from '../../atlassian/adf';
import { markdownToAdf, markdownToWiki } from '../../atlassian/markdown';
import { findUsers, type UserChoice } from './detailActions';

const MENTION = /(^|[\s(])@(?:\[([^\]\n]{1,100})\]|([A-Za-z][\w.-]{1,60}))/g;
/** At most this many different names are looked up per comment. */
const MAX_LOOKUPS = 10;

interface Found {
  /** The text as written, e.g. `@[Grace Hopper]`. */
  readonly written: string;
  readonly user: UserChoice;
}

/** The mentions of `markdown` that name exactly one user (by display name, or a unique search hit). */
export async function resolveMentions(api: JiraApi, markdown: string, signal?: AbortSignal): Promise<Found[]> {
  const names = new Map<string, string>();
  for (const m of markdown.matchAll(MENTION)) {
    const name = (m[2] ?? m[3])!.trim();
    if (names.size < MAX_LOOKUPS) names.set(m[0].slice(m[1]!.length), name);
  }
  const found: Found[] = [];
  for (const [written, name] of names) {
    const users = await findUsers(api, name, signal);
    const exact = users.filter((u) => u.name.toLowerCase() === name.toLowerCase());
    const user = exact.length === 1 ? exact[0] : users.length === 1 ? users[0] : undefined;
    if (user) found.push({ written, user });
  }
  return found;
}

/** A comment body with its mentions: ADF on Cloud, wiki markup on Data Center. */
export async function commentBody(api: JiraApi, markdown: string, signal?: AbortSignal): Promise<AdfDoc | string> {
  const mentions = await resolveMentions(api, markdown, signal);
  if (!api.cloud) {
    // Placeholders through the converter (it would read `~` as strikethrough), outside code spans only.
    const token = (i: number) => `AMBMENTION${i}X`;
    const text = markdown
      .split(/(`+[^`]*`+)/)
      .map((part, i) => (i % 2 ? part : mentions.reduce((t, { written }, n) => t.split(written).join(token(n)), part)))
      .join('');
    const wiki = await markdownToWiki(text);
    return mentions.reduce((w, { user }, n) => w.split(token(n)).join(`[~${user.id}]`), wiki);
  }
  const doc = await markdownToAdf(markdown);
  return mentions.length ? (withMentions(doc, mentions) as AdfDoc) : doc;
}

/** Splits text nodes (outside code) at each resolved mention and puts a mention node there. */
function withMentions(node: AdfNode, mentions: readonly Found[]): AdfNode {
  if (node.type === 'text' && node.text && !node.marks?.some((m) => m.type === 'code')) {
    const parts: AdfNode[] = [];
    let rest = node.text;
    for (;;) {
      const next = mentions
        .map((m) => ({ m, at: rest.indexOf(m.written) }))
        .filter((x) => x.at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      if (next.at > 0) parts.push({ ...node, text: rest.slice(0, next.at) });
      parts.push({
        type: 'mention',
        attrs: { id: next.m.user.id, text: `@${next.m.user.name}`, accessLevel: '' },
      });
      rest = rest.slice(next.at + next.m.written.length);
    }
    if (parts.length === 0) return node;
    if (rest) parts.push({ ...node, text: rest });
    return { type: 'fragment', content: parts };
  }
  if (!node.content) return node;
  const content = node.content
    .map((child) => withMentions(child, mentions))
    .flatMap((child) => (child.type === 'fragment' ? (child.content ?? []) : [child]));
  return { ...node, content };
}
