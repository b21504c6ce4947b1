import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import { setLogLevel, setLogSink } from '../../../src/diag';

function capture(env: Record<string, string>) {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  const config = readConfig(env);
  return { attrs: config.resourceAttributes, config, lines };
}

afterEach(() => {
  setLogSink((l) => process.stderr.write(l + '\n'));
  setLogLevel('info');
});

describe('the resource readConfig builds', () => {
  it('holds the detected attributes by default, with service.name unknown_service:node', () => {
    const { attrs, lines } = capture({ K8S_POD_NAME: 'shop-1', K8S_NAMESPACE_NAME: 'prod' });
    expect(lines).toEqual([]);
    expect(attrs).toMatchObject({
      'service.name': 'unknown_service:node',
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'os.type': process.platform === 'win32' ? 'windows' : process.platform,
      'k8s.pod.name': 'shop-1',
      'k8s.namespace.name': 'prod',
      'telemetry.sdk.name': 'waymark',
    });
    expect(attrs['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof attrs['host.name']).toBe('string');
    expect(attrs['process.command_args']).toBeUndefined();
  });

  it('lets OTEL_RESOURCE_ATTRIBUTES override detected values and adds deployment.environment.name; OTEL_SERVICE_NAME wins', () => {
    const { attrs } = capture({
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,host.name=edge-1,k8s.pod.name=set,service.name=from-attrs',
      K8S_POD_NAME: 'detected',
      OTEL_SERVICE_NAME: 'checkout',
    });
    expect(attrs).toMatchObject({ 'deployment.environment.name': 'staging', 'host.name': 'edge-1', 'k8s.pod.name': 'set', 'service.name': 'checkout' });
    expect(capture({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }).config.serviceName).toBe('from-attrs');
  });

  it('runs only the named detectors; none leaves the user-set and SDK attributes', () => {
    const hostOnly = capture({ OTEL_NODE_RESOURCE_DETECTORS: 'host' });
    expect(hostOnly.attrs['host.arch']).toBeDefined();
    expect(hostOnly.attrs['process.pid']).toBeUndefined();
    expect(hostOnly.config.resourceDetectors).toEqual(['host']);
    const none = capture({ OTEL_NODE_RESOURCE_DETECTORS: 'none', OTEL_RESOURCE_ATTRIBUTES: 'a=b' });
    expect(Object.keys(none.attrs).sort()).toEqual(['a', 'service.name', 'telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version']);
  });

  it('adds process.command_args only with WAYMARK_RESOURCE_COMMAND_ARGS=true', () => {
    expect(capture({ WAYMARK_RESOURCE_COMMAND_ARGS: 'true' }).attrs['process.command_args']).toEqual([process.argv[0], ...process.execArgv, ...process.argv.slice(1)]);
  });

  it('reports an unknown detector name and a cloud one in one line each, and runs the rest', () => {
    const { lines, config } = capture({ OTEL_NODE_RESOURCE_DETECTORS: 'os,bogus,gcp' });
    expect(lines).toEqual([
      '[waymark] warn: invalid OTEL_NODE_RESOURCE_DETECTORS="bogus"; using the default ("name skipped")',
      '[waymark] warn: OTEL_NODE_RESOURCE_DETECTORS: the gcp detector is not available in waymark (no metadata calls at startup); set cloud.* attributes with OTEL_RESOURCE_ATTRIBUTES',
    ]);
    expect(config.resourceDetectors).toEqual(['os']);
  });
});
