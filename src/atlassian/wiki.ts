// Jira wiki markup (Data Center, REST v2) → Markdown. jira2md was tried first and left out: it is
// itself regex-based, pulls a second `marked` (v4), and gets panels, quotes, attachments, image
// parameters and account-id mentions wrong — so these rules are kept here, each covering one construct.

/**
 * Wiki panel macro → GitHub/Obsidian alert label; `markdownToWiki` maps the labels back. The plain
 * `{panel}` has no GitHub twin, so it gets a label of its own (an Obsidian-style callout).
 */
export const WIKI_PANEL_LABEL: Readonly<Record<string, string>> = {
  info: 'NOTE',
  tip: 'TIP',
  note: 'IMPORTANT',
  warning: 'WARNING',
  panel: 'PANEL',
};

const PANEL_RE = /\{(info|note|tip|warning|panel)(?::([^}]*))?\}\n?([\s\S]*?)\n?\{\1\}/g;

/** `title=Careful|borderStyle=solid` → "Careful". */
function macroTitle(options: string | undefined): string {
  return /(?:^|\|)title=([^|]*)/.exec(options ?? '')?.[1]?.trim() ?? '';
}

const quoteLines = (body: string): string =>
  body
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');

/** Jira wiki markup (Data Center) → Markdown: the constructs issue text commonly uses. */
export function wikiToMarkdown(wiki: string | null | undefined): string {
  if (!wiki) return '';
  const preserved: string[] = [];
  const keep = (text: string) => `\u0000${preserved.push(text) - 1}\u0000`;
  let text = wiki.replace(/\r\n?/g, '\n');
  // Code first, so nothing inside it is touched.
  text = text.replace(
    /(?<!\{)\{code(?::([^}]*))?\}\n?([\s\S]*?)\n?\{code\}/g,
    (_m, options: string | undefined, code: string) => {
      // {code:java} or {code:title=x|language=java}
      const language =
        /(?:^|\|)language=([^|]*)/.exec(options ?? '')?.[1] ??
        (options && !options.includes('=') ? options.split('|')[0] : '');
      return keep(`\`\`\`${(language ?? '').trim()}\n${code}\n\`\`\``);
    },
  );
  text = text.replace(/\{noformat[^}]*\}\n?([\s\S]*?)\n?\{noformat\}/g, (_m, code: string) =>
    keep(`\`\`\`\n${code}\n\`\`\``),
  );
  text = text.replace(/\{\{([^}]+)\}\}/g, (_m, code: string) => keep(`\`${code}\``));
  // Escaped characters (`\*`, `\1.`, `\[`) are literal: keep them out of every later rule.
  text = text.replace(/\\([^\s\\])/g, (_m, ch: string) => keep(/[*_[\]#`>|~-]/.test(ch) ? `\\${ch}` : ch));
  text = text.replace(/\{color(?::[^}]*)?\}/g, '');
  // Block macros render their body line by line, then get quoted, so lists inside them survive.
  text = text.replace(/\{quote\}\n?([\s\S]*?)\n?\{quote\}/g, (_m, body: string) => quoteLines(wikiLines(body, keep)));
  text = text.replace(PANEL_RE, (_m, kind: string, options: string | undefined, body: string) => {
    const title = macroTitle(options);
    const label = `[!${WIKI_PANEL_LABEL[kind] ?? 'NOTE'}]${title ? ` ${title}` : ''}`;
    return quoteLines(`${label}\n${wikiLines(body, keep)}`);
  });
  text = wikiLines(text, keep);
  // Mentions: `[~jdoe]`, `[~accountid:5b10…]`, `[Jane Doe|~accountid:5b10…]` → the name when there is one.
  text = text.replace(/\[([^\]|\n]+)\|~(?:accountid:)?[^\]\n]+\]/g, (_m, name: string) => keep(`@${name.trim()}`));
  text = text.replace(/\[~(?:accountid:)?([^\]\n]+)\]/g, (_m, id: string) => keep(`@${id}`));
  // Attachments by file name (`[^file.ext]` is a footnote in Markdown) and images with their parameters.
  text = text.replace(/\[\^([^\]\n]+)\]/g, (_m, file: string) => keep(`[attachment: ${file}]`));
  text = text.replace(/!([^\s!|][^!\n|]*?)(?:\|([^!\n]*))?!/g, (_m, src: string, params: string | undefined) =>
    keep(`![${src.split('/').pop() ?? src}](${encodeURI(src)})${params ? ` (${params})` : ''}`),
  );
  text = text.replace(/\[([^\]|\n]+)\|([^\]\n]+)\]/g, '[$1]($2)');
  text = text.replace(/\[((?:https?|mailto):[^\]\n]+)\]/g, '<$1>');
  text = text.replace(/(^|[\s(])\*(\S(?:[^*\n]*\S)?)\*(?=[\s).,:;!?]|$)/gm, '$1**$2**');
  text = text.replace(/(^|[\s(])-(\S(?:[^-\n]*\S)?)-(?=[\s).,:;!?]|$)/gm, '$1~~$2~~');
  text = text.replace(/\\\\\n?/g, '\\\n');
  // Placeholders may nest (a mention inside a quote): restore until none is left.
  // eslint-disable-next-line no-control-regex
  const placeholder = /\u0000(\d+)\u0000/g;
  while (placeholder.test(text)) text = text.replace(placeholder, (_m, i: string) => preserved[Number(i)] ?? '');
  return text.trim();
}

/** Line-level constructs: headings, bq., rules, lists, tables. */
function wikiLines(text: string, keep: (s: string) => string): string {
  return text
    .split('\n')
    .map((line) => {
      let m: RegExpExecArray | null;
      if ((m = /^h([1-6])\.\s+(.*)$/.exec(line))) return `${'#'.repeat(Number(m[1]))} ${m[2]}`;
      if ((m = /^bq\.\s+(.*)$/.exec(line))) return `> ${m[1]}`;
      if (/^-{4,}\s*$/.test(line)) return keep('---');
      if ((m = /^\s*([*#-]+)\s+(.*)$/.exec(line)) && !/^\*[^*\s][^*]*\*/.test(line.trim())) {
        const markers = m[1]!;
        const indent = '  '.repeat(markers.length - 1);
        return `${indent}${markers.endsWith('#') ? '1.' : '-'} ${m[2]}`;
      }
      if ((m = /^\|\|(.*)\|\|\s*$/.exec(line))) {
        const cells = m[1]!.split('||');
        return `| ${cells.join(' | ')} |\n${keep(`|${' --- |'.repeat(cells.length)}`)}`;
      }
      if ((m = /^\|(.*)\|\s*$/.exec(line))) return `| ${m[1]!.split('|').join(' | ')} |`;
      return line;
    })
    .join('\n');
}
