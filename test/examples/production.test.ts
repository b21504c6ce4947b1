import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/paths';

// examples/production is not deployed by CI (no container engine or cluster here): these
// checks hold what can be held without one. Every YAML file parses, every component a
// Collector pipeline names is defined, the two tiers carry the keys their components
// require, and the app is started with the agent in NODE_OPTIONS.

const DIR = path.join(ROOT, 'examples', 'production');

type Doc = Record<string, unknown>;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(d.name) ? [full] : [];
  });
}

/** Every document of a file, parsed strictly: a syntax error or warning fails. */
function parseFile(file: string): Doc[] {
  return parseYaml(readFileSync(file, 'utf8'), file);
}

function parseYaml(text: string, where: string): Doc[] {
  return parseAllDocuments(text).map((doc) => {
    const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
    if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: a document is not a mapping`);
    return value as Doc;
  });
}

function obj(value: unknown, what: string): Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a mapping`);
  return value as Doc;
}

/**
 * The problems of one Collector configuration: each pipeline's receivers, processors and
 * exporters (and the service's extensions) must be defined in their sections. A component
 * id may carry a name (`otlp/jaeger`): it is looked up whole, as the Collector does.
 */
function collectorProblems(config: Doc): string[] {
  const problems: string[] = [];
  const service = obj(config.service, 'service');
  const pipelines = obj(service.pipelines, 'service.pipelines');
  if (Object.keys(pipelines).length === 0) problems.push('no pipeline');
  for (const [name, raw] of Object.entries(pipelines)) {
    const pipeline = obj(raw, `pipeline ${name}`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const ids = pipeline[kind] ?? [];
      if (!Array.isArray(ids)) {
        problems.push(`pipeline ${name}: ${kind} is not a list`);
        continue;
      }
      if (kind !== 'processors' && ids.length === 0) problems.push(`pipeline ${name}: no ${kind}`);
      const defined = (config[kind] ?? {}) as Doc;
      for (const id of ids) if (!(String(id) in defined)) problems.push(`pipeline ${name}: ${kind.slice(0, -1)} '${String(id)}' is not defined`);
    }
  }
  const extensions = (config.extensions ?? {}) as Doc;
  for (const id of (service.extensions ?? []) as unknown[]) if (!(String(id) in extensions)) problems.push(`extension '${String(id)}' is not defined`);
  return problems;
}

const FILES = yamlFiles(DIR);
const PARSED = new Map(FILES.map((f) => [path.relative(DIR, f), parseFile(f)]));
const K8S = [...PARSED].filter(([rel]) => rel.startsWith('k8s' + path.sep));

/** The Collector configurations: the files under collector/ and every config.yaml a ConfigMap holds. */
function collectorConfigs(): Array<[string, Doc]> {
  const out: Array<[string, Doc]> = [];
  for (const [rel, docs] of PARSED) if (rel.startsWith('collector' + path.sep)) out.push([rel, docs[0]!]);
  for (const [rel, docs] of K8S) {
    for (const doc of docs) {
      if (doc.kind !== 'ConfigMap') continue;
      for (const [key, text] of Object.entries(obj(doc.data, `${rel} data`))) {
        const where = `${rel} ${String(obj(doc.metadata, 'metadata').name)}/${key}`;
        out.push([where, parseYaml(String(text), where)[0]!]);
      }
    }
  }
  return out;
}

const CONFIGS = collectorConfigs();

function withComponent(section: 'exporters' | 'processors', id: string): Array<[string, Doc]> {
  return CONFIGS.filter(([, c]) => id in ((c[section] ?? {}) as Doc)).map(([w, c]) => [w, obj((c[section] as Doc)[id], `${w} ${id}`)]);
}

describe('examples/production', () => {
  it('holds the Compose file, two Collector tiers and the Kubernetes manifests, all parsing', () => {
    expect([...PARSED.keys()].sort()).toEqual(
      expect.arrayContaining(['compose.yaml', path.join('collector', 'agent.yaml'), path.join('collector', 'sampler.yaml')]),
    );
    expect(K8S.length).toBeGreaterThanOrEqual(4);
    // The two standalone tiers plus the two ConfigMap copies.
    expect(CONFIGS.length).toBe(4);
  });

  it('defines every receiver, processor, exporter and extension a Collector pipeline names', () => {
    for (const [where, config] of CONFIGS) expect(collectorProblems(config), where).toEqual([]);
  });

  it('finds a pipeline that names an undefined component (the check can fail)', () => {
    const [, config] = CONFIGS[0]!;
    const broken = structuredClone(config);
    const traces = obj(obj(obj(broken.service, 'service').pipelines, 'pipelines').traces, 'traces');
    traces.exporters = [...(traces.exporters as string[]), 'otlp/missing'];
    expect(collectorProblems(broken)).toEqual(["pipeline traces: exporter 'otlp/missing' is not defined"]);
  });

  it('routes by trace id with the OTLP protocol and one resolver in every load-balancing tier', () => {
    const lbs = withComponent('exporters', 'loadbalancing');
    expect(lbs.map(([w]) => w)).toEqual([path.join('collector', 'agent.yaml'), expect.stringContaining('otel-agent-config')]);
    for (const [where, lb] of lbs) {
      expect(lb.routing_key, where).toBe('traceID');
      expect(obj(lb.protocol, `${where} protocol`).otlp, where).toBeTypeOf('object');
      const resolver = obj(lb.resolver, `${where} resolver`);
      // The exporter accepts exactly one resolver.
      expect(Object.keys(resolver), where).toHaveLength(1);
      const [kind] = Object.keys(resolver);
      expect(['static', 'dns', 'k8s'], where).toContain(kind);
      if (kind === 'static') expect((obj(resolver.static, 'static').hostnames as string[]).length, where).toBeGreaterThan(0);
      if (kind === 'dns') expect(obj(resolver.dns, 'dns').hostname, where).toMatch(/headless/);
    }
  });

  it('keeps errors, traces over one second and 10% of the rest in every tail-sampling tier', () => {
    const samplers = withComponent('processors', 'tail_sampling');
    expect(samplers).toHaveLength(2);
    for (const [where, ts] of samplers) {
      const policies = ts.policies as Doc[];
      const byType = new Map(policies.map((p) => [p.type, p]));
      expect(policies, where).toHaveLength(3);
      expect(obj(byType.get('status_code')?.status_code, 'status_code').status_codes, where).toEqual(['ERROR']);
      expect(obj(byType.get('latency')?.latency, 'latency').threshold_ms, where).toBe(1000);
      expect(obj(byType.get('probabilistic')?.probabilistic, 'probabilistic').sampling_percentage, where).toBe(10);
      for (const p of policies) expect(p.name, where).toBeTypeOf('string');
    }
    // The sampled traces leave by OTLP to a backend.
    for (const [where, otlp] of withComponent('exporters', 'otlp')) expect(otlp.endpoint, where).toMatch(/jaeger|tempo/);
  });

  it('gives every Compose service an image and starts the app with the agent in NODE_OPTIONS', () => {
    const services = obj(PARSED.get('compose.yaml')![0]!.services, 'services');
    for (const [name, s] of Object.entries(services)) expect(obj(s, name).image, name).toBeTypeOf('string');
    const env = obj(obj(services.app, 'app').environment, 'app environment');
    expect(env.NODE_OPTIONS).toBe('--require waymark/register.js');
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/agent:4318$/);
    expect(env.OTEL_SERVICE_NAME).toBeTypeOf('string');
  });

  it('gives every Kubernetes object apiVersion, kind and a name, and the app container NODE_OPTIONS and its pod identity', () => {
    const kinds: string[] = [];
    for (const [rel, docs] of K8S) {
      for (const doc of docs) {
        expect(doc.apiVersion, rel).toBeTypeOf('string');
        expect(doc.kind, rel).toBeTypeOf('string');
        expect(obj(doc.metadata, `${rel} metadata`).name, rel).toBeTypeOf('string');
        kinds.push(String(doc.kind));
      }
    }
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'DaemonSet', 'Service', 'ConfigMap']));
    const headless = K8S.flatMap(([, d]) => d).filter((d) => d.kind === 'Service' && obj(d.spec, 'spec').clusterIP === 'None');
    expect(headless).toHaveLength(1);

    const app = K8S.flatMap(([, d]) => d).find((d) => d.kind === 'Deployment' && obj(d.metadata, 'metadata').name === 'checkout')!;
    const podSpec = obj(obj(obj(app.spec, 'spec').template, 'template').spec, 'pod spec');
    const container = (podSpec.containers as Doc[])[0]!;
    const env = new Map((container.env as Doc[]).map((e) => [e.name, e]));
    expect(env.get('NODE_OPTIONS')?.value).toBe('--require waymark/register.js');
    const fieldPath = (name: string): unknown => obj(obj(env.get(name)?.valueFrom, name).fieldRef, name).fieldPath;
    expect(fieldPath('K8S_POD_NAME')).toBe('metadata.name');
    expect(fieldPath('K8S_NAMESPACE_NAME')).toBe('metadata.namespace');
    expect(fieldPath('K8S_NODE_NAME')).toBe('spec.nodeName');
    expect(fieldPath('HOST_IP')).toBe('status.hostIP');
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value).toBe('http://$(HOST_IP):4318');
  });
});
