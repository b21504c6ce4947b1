import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { FIXTURES } from '../helpers/paths';
import { preloadFlags, runNode } from '../helpers/run-node';

// The detected resource, as a collector receives it from a spawned app.

const APP = path.join(FIXTURES, 'resource-app', 'app.js');
let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

async function exportedResource(env: Record<string, string>): Promise<Record<string, unknown>> {
  const run = await runNode([...preloadFlags('require'), APP, '--port=1'], {
    env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', ...env },
  });
  expect(run.code).toBe(0);
  const [span] = await receiver.waitForSpans(1, 5000);
  return attributeMap(span!.resource);
}

describe('the resource of exported spans', () => {
  it('carries the detected attributes, the user-set ones over them, and no command line', async () => {
    const r = await exportedResource({
      K8S_POD_NAME: 'shop-7d9f',
      K8S_NAMESPACE_NAME: 'prod',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,os.type=set-by-user',
    });
    expect(r).toMatchObject({
      'service.name': 'unknown_service:node',
      'service.version': '3.1.4',
      'process.runtime.name': 'nodejs',
      'process.executable.name': 'node',
      'k8s.pod.name': 'shop-7d9f',
      'k8s.namespace.name': 'prod',
      'deployment.environment.name': 'staging',
      'os.type': 'set-by-user',
    });
    expect(Number(r['process.pid'])).toBeGreaterThan(0);
    expect(r['service.instance.id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(['amd64', 'arm64']).toContain(r['host.arch']);
    expect(r['process.command_args']).toBeUndefined();
  });

  it('adds process.command_args with WAYMARK_RESOURCE_COMMAND_ARGS=true', async () => {
    const r = await exportedResource({ WAYMARK_RESOURCE_COMMAND_ARGS: 'true', OTEL_NODE_RESOURCE_DETECTORS: 'process' });
    expect(r['process.command_args']).toEqual([process.execPath, '--require', expect.stringMatching(/register\.js$/), APP, '--port=1']);
    expect(r['host.name']).toBeUndefined(); // host detector not selected
  });
});
