// Which macros a page body holds, so a Markdown write that would flatten them can be refused: counted
// by name in storage XHTML (Data Center, and Cloud pages read as storage), in ADF (Cloud) and in the
// Jira wiki markup the bridge writes to Data Center. Only what Markdown can carry back (panels, code)
// survives a Markdown round trip; everything else counted here is lost by it.
import { isTag, type ChildNode } from 'domhandler';
import type { AdfNode } from './adf';

/** Macro name → how many times it occurs. */
export type MacroCount = Map<string, number>;

/** `code` and `noformat` are one thing to Markdown (a fence with or without a language). */
const SAME_AS: Readonly<Record<string, string>> = { noformat: 'code' };

function add(count: MacroCount, name: string): void {
  const key = SAME_AS[name] ?? name;
  count.set(key, (count.get(key) ?? 0) + 1);
}

/** Macros in storage XHTML (`ac:structured-macro` and the older `ac:macro`), by `ac:name`. */
export async function storageMacros(xhtml: string): Promise<MacroCount> {
  const { parseDocument } = await import('htmlparser2');
  const count: MacroCount = new Map();
  const walk = (nodes: readonly ChildNode[]) => {
    for (const n of nodes) {
      if (!isTag(n)) continue;
      if (n.name === 'ac:structured-macro' || n.name === 'ac:macro') add(count, n.attribs['ac:name'] ?? 'macro');
      walk(n.children);
    }
  };
  walk(parseDocument(xhtml, { recognizeCDATA: true, recognizeSelfClosing: true }).children);
  return count;
}

/**
 * Macros in an ADF document: extensions by their key, and the native nodes Confluence stores as
 * macros (panels, expands, status lozenges). Code blocks are native in ADF and Markdown keeps them.
 */
export function adfMacros(doc: AdfNode): MacroCount {
  const count: MacroCount = new Map();
  const walk = (node: AdfNode) => {
    switch (node.type) {
      case 'extension':
      case 'bodiedExtension':
      case 'inlineExtension':
        add(count, typeof node.attrs?.extensionKey === 'string' ? node.attrs.extensionKey : 'extension');
        break;
      case 'panel':
      case 'status':
        add(count, node.type);
        break;
      case 'expand':
      case 'nestedExpand':
        add(count, 'expand');
        break;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return count;
}

/** Macros in Jira wiki markup as Confluence Data Center turns it into storage: `{info}…{info}` is one. */
export function wikiMacros(wiki: string): MacroCount {
  const count: MacroCount = new Map();
  const tags = new Map<string, number>();
  for (const m of wiki.matchAll(/\{(info|note|tip|warning|panel|code|noformat)(?::[^}\n]*)?\}/g))
    tags.set(m[1]!, (tags.get(m[1]!) ?? 0) + 1);
  // Each macro is an opening and a closing tag.
  for (const [name, n] of tags) for (let i = 0; i < Math.ceil(n / 2); i++) add(count, name);
  return count;
}

/** What `before` has more of than `after`, as "name" or "name ×n", sorted by name. */
export function lostMacros(before: MacroCount, after: MacroCount): string[] {
  const lost: string[] = [];
  for (const [name, n] of [...before].sort(([a], [b]) => a.localeCompare(b))) {
    const missing = n - (after.get(name) ?? 0);
    if (missing > 0) lost.push(missing > 1 ? `${name} ×${missing}` : name);
  }
  return lost;
}
