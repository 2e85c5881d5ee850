// Markdown for issue and page resources: what a client attaches as a document the model reads,
// built from the object jira_get_issue / confluence_get_page return (so nothing is formatted twice).
import { textOf } from '../../core/text';

type View = Record<string, unknown>;

/** Fields shown as their own sections, or in the heading, rather than in the field list. */
const SECTIONS = new Set(['key', 'summary', 'url', 'description', 'comments', 'comments_total', 'links']);

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.map(inline).join(', ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return textOf(value, '');
}

export function issueMarkdown(issue: View): string {
  const out = [`# ${textOf(issue.key, '')}: ${textOf(issue.summary, '')}`];
  if (issue.url) out.push('', textOf(issue.url));
  const fields = Object.entries(issue).filter(([name, value]) => !SECTIONS.has(name) && value !== undefined);
  if (fields.length > 0)
    out.push('', ...fields.map(([name, value]) => `- **${name.replace(/_/g, ' ')}:** ${inline(value)}`));
  if (issue.description) out.push('', '## Description', '', textOf(issue.description));
  if (Array.isArray(issue.links) && issue.links.length > 0)
    out.push('', '## Links', '', ...issue.links.map((link) => `- ${inline(link)}`));
  const comments = Array.isArray(issue.comments) ? (issue.comments as View[]) : [];
  if (comments.length > 0) {
    const total = typeof issue.comments_total === 'number' ? issue.comments_total : comments.length;
    out.push('', total > comments.length ? `## Comments (last ${comments.length} of ${total})` : '## Comments');
    for (const c of comments)
      out.push('', `### ${textOf(c.author, 'Someone')}, ${textOf(c.created, '')}`.trim(), '', textOf(c.body, ''));
  }
  return out.join('\n') + '\n';
}

export function pageMarkdown(page: View): string {
  const out = [`# ${textOf(page.title, '')}`];
  const meta = ['id', 'space', 'version', 'updated', 'parent_id', 'url']
    .filter((name) => page[name] !== undefined)
    .map((name) => `- **${name.replace(/_/g, ' ')}:** ${inline(page[name])}`);
  if (meta.length > 0) out.push('', ...meta);
  out.push('', inline(page.content));
  return out.join('\n') + '\n';
}
