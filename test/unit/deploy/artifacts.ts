// Reads the deployment files the way their platforms do, for deploy.test.ts: the Dockerfile
// (dockerfile-ast), the Kubernetes manifests (yaml), the Procfile and the systemd unit; and lists the
// environment names the server really reads, from its settings code.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DockerfileParser, type Dockerfile, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every variable src/bridge/config.ts and src/team/config.ts read (plus the `_FILE` forms of secrets). */
export function environmentNamesRead(): Set<string> {
  const names = new Set<string>();
  for (const file of ['src/bridge/config.ts', 'src/team/config.ts']) {
    const source = read(file);
    for (const [, how, name] of source.matchAll(/\b(get|secret|required|count|truthy\(env\.)\(?'?([A-Z][A-Z0-9_]+)/g)) {
      names.add(name!);
      if (how === 'secret') names.add(`${name}_FILE`);
    }
    for (const [, name] of source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) names.add(name!);
  }
  return names;
}

// ---- Dockerfile ----

export interface DockerStage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

export function dockerStages(dockerfile: Dockerfile = DockerfileParser.parse(read('Dockerfile'))): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line)!;
      stages.push({ image: from.getImage()!, name: from.getBuildStage(), instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

export const dockerInstruction = (stage: DockerStage, keyword: string) =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);

/** The exec form's argv (["node", "…"]). */
export function execForm(instruction: Instruction): string[] {
  return (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
}

/** ENV's name=value pairs. */
export function dockerEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of dockerInstruction(stage, 'ENV'))
    for (const arg of instruction.getArguments()) {
      const [name, ...value] = arg.getValue().split('=');
      env[name!] = value.join('=');
    }
  return env;
}

// ---- Kubernetes ----

export interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Every object in deploy/kubernetes/<file> (several documents per file allowed). */
export function k8sObjects(file: string): K8sObject[] {
  return parseAllDocuments(read(join('deploy/kubernetes', file))).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as K8sObject;
  });
}

// ---- Procfile and systemd ----

/** Procfile lines: process type → command. */
export function procfile(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of read('Procfile').split('\n')) {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** A systemd unit: section → key → values (keys may repeat, as Environment= and LoadCredential= do). */
export function systemdUnit(path: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of read(path).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) throw new Error(`${path}: not a key=value line: ${line}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}
