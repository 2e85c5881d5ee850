// The bridge as an entry of an mcp.json file, for editors without the MCP provider API (VS Code forks
// such as Kiro or Cursor): where those files live, what the entry holds, and adding or removing it
// without disturbing the rest of the file (other servers, comments, formatting: mcp.json is JSONC,
// edited through jsonc-parser). The entry holds no secret: only the path of the channel file
// (channelFile.ts), through which the bridge asks the running extension for credentials. The edits
// themselves are in mcpJsonEdit.ts, loaded when a command runs.
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
