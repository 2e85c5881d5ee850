// The deployment files (Dockerfile, deploy/kubernetes, Procfile, deploy/systemd) against the server
// they run: their command lines go through the bridge's own settings parser (src/bridge/config.ts,
// src/team/config.ts), every variable they set is one the server reads, ports and probe paths agree
// across files and answer on a real team server, and the drain fits inside the platform's grace.
// Docker and Kubernetes are not on the test machine: the files are checked, not run by them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { Copy } from 'dockerfile-ast';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildBridgePackage } from '../../../scripts/bridge-package';
import { bridgeBuilds } from '../../../scripts/bridgeBundle';
import { loadConfig, type BridgeConfig } from '../../../src/bridge/config';
import { parseTeamConfig } from '../../../src/team/config';
import { KeyRing } from '../../../src/team/vault/keyRing';
import { startSandbox } from '../../sandbox/index';
import { bridgeBundle } from '../bridge/harness';
import { freePort, teamEnv } from '../team/teamBridge';
import {
  ROOT,
  dockerEnv,
  dockerInstruction,
  dockerStages,
  environmentNamesRead,
  execForm,
  k8sObjects,
  procfile,
  systemdUnit,
  type K8sObject,
} from './artifacts';

// The objects the checks below walk (typed only as far as they read them).
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
  envFrom: { configMapRef: { name: string } }[];
  volumeMounts: { name: string; mountPath: string }[];
  securityContext: Record<string, unknown>;
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string } }[];
}

const SERVER_ARGS = (config: BridgeConfig) => {
  assert.equal(config.transport, 'streamable-http');
  assert.equal(config.auth, 'oauth');
};
const known = environmentNamesRead();
const assertKnownEnv = (names: Iterable<string>, where: string) => {
  for (const name of names)
    if (name !== 'NODE_ENV') assert.ok(known.has(name), `${where} sets ${name}, which the server never reads`);
};

describe('Deployment files match the server', function () {
  this.timeout(60_000);
  const [build, runtime] = dockerStages();
  const all = [
    'kustomization.yaml',
    'namespace.yaml',
    'configmap.yaml',
    'deployment.yaml',
    'service.yaml',
    'poddisruptionbudget.yaml',
    'horizontalpodautoscaler.yaml',
    'networkpolicy.yaml',
    'ingress.yaml',
  ];
  const one = (file: string, kind: string): K8sObject => {
    const found = k8sObjects(file).find((o) => o.kind === kind);
    assert.ok(found, `${file} holds a ${kind}`);
    return found;
  };
  const deployment = one('deployment.yaml', 'Deployment') as K8sObject & {
    spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { spec: PodSpec } };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;
  const configMap = one('configmap.yaml', 'ConfigMap') as K8sObject & { data: Record<string, string> };
  const graceSeconds = Number(configMap.data.MCP_SHUTDOWN_GRACE_SECONDS ?? 25);

  it('Dockerfile: multi-stage on Node 24, a numeric non-root user, health check on /healthz, the server command', () => {
    assert.ok(build && runtime, 'a build stage and a runtime stage');
    assert.match(build.image, /^node:24\b/);
    assert.match(runtime.image, /^node:24\b/);
    const builds = dockerInstruction(build, 'RUN').map((r) => r.getArgumentsContent() ?? '');
    assert.ok(
      builds.some((r) => r.includes('scripts/bridge-package.js')) &&
        existsSync(join(ROOT, 'scripts/bridge-package.js')),
    );
    const copies = dockerInstruction(runtime, 'COPY') as Copy[];
    assert.ok(
      copies.some((c) => c.getFromFlag()?.getValue() === build.name && c.getArgumentsContent() === '/out/ /app/'),
    );

    const user = dockerInstruction(runtime, 'USER').at(-1)!.getArgumentsContent()!;
    assert.match(user, /^[1-9]\d*(:\d+)?$/, 'numeric and not root');

    const argv = [
      ...execForm(dockerInstruction(runtime, 'ENTRYPOINT')[0]!),
      ...execForm(dockerInstruction(runtime, 'CMD')[0]!),
    ];
    assert.deepEqual(argv.slice(0, 2), ['node', '/app/dist/bridge.js'], 'the package’s layout (/out copied to /app)');
    const env = dockerEnv(runtime);
    assertKnownEnv(Object.keys(env), 'Dockerfile ENV');
    const config = loadConfig(env, argv.slice(2));
    SERVER_ARGS(config);
    assert.equal(config.host, '0.0.0.0', 'reachable from outside the container');
    assert.deepEqual(dockerInstruction(runtime, 'EXPOSE')[0]!.getArgumentsContent(), String(config.port));
    assert.ok(env.TEAM_SQLITE_FILE?.startsWith('/data/') && dockerInstruction(runtime, 'VOLUME').length === 1);

    const check = dockerInstruction(runtime, 'HEALTHCHECK')[0]!.getArgumentsContent()!;
    assert.ok(check.includes(`http://127.0.0.1:${config.port}/healthz`), check);
    assert.equal(dockerInstruction(runtime, 'STOPSIGNAL')[0]?.getArgumentsContent(), 'SIGTERM');
  });

  it('Kubernetes: every manifest parses; kustomization lists them; Deployment of ≥ 3 hardened replicas', () => {
    const kustomization = one('kustomization.yaml', 'Kustomization') as K8sObject & { resources: string[] };
    assert.deepEqual([...kustomization.resources].sort(), all.filter((f) => f !== 'kustomization.yaml').sort());
    for (const file of all) assert.ok(k8sObjects(file).length > 0, file);

    assert.ok(deployment.spec.replicas >= 3);
    assert.deepEqual(pod.securityContext.runAsNonRoot, true);
    const imageUser = Number(dockerInstruction(runtime!, 'USER').at(-1)!.getArgumentsContent()!.split(':')[0]);
    assert.equal(pod.securityContext.runAsUser, imageUser, 'the image’s own user');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual((container.securityContext.capabilities as { drop: string[] }).drop, ['ALL']);
  });

  it('Kubernetes: args, port, probes and variables are the server’s; Secrets reach it as files', () => {
    const env: Record<string, string> = { ...configMap.data };
    for (const { name, value } of container.env) env[name] = value;
    assert.equal(container.envFrom[0]!.configMapRef.name, configMap.metadata.name);
    assertKnownEnv(Object.keys(env), 'deployment.yaml / configmap.yaml');
    const config = loadConfig(env, container.args);
    SERVER_ARGS(config);
    assert.equal(config.host, '0.0.0.0');
    const http = container.ports.find((p) => p.name === 'http')!;
    assert.equal(http.containerPort, config.port);
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe!])
      assert.ok(probe.httpGet.port === 'http' || probe.httpGet.port === config.port);
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');

    // Each *_FILE names a key of a Secret mounted at its directory; the example Secrets hold those keys.
    const secrets = new Map(
      k8sObjects('secrets.example.yaml').map((s) => [
        s.metadata.name,
        (s as unknown as { stringData: Record<string, string> }).stringData,
      ]),
    );
    const dir = mkdtempSync(join(tmpdir(), 'amb-deploy-'));
    const asFiles: Record<string, string> = { ...env };
    for (const name of ['ATLASSIAN_OAUTH_CLIENT_SECRET_FILE', 'TEAM_VAULT_KEYS_FILE', 'TEAM_DATABASE_URL_FILE']) {
      const path = env[name];
      assert.ok(path, `${name} is set`);
      const mount = container.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`))!;
      const secretName = pod.volumes.find((v) => v.name === mount.name)?.secret?.secretName;
      const value = secrets.get(secretName!)?.[basename(path)];
      assert.ok(value, `${name}: Secret ${secretName} has key ${basename(path)}`);
      asFiles[name] = join(dir, name);
      writeFileSync(asFiles[name], name === 'TEAM_VAULT_KEYS_FILE' ? KeyRing.generateLine('2026-12') : value);
    }
    const team = parseTeamConfig(asFiles, config.path);
    assert.equal(team.database.kind, 'postgres', 'several replicas share PostgreSQL');
    assert.match(team.publicUrl, /^https:/);
  });

  it('Kubernetes: drain fits the grace period; Service, PDB, HPA, NetworkPolicy and Ingress point at the pods', () => {
    const pause = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    assert.ok(pod.terminationGracePeriodSeconds > pause + graceSeconds, 'SIGKILL only after the drain');
    const labels = deployment.spec.selector.matchLabels;
    const selects = (selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v) && Object.keys(selector).length > 0;
    const service = one('service.yaml', 'Service') as K8sObject & {
      spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
    };
    assert.ok(selects(service.spec.selector));
    assert.equal(service.spec.ports[0]!.targetPort, 'http');
    const pdb = one('poddisruptionbudget.yaml', 'PodDisruptionBudget') as K8sObject & {
      spec: { maxUnavailable?: number; minAvailable?: number; selector: { matchLabels: Record<string, string> } };
    };
    assert.ok(selects(pdb.spec.selector.matchLabels));
    assert.ok(
      (pdb.spec.maxUnavailable ?? 0) >= 1 || (pdb.spec.minAvailable ?? 0) < deployment.spec.replicas,
      'drains can proceed',
    );
    const hpa = one('horizontalpodautoscaler.yaml', 'HorizontalPodAutoscaler') as K8sObject & {
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
    };
    assert.deepEqual(hpa.spec.scaleTargetRef.kind, 'Deployment');
    assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
    assert.ok(hpa.spec.minReplicas >= 3 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
    const policy = one('networkpolicy.yaml', 'NetworkPolicy') as K8sObject & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        ingress: { ports: { port: number }[] }[];
        egress: { ports: { port: number }[] }[];
      };
    };
    assert.ok(selects(policy.spec.podSelector.matchLabels));
    const port = container.ports[0]!.containerPort;
    assert.deepEqual(
      policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port)),
      [port],
    );
    const egress = policy.spec.egress.flatMap((r) => r.ports.map((p) => p.port));
    for (const needed of [53, 5432, 443]) assert.ok(egress.includes(needed), `egress to ${needed}`);
    const ingress = one('ingress.yaml', 'Ingress') as K8sObject & {
      spec: { rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[] };
    };
    assert.equal(
      `https://${ingress.spec.rules[0]!.host}`,
      configMap.data.TEAM_PUBLIC_URL,
      'the Ingress host is TEAM_PUBLIC_URL',
    );
    assert.equal(ingress.spec.rules[0]!.http.paths[0]!.backend.service.name, service.metadata.name);
  });

  it('Procfile: the web process runs the built bridge as the team server on the platform’s $PORT', () => {
    const web = procfile().get('web');
    assert.ok(web, 'a web process');
    const [node, script, ...args] = web.split(/\s+/);
    assert.equal(node, 'node');
    assert.equal(script, 'dist/bridge.js', 'what `npm run build` writes');
    const config = loadConfig({ PORT: '5123' }, args);
    SERVER_ARGS(config);
    assert.equal(config.port, 5123, 'the port comes from the platform');
    assert.equal(config.host, '0.0.0.0');
  });

  it('systemd: a hardened unit running the team server; its credentials become the *_FILE settings', () => {
    const path = 'deploy/systemd/atlassian-mcp-bridge.service';
    const unit = systemdUnit(path);
    const service = unit.get('Service')!;
    const value = (key: string) => service.get(key)?.at(-1);
    const [node, script, ...args] = value('ExecStart')!.split(/\s+/);
    assert.equal(node, '/usr/bin/node');
    assert.equal(script, '/opt/atlassian-mcp-bridge/dist/bridge.js', 'the bridge package unpacked in /opt');
    const environment = Object.fromEntries(service.get('Environment')!.map((e) => e.split('=', 2) as [string, string]));
    assertKnownEnv(Object.keys(environment), path);
    const config = loadConfig(environment, args);
    SERVER_ARGS(config);
    assert.equal(config.host, '127.0.0.1', 'behind a reverse proxy on the same machine');
    const credentials = (service.get('LoadCredential') ?? []).map((c) => c.split(':')[0]);
    for (const [name, file] of Object.entries(environment).filter(([, v]) => v.startsWith('%d/')))
      assert.ok(credentials.includes(file.replace('%d/', '')), `${name} is a LoadCredential`);
    for (const [key, wanted] of Object.entries({
      DynamicUser: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      NoNewPrivileges: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      CapabilityBoundingSet: '',
      RestrictNamespaces: 'yes',
      KillSignal: 'SIGTERM',
      RestartPreventExitStatus: '2',
    }))
      assert.equal(value(key), wanted, key);
    assert.ok(Number(value('TimeoutStopSec')) > Number(environment.MCP_SHUTDOWN_GRACE_SECONDS));
    if (existsSync('/usr/bin/systemd-analyze')) {
      const verify = spawnSync('systemd-analyze', ['verify', join(ROOT, path)], { encoding: 'utf8' });
      assert.equal(verify.stderr.trim(), '', 'systemd-analyze verify finds nothing to say');
    }
  });

  it('the probe and health-check paths answer on a real team server started with the image’s arguments', async () => {
    const sandbox = await startSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'amb-deploy-'));
    const port = await freePort();
    const argv = execForm(dockerInstruction(runtime!, 'CMD')[0]!).map((a, i, all) =>
      all[i - 1] === '--host' ? '127.0.0.1' : all[i - 1] === '--port' ? String(port) : a,
    );
    const origin = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [await bridgeBundle(), ...argv], {
      env: { PATH: process.env.PATH ?? '', ...teamEnv(sandbox, origin, dir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('listening on') && resolve());
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const paths = [container.livenessProbe, container.readinessProbe, container.startupProbe!].map(
        (p) => p.httpGet.path,
      );
      paths.push(
        new URL(/http:\/\/[^']+/.exec(dockerInstruction(runtime!, 'HEALTHCHECK')[0]!.getArgumentsContent()!)![0])
          .pathname,
      );
      for (const path of new Set(paths)) assert.equal((await fetch(`${origin}${path}`)).status, 200, path);
      const scrape = (deployment.spec.template as unknown as { metadata: { annotations: Record<string, string> } })
        .metadata.annotations;
      assert.equal((await fetch(`${origin}${scrape['prometheus.io/path']}`)).status, 200, 'Prometheus scrape path');
      assert.equal(scrape['prometheus.io/port'], String(container.ports[0]!.containerPort));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await sandbox.close();
    }
  });

  it('the bridge package: npx-able bin with a shebang, every bridge bundle, the extension’s version', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages/bridge/package.json'), 'utf8')) as {
      name: string;
      version: string;
      bin: Record<string, string>;
      files: string[];
      private?: boolean;
    };
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(manifest.version, root.version);
    assert.notEqual(manifest.private, true, 'publishable');
    assert.deepEqual(Object.values(manifest.bin), ['dist/bridge.js']);
    const bundles = bridgeBuilds({}, 'dist').map((b) => `dist/${basename(String(b.outfile))}`);
    for (const bundle of bundles) assert.ok(manifest.files.includes(bundle), `${bundle} ships`);

    const out = await buildBridgePackage(mkdtempSync(join(tmpdir(), 'amb-bridge-package-')));
    const bin = join(out, manifest.bin[Object.keys(manifest.bin)[0]!]!);
    assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--transport stdio\|streamable-http/);
    const oauth = spawnSync(bin, ['--transport', 'streamable-http', '--auth', 'oauth'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    assert.equal(oauth.status, 2, 'team.js loads from beside bridge.js and asks for its settings');
    assert.match(oauth.stderr, /TEAM_PUBLIC_URL is required/);
  });
});
