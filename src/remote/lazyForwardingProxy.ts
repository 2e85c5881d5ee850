// The forwarding endpoint as the extension holds it from activation. The proxy itself ships as
// dist/forwardingProxy.js (esbuild.js) and is created the first time a remote MCP server needs a
// route or a probe: with no remote servers configured (most people) it is never loaded or started.
import type * as ProxyModule from './forwardingProxy';
import type {
  ForwardingProxyOptions,
  ProbeReport,
  RemoteCredentials,
  RemoteServerConfig,
  RouteResult,
} from './forwardingTypes';

export class LazyForwardingProxy {
  private proxy: ProxyModule.ForwardingProxy | undefined;
  private closed = false;

  /** `options` is read when the proxy is created (e.g. the CA file, read once then). */
  constructor(
    private readonly credentials: RemoteCredentials,
    private readonly options: () => ForwardingProxyOptions,
  ) {}

  /** Whether the proxy has been created (for tests: activation must not create it). */
  get loaded(): boolean {
    return this.proxy !== undefined;
  }

  configure(remotes: readonly RemoteServerConfig[]): Promise<RouteResult[]> {
    return this.instance().configure(remotes);
  }

  probe(remoteId: string): Promise<ProbeReport> {
    return this.instance().probe(remoteId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.proxy?.close();
  }

  private instance(): ProxyModule.ForwardingProxy {
    if (!this.proxy) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
      const { ForwardingProxy } = require('./forwardingProxy') as typeof ProxyModule;
      this.proxy = new ForwardingProxy(this.credentials, this.options());
      // Closed before first use: the proxy refuses to configure, as it would have.
      if (this.closed) void this.proxy.close();
    }
    return this.proxy;
  }
}
