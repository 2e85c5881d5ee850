// Reads the extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { TransportSettings } from '../atlassian/transport';
import { DEFAULT_CALLBACK_PORT } from '../auth/loopback';
import { filtersFromSettings, type IssueFilter } from '../issues/issueList';
import type { BridgeSettings, RemoteServerSetting, RovoSetting } from '../mcp/serverPlan';

export const SETTINGS_SECTION = 'atlassianMcpBridge';

export const SETTING = {
  clientId: 'oauth.clientId',
  redirectHost: 'oauth.redirectHost',
  redirectPort: 'oauth.redirectPort',
  scopes: 'oauth.scopes',
  authorizationServer: 'endpoints.authorizationServer',
  apiGateway: 'endpoints.apiGateway',
  sandbox: 'sandbox',
  toolsets: 'bridge.toolsets',
  enabledTools: 'bridge.enabledTools',
  readOnly: 'bridge.readOnly',
  projectsFilter: 'bridge.jiraProjectsFilter',
  spacesFilter: 'bridge.confluenceSpacesFilter',
  remoteServers: 'remoteServers',
  rovoEnabled: 'rovo.enabled',
  rovoUrl: 'rovo.url',
  caFile: 'http.caFile',
  issueFilters: 'issues.filters',
  groupByStatus: 'issues.groupByStatus',
  refreshInterval: 'issues.refreshIntervalMinutes',
  branchTemplate: 'startWork.branchTemplate',
} as const;

export const fullSettingName = (key: string): string => `${SETTINGS_SECTION}.${key}`;

export interface AuthSettings {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  /** Discovery URL of a local sandbox; when set it supplies endpoints and the OAuth app. */
  readonly sandbox: string;
}

export function readAuthSettings(): AuthSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const host = config.get<string>(SETTING.redirectHost, '127.0.0.1');
  const port = config.get<number>(SETTING.redirectPort, DEFAULT_CALLBACK_PORT);
  return {
    clientId: config.get<string>(SETTING.clientId, '').trim(),
    redirectUri: `http://${host}:${port}/callback`,
    scopes: config.get<string[]>(SETTING.scopes, []),
    authBaseUrl: config.get<string>(SETTING.authorizationServer, 'https://auth.atlassian.com'),
    apiBaseUrl: config.get<string>(SETTING.apiGateway, 'https://api.atlassian.com'),
    sandbox: config.get<string>(SETTING.sandbox, '').trim(),
  };
}

export interface McpSettings {
  readonly bridge: BridgeSettings;
  readonly remotes: readonly RemoteServerSetting[];
  readonly rovo: RovoSetting;
}

export function readMcpSettings(): McpSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    bridge: {
      toolsets: config.get<string[]>(SETTING.toolsets, []),
      enabledTools: config.get<string[]>(SETTING.enabledTools, []),
      readOnly: config.get<boolean>(SETTING.readOnly, false),
      projectsFilter: config.get<string>(SETTING.projectsFilter, ''),
      spacesFilter: config.get<string>(SETTING.spacesFilter, ''),
    },
    remotes: config.get<RemoteServerSetting[]>(SETTING.remoteServers, []),
    rovo: {
      enabled: config.get<boolean>(SETTING.rovoEnabled, false),
      url: config.get<string>(SETTING.rovoUrl, 'https://mcp.atlassian.com/v2/mcp'),
    },
  };
}

export interface NetworkSettings extends TransportSettings {
  readonly caFile?: string;
}

/** The CA file of this extension plus VS Code's own proxy settings; an unreadable CA file is reported, not fatal. */
export function readNetworkSettings(onProblem: (message: string) => void): NetworkSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const http = vscode.workspace.getConfiguration('http');
  const caFile = config.get<string>(SETTING.caFile, '').trim() || undefined;
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (err) {
      onProblem(
        `The CA file in ${fullSettingName(SETTING.caFile)} cannot be read (${err instanceof Error ? err.message : String(err)}); using the default certificates.`,
      );
    }
  }
  const proxyUrl = http.get<string>('proxy', '').trim() || undefined;
  return { caFile: caPem ? caFile : undefined, caPem, proxyUrl, strictSSL: http.get<boolean>('proxyStrictSSL', true) };
}

export interface IssueSettings {
  readonly filters: readonly IssueFilter[];
  /** Filter entries that could not be used, in words. */
  readonly problems: readonly string[];
  readonly groupByStatus: boolean;
  /** 0: no automatic refresh. */
  readonly refreshIntervalMinutes: number;
}

export function readIssueSettings(): IssueSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const { filters, problems } = filtersFromSettings(config.get<unknown[]>(SETTING.issueFilters, []));
  return {
    filters,
    problems,
    groupByStatus: config.get<boolean>(SETTING.groupByStatus, false),
    refreshIntervalMinutes: Math.max(0, config.get<number>(SETTING.refreshInterval, 5)),
  };
}

export interface StartWorkSettings {
  /** The branch name template ('' means the default). */
  readonly branchTemplate: string;
}

export function readStartWorkSettings(): StartWorkSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return { branchTemplate: config.get<string>(SETTING.branchTemplate, '').trim() };
}
