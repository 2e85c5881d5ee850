// Browser sign-in needs the browser to reach the loopback listener at exactly the callback URL the
// OAuth app registered. In a remote window (Remote-SSH, WSL, Codespaces, code-server) the listener
// runs elsewhere; VS Code's asExternalUri says how the browser would reach it. When that is not the
// registered URL, Atlassian would never redirect there: say so at once instead of waiting.

export type CallbackReach =
  | { readonly kind: 'direct' }
  | {
      readonly kind: 'mismatch';
      readonly registered: string;
      readonly reachableAs: string;
      readonly why: 'host' | 'port' | 'path' | 'scheme';
    };

export interface CallbackReachInput {
  /** `vscode.env.remoteName`: undefined in a local window. */
  readonly remoteName: string | undefined;
  /** The callback URL registered in the OAuth app (where the listener listens). */
  readonly registered: string;
  /** What asExternalUri made of it: the address a browser on the user's machine would use. */
  readonly external: string;
}

export function callbackReach(input: CallbackReachInput): CallbackReach {
  // A local window: the browser and the listener share the machine.
  if (input.remoteName === undefined) return { kind: 'direct' };
  const registered = new URL(input.registered);
  const external = new URL(input.external);
  const why =
    registered.protocol !== external.protocol
      ? 'scheme'
      : registered.hostname !== external.hostname
        ? 'host'
        : effectivePort(registered) !== effectivePort(external)
          ? 'port'
          : registered.pathname.replace(/\/+$/, '') !== external.pathname.replace(/\/+$/, '')
            ? 'path'
            : undefined;
  return why === undefined
    ? { kind: 'direct' }
    : { kind: 'mismatch', registered: input.registered, reachableAs: external.toString(), why };
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}
