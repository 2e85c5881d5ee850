// A small, strict XHTML reader for Confluence storage format. Confluence rejects storage that is
// not well-formed XML ("Error parsing xhtml"), so this does too instead of guessing.

export interface XElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XNode[];
}

export interface XText {
  readonly kind: 'text';
  readonly text: string;
}

export type XNode = XElement | XText;

export class XhtmlError extends Error {}

// HTML void elements are accepted without a closing tag; everything else must be closed.
const VOID = new Set(['br', 'hr', 'img', 'col', 'input', 'meta', 'wbr']);

// Storage format allows the HTML named entities; these are the ones real bodies use.
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
  reg: '®',
  trade: '™',
  bull: '•',
  middot: '·',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  times: '×',
  deg: '°',
};

export function decodeEntities(raw: string, position: () => string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g, (match, body: string) => {
    if (!match.endsWith(';'))
      throw new XhtmlError(`Error parsing xhtml: Unterminated entity reference "${body}" ${position()}`);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const value = ENTITIES[body];
    if (value === undefined)
      throw new XhtmlError(`Error parsing xhtml: The entity "${body}" was referenced, but not declared. ${position()}`);
    return value;
  });
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parses a storage-format fragment (any number of top-level nodes) into a node list. */
export function parseXhtml(source: string): XNode[] {
  const root: XElement = { kind: 'element', name: '#root', attrs: {}, children: [] };
  const stack: XElement[] = [root];
  let i = 0;
  const position = (): string => {
    const before = source.slice(0, i);
    const row = before.split('\n').length;
    const col = i - before.lastIndexOf('\n');
    return `at [row,col {unknown-source}]: [${row},${col}]`;
  };
  const top = (): XElement => stack[stack.length - 1]!;
  const pushText = (value: string): void => {
    if (value.length > 0) top().children.push({ kind: 'text', text: value });
  };

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      pushText(decodeEntities(source.slice(i), position));
      break;
    }
    if (lt > i) pushText(decodeEntities(source.slice(i, lt), position));
    i = lt;
    if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end === -1) throw new XhtmlError(`Error parsing xhtml: Unexpected EOF in CDATA section ${position()}`);
      pushText(source.slice(i + 9, end));
      i = end + 3;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end === -1) throw new XhtmlError(`Error parsing xhtml: Unexpected EOF in comment ${position()}`);
      i = end + 3;
    } else if (source.startsWith('</', i)) {
      const match = /^<\/([A-Za-z][\w:.-]*)\s*>/.exec(source.slice(i));
      if (!match) throw new XhtmlError(`Error parsing xhtml: Unexpected character in end tag ${position()}`);
      const name = match[1]!;
      const open = top();
      if (VOID.has(name.toLowerCase()) && open.name !== name) {
        // `<br></br>`: the void element was never opened, so its end tag closes nothing.
        i += match[0].length;
        continue;
      }
      if (open === root || open.name !== name) {
        const expected = open === root ? 'no close tag' : `</${open.name}>`;
        throw new XhtmlError(
          `Error parsing xhtml: Unexpected close tag </${name}>; expected ${expected}. ${position()}`,
        );
      }
      stack.pop();
      i += match[0].length;
    } else {
      i = readStartTag(source, i, stack, position);
    }
  }
  if (stack.length > 1) {
    throw new XhtmlError(
      `Error parsing xhtml: Unexpected EOF; was expecting a close tag for element <${top().name}> ${position()}`,
    );
  }
  return root.children;
}

function readStartTag(source: string, start: number, stack: XElement[], position: () => string): number {
  const nameMatch = /^<([A-Za-z][\w:.-]*)/.exec(source.slice(start));
  if (!nameMatch) throw new XhtmlError(`Error parsing xhtml: Unexpected character '<' ${position()}`);
  const name = nameMatch[1]!;
  const attrs: Record<string, string> = {};
  let i = start + nameMatch[0].length;
  const attrPattern = /^\s+([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/;
  for (;;) {
    const rest = source.slice(i);
    const attr = attrPattern.exec(rest);
    if (attr) {
      attrs[attr[1]!] = decodeEntities(attr[3] ?? attr[4] ?? '', position);
      i += attr[0].length;
      continue;
    }
    const close = /^\s*(\/?)>/.exec(rest);
    if (!close) throw new XhtmlError(`Error parsing xhtml: Unexpected character in start tag <${name}> ${position()}`);
    i += close[0].length;
    const element: XElement = { kind: 'element', name, attrs, children: [] };
    stack[stack.length - 1]!.children.push(element);
    if (close[1] !== '/' && !VOID.has(name.toLowerCase())) stack.push(element);
    return i;
  }
}
