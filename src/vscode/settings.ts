// Reads the extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';

export const SETTINGS_SECTION = 'atlassianMcpBridge';

export const SETTING = {
  clientId: 'oauth.clientId',
  redirectHost: 'oauth.redirectHost',
  redirectPort: 'oauth.redirectPort',
  scopes: 'oauth.scopes',
  authorizationServer: 'endpoints.authorizationServer',
  apiGateway: 'endpoints.apiGateway',
  sandbox: 'sandbox',
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
  const port = config.get<number>(SETTING.redirectPort, 33418);
  return {
    clientId: config.get<string>(SETTING.clientId, '').trim(),
    redirectUri: `http://${host}:${port}/callback`,
    scopes: config.get<string[]>(SETTING.scopes, []),
    authBaseUrl: config.get<string>(SETTING.authorizationServer, 'https://auth.atlassian.com'),
    apiBaseUrl: config.get<string>(SETTING.apiGateway, 'https://api.atlassian.com'),
    sandbox: config.get<string>(SETTING.sandbox, '').trim(),
  };
}
