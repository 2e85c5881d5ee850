// Adding the bridge's entry to an mcp.json text and removing it, without disturbing the rest (other
// servers, inputs, comments, formatting): mcp.json is JSONC, edited through jsonc-parser.
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type ParseError } from 'jsonc-parser';
import { MCP_JSON_SERVER_NAME, type BridgeEntry, type McpJsonFlavour } from './mcpJson';

/** Thrown for a file that is not JSONC with an object at the top: it is left as it is. */
export class McpJsonError extends Error {}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** The file's text with the entry added or replaced; a missing or empty file becomes a new one. */
export function withBridge(text: string, entry: BridgeEntry, flavour: McpJsonFlavour): string {
  const source = text.trim() ? text : '{}\n';
  check(source);
  return applyEdits(source, modify(source, [flavour, MCP_JSON_SERVER_NAME], entry, FORMAT));
}

/** The file's text without the entry (unchanged when it has none). */
export function withoutBridge(
  text: string,
  flavour: McpJsonFlavour,
): { readonly text: string; readonly removed: boolean } {
  if (!text.trim() || !hasBridge(text, flavour)) return { text, removed: false };
  return { text: applyEdits(text, modify(text, [flavour, MCP_JSON_SERVER_NAME], undefined, FORMAT)), removed: true };
}

export function hasBridge(text: string, flavour: McpJsonFlavour): boolean {
  if (!text.trim()) return false;
  check(text);
  const root = parseTree(text, [], { allowTrailingComma: true });
  return root !== undefined && findNodeAtLocation(root, [flavour, MCP_JSON_SERVER_NAME]) !== undefined;
}

/** The entry as it stands in the file, if any. */
export function readBridgeEntry(text: string, flavour: McpJsonFlavour): BridgeEntry | undefined {
  if (!hasBridge(text, flavour)) return undefined;
  const servers = (parse(text, [], { allowTrailingComma: true }) as Record<string, Record<string, unknown>>)[flavour];
  return servers?.[MCP_JSON_SERVER_NAME] as BridgeEntry | undefined;
}

function check(text: string): void {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0)
    throw new McpJsonError(`it is not valid JSON with comments (error at offset ${errors[0]!.offset})`);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new McpJsonError('its top level is not an object');
}
