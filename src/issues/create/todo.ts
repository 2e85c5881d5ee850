// TODO/FIXME comments → Jira issues: finding the marker on a line, drafting the issue (summary from
// the comment, description with file, line, the code around it and a link to it in the repository's
// web UI when the remote is a known host), and writing the new key back as `TODO(ENG-123): …`.

export interface TodoMarker {
  /** TODO or FIXME, as written. */
  readonly tag: string;
  /** The comment's text after the marker. */
  readonly text: string;
  /** Columns of the marker (with its parentheses and colon, if any) on the line. */
  readonly start: number;
  readonly end: number;
}

// After a comment opener (//, #, --, /*, *, <!--, ;) with nothing but spaces between; an
// owner in parentheses is allowed, an issue key there means the TODO already has its issue.
const MARKER = /(?:\/\/+|\/\*+|^\s*\*|#+|--|<!--|;+)\s*\b(TODO|FIXME)\b(\(([^)\n]*)\))?:?\s*/;
const KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

/** The TODO/FIXME on a line, unless it already names an issue. */
export function findTodo(line: string): TodoMarker | undefined {
  const m = MARKER.exec(line);
  if (!m) return undefined;
  if (m[3] !== undefined && KEY.test(m[3].trim())) return undefined;
  const start = m.index + m[0].indexOf(m[1]!);
  const text = line
    .slice(m.index + m[0].length)
    .replace(/\s*(\*\/|-->)\s*$/, '')
    .trim();
  return { tag: m[1]!, text, start, end: m.index + m[0].length };
}

/** The line with the issue key in the marker: `// TODO(ENG-123): text` (an owner becomes part of the text). */
export function withIssueKey(line: string, marker: TodoMarker, key: string): string {
  const written = line.slice(marker.start, marker.end);
  const owner = /\(([^)]*)\)/.exec(written)?.[1]?.trim();
  const rest = line.slice(marker.end);
  const lead = owner ? `${owner}: ` : '';
  return `${line.slice(0, marker.start)}${marker.tag}(${key}): ${lead}${rest.trimStart()}`;
}

export interface TodoContext {
  readonly marker: TodoMarker;
  /** Path relative to the workspace folder (or the file name). */
  readonly path: string;
  /** 0-based line of the marker. */
  readonly line: number;
  /** Lines around the marker, the first being `excerptStart` (0-based). */
  readonly excerpt: readonly string[];
  readonly excerptStart: number;
  /** The editor's language id, for the code fence. */
  readonly languageId: string;
  /** A link to the line in the repository's web UI, when known. */
  readonly webUrl?: string;
}

export interface TodoDraft {
  readonly summary: string;
  /** Markdown. */
  readonly description: string;
}

/** Summary and description for the issue: the comment's own words, where it is, and the code around it. */
export function todoDraft(context: TodoContext): TodoDraft {
  const { marker, path, line } = context;
  const words = marker.text || `${marker.tag} in ${path}`;
  const summary = words.length > 250 ? `${words.slice(0, 249)}…` : words;
  const where = context.webUrl ? `[${path}:${line + 1}](${context.webUrl})` : `\`${path}:${line + 1}\``;
  const fence = '```';
  const code = context.excerpt.join('\n').replace(/```/g, '` ` `');
  return {
    summary,
    description: [
      `${marker.tag} in ${where}:`,
      '',
      `${fence}${/^[\w+-]+$/.test(context.languageId) ? context.languageId : ''}`,
      code,
      fence,
    ].join('\n'),
  };
}

/**
 * A browser link to a line of a file at a commit, for remotes on GitHub, GitLab or Bitbucket (cloud
 * or self-hosted with those names); undefined for others, whose URL layout is not known.
 */
export function remoteWebUrl(remote: string, commit: string, path: string, line: number): string | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/]+@)([^/:]+)(?::\d+)?[:/](.+?)(?:\.git)?\/?$/.exec(
    remote.trim(),
  );
  if (!m) return undefined;
  const host = m[1]!.toLowerCase();
  const repo = m[2]!.replace(/^\/+/, '');
  const file = path.split('/').map(encodeURIComponent).join('/');
  if (host.includes('github')) return `https://${host}/${repo}/blob/${commit}/${file}#L${line + 1}`;
  if (host.includes('gitlab')) return `https://${host}/${repo}/-/blob/${commit}/${file}#L${line + 1}`;
  if (host.includes('bitbucket')) return `https://${host}/${repo}/src/${commit}/${file}#lines-${line + 1}`;
  return undefined;
}
