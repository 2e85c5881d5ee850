// The bridge as an entry of an mcp.json file, for editors without the MCP provider API (VS Code forks
// such as Kiro or Cursor): where those files live, what the entry holds, and adding or removing it
// without disturbing the rest of the file (other servers, comments, formatting: mcp.json is JSONC,
// edited through jsonc-parser). The entry holds no secret: only the path of the channel file
// (channelFile.ts), through which the bridge asks the running extension for credentials.
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type ParseError } from 'jsonc-parser';
import { join } from 'node:path';
import { CHANNEL_FILE_ENV } from '../credentials/protocol';

/** The server's name in mcp.json. */
export const MCP_JSON_SERVER_NAME = 'atlassian-mcp-bridge';

/** VS Code's files keep servers under `servers`; Kiro's, Cursor's and Claude's under `mcpServers`. */
export type McpJsonFlavour = 'servers' | 'mcpServers';

export interface McpJsonTarget {
  readonly scope: 'workspace' | 'user';
  readonly path: string;
  readonly flavour: McpJsonFlavour;
}

export interface BridgeEntry {
  readonly type?: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Thrown for a file that is not JSONC with an object at the top: it is left as it is. */
export class McpJsonError extends Error {}

/**
 * Where this editor reads mcp.json. `userDir` is VS Code's `User` folder (two levels above an
 * extension's global storage); `home` the user's home. Kiro and Cursor keep theirs apart.
 */
export function mcpJsonTargets(options: {
  readonly appName: string;
  readonly workspaceFolder: string | undefined;
  readonly userDir: string;
  readonly home: string;
}): McpJsonTarget[] {
  const { appName, workspaceFolder, userDir, home } = options;
  const own = (dir: string, workspaceDir: string): McpJsonTarget[] => [
    ...(workspaceFolder
      ? [
          {
            scope: 'workspace' as const,
            path: join(workspaceFolder, workspaceDir, 'mcp.json'),
            flavour: 'mcpServers' as const,
          },
        ]
      : []),
    { scope: 'user', path: join(home, dir, 'mcp.json'), flavour: 'mcpServers' },
  ];
  if (/kiro/i.test(appName)) return own(join('.kiro', 'settings'), join('.kiro', 'settings'));
  if (/cursor/i.test(appName)) return own('.cursor', '.cursor');
  return [
    ...(workspaceFolder
      ? [
          {
            scope: 'workspace' as const,
            path: join(workspaceFolder, '.vscode', 'mcp.json'),
            flavour: 'servers' as const,
          },
        ]
      : []),
    { scope: 'user', path: join(userDir, 'mcp.json'), flavour: 'servers' },
  ];
}

/** The entry: the editor's own Node (Electron run as Node) starting dist/bridge.js with the channel file's path. */
export function bridgeEntry(options: {
  readonly nodePath: string;
  readonly nodeFlags: readonly string[];
  readonly bridgePath: string;
  readonly channelFile: string;
  readonly flavour: McpJsonFlavour;
}): BridgeEntry {
  return {
    ...(options.flavour === 'servers' ? { type: 'stdio' as const } : {}),
    command: options.nodePath,
    args: [...options.nodeFlags, options.bridgePath],
    env: { ELECTRON_RUN_AS_NODE: '1', [CHANNEL_FILE_ENV]: options.channelFile },
  };
}

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
