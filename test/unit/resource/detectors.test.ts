import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHost } from '../../../src/resource/host-detector';
import { detectK8s } from '../../../src/resource/k8s-detector';
import { detectOs } from '../../../src/resource/os-detector';
import { detectProcess } from '../../../src/resource/process-detector';
import { detectServiceInstance } from '../../../src/resource/service-instance-detector';
import { detectServiceVersion } from '../../../src/resource/service-version-detector';
import { selectDetectors } from '../../../src/resource/detect-resource';

describe('host detector', () => {
  it('spells host.arch as the conventions do', () => {
    expect(detectHost('x64', () => 'box')).toEqual({ 'host.arch': 'amd64', 'host.name': 'box' });
    expect(detectHost('arm64', () => 'box')['host.arch']).toBe('arm64');
    expect(detectHost('ia32', () => 'box')['host.arch']).toBe('x86');
    expect(detectHost('arm', () => 'box')['host.arch']).toBe('arm32');
  });

  it('leaves host.name out when the hostname cannot be read', () => {
    expect(detectHost('x64', () => { throw new Error('no'); })).toEqual({ 'host.arch': 'amd64' });
  });
});

describe('os detector', () => {
  it('spells os.type as the conventions do', () => {
    expect(detectOs('linux', () => '6.1.0')).toEqual({ 'os.type': 'linux', 'os.version': '6.1.0' });
    expect(detectOs('win32', () => '10.0')['os.type']).toBe('windows');
    expect(detectOs('darwin', () => '23.0')['os.type']).toBe('darwin');
    expect(detectOs('sunos', () => '5.11')['os.type']).toBe('solaris');
  });
});

describe('process detector', () => {
  const proc = { pid: 42, execPath: '/usr/local/bin/node', versions: { node: '22.1.0' }, argv: ['/usr/local/bin/node', '/app/server.js', '--token=s3cret'], execArgv: ['--require', 'waymark/register.js'] } as unknown as NodeJS.Process;

  it('describes the process and runtime, without the command line by default', () => {
    expect(detectProcess(false, proc)).toEqual({
      'process.pid': 42,
      'process.executable.name': 'node',
      'process.executable.path': '/usr/local/bin/node',
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '22.1.0',
      'process.runtime.description': 'Node.js',
    });
  });

  it('adds process.command_args when asked (node flags, then the script and its arguments)', () => {
    expect(detectProcess(true, proc)['process.command_args']).toEqual(['/usr/local/bin/node', '--require', 'waymark/register.js', '/app/server.js', '--token=s3cret']);
  });
});

describe('service instance detector', () => {
  it('gives a random UUID', () => {
    const a = detectServiceInstance()['service.instance.id'];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(detectServiceInstance()['service.instance.id']).not.toBe(a);
  });
});

describe('service version detector', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'waymark-version-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'outer', version: '9.9.9' }));
  mkdirSync(path.join(root, 'app', 'src', 'bin'), { recursive: true });
  writeFileSync(path.join(root, 'app', 'package.json'), JSON.stringify({ name: 'shop', version: '1.4.2' }));
  mkdirSync(path.join(root, 'noversion'));
  writeFileSync(path.join(root, 'noversion', 'package.json'), JSON.stringify({ name: 'x' }));

  it('reads the version of the nearest package.json above the entry script', () => {
    expect(detectServiceVersion(path.join(root, 'app', 'src', 'bin', 'server.js'))).toEqual({ 'service.version': '1.4.2' });
    expect(detectServiceVersion(path.join(root, 'other.js'))).toEqual({ 'service.version': '9.9.9' });
  });

  it('stops at the nearest package.json even without a version, and gives nothing without an entry script', () => {
    expect(detectServiceVersion(path.join(root, 'noversion', 'index.js'))).toEqual({});
    expect(detectServiceVersion(undefined)).toEqual({});
  });
});

describe('Kubernetes detector', () => {
  it('maps the downward-API variables to k8s.* attributes, ignoring empty ones', () => {
    expect(
      detectK8s({ K8S_POD_NAME: 'shop-7d9f', K8S_NAMESPACE_NAME: 'prod', K8S_NODE_NAME: 'node-3', K8S_POD_UID: 'c1f0', K8S_CONTAINER_NAME: 'web', K8S_CLUSTER_NAME: ' ', OTHER: 'x' }),
    ).toEqual({ 'k8s.pod.name': 'shop-7d9f', 'k8s.namespace.name': 'prod', 'k8s.node.name': 'node-3', 'k8s.pod.uid': 'c1f0', 'k8s.container.name': 'web' });
  });
});

describe('OTEL_NODE_RESOURCE_DETECTORS selection', () => {
  it('runs every local detector by default and for all, never a cloud one', () => {
    const all = ['env', 'host', 'os', 'process', 'serviceinstance', 'container'];
    expect(selectDetectors(undefined)).toEqual({ detectors: all, cloud: [], unknown: [] });
    expect(selectDetectors(['all'])).toEqual({ detectors: all, cloud: [], unknown: [] });
  });

  it('keeps the named ones, sets cloud names and unknown names apart, and none wins', () => {
    expect(selectDetectors(['host', 'aws', 'bogus', 'host'])).toEqual({ detectors: ['host'], cloud: ['aws'], unknown: ['bogus'] });
    expect(selectDetectors(['none', 'host'])).toEqual({ detectors: [], cloud: [], unknown: [] });
  });
});
