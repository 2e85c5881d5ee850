// The forwarding endpoint alone in a process, as it runs in the extension host, so the hostile-remote
// suite can measure its memory (VmHWM) and event-loop delay without the test's own servers in the
// figures. Driven over IPC: configure, stats, resetStats, close. Credentials: one fixed token.
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { ForwardingProxy } from '../../../src/remote/forwardingProxy';
import type { RemoteServerConfig } from '../../../src/remote/forwardingProxy';

export interface ProxyStats {
  readonly rssBytes: number;
  /** Peak resident set since the last resetStats (VmHWM). */
  readonly peakRssBytes: number;
  readonly eventLoopMaxMs: number;
  readonly eventLoopP99Ms: number;
  readonly activeForwards: number;
}

export type ProxyCommand =
  | { readonly id: number; readonly type: 'configure'; readonly remotes: RemoteServerConfig[] }
  | { readonly id: number; readonly type: 'stats' | 'resetStats' | 'close' };

const token = process.env.AMB_PROXY_TOKEN ?? 'hardening-token';
const cloudId = process.env.AMB_PROXY_CLOUD_ID ?? 'cloud-id';
const ca = process.env.AMB_PROXY_CA;
const proxy = new ForwardingProxy(
  { authorization: async () => ({ status: 'ok', authorization: `Bearer ${token}`, cloudId }) },
  ca ? { ca: [...rootCertificates, ca] } : {},
);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

function statusKb(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

function stats(): ProxyStats {
  return {
    rssBytes: statusKb('VmRSS'),
    peakRssBytes: statusKb('VmHWM'),
    eventLoopMaxMs: delay.max / 1e6,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    activeForwards: proxy.activeForwards,
  };
}

process.on('message', (command: ProxyCommand) => {
  const reply = (result: unknown) => process.send?.({ id: command.id, result });
  switch (command.type) {
    case 'configure':
      void proxy.configure(command.remotes).then(reply, (err: unknown) => reply({ error: String(err) }));
      return;
    case 'stats':
      return reply(stats());
    case 'resetStats':
      delay.reset();
      // Linux: "5" resets the peak (VmHWM) to the current resident set.
      writeFileSync('/proc/self/clear_refs', '5');
      return reply(stats());
    case 'close':
      delay.disable();
      void proxy.close().then(() => {
        reply('closed');
        process.disconnect();
      });
  }
});
process.send?.({ id: 0, result: 'ready' });
