import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectContainer } from '../../../src/resource/container-detector';
import { FIXTURES } from '../../helpers/paths';

const sample = (name: string): string => path.join(FIXTURES, 'resource', name);
const files = (cgroup: string, mountinfo: string) => ({ cgroup: sample(cgroup), mountinfo: sample(mountinfo) });

describe('container detector', () => {
  it('reads the id from a cgroup v1 file of a Docker container', () => {
    expect(detectContainer(files('cgroup-v1-docker.txt', 'mountinfo-host.txt'))).toEqual({
      'container.id': 'a4d8e1ba7c1ab14d2a1a6aab4d7ed7b7bf0fa2d8e3ed6e2c3d14b3b1e5e2c1f0',
    });
  });

  it('strips the runtime prefix and .scope of the systemd cgroup driver (Kubernetes, containerd)', () => {
    expect(detectContainer(files('cgroup-v1-k8s-systemd.txt', 'mountinfo-host.txt'))['container.id']).toBe(
      '3c3a6a3b4f7e9d1b2a5c8e0f1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a4',
    );
  });

  it('falls back to mountinfo under cgroup v2, where /proc/self/cgroup says only 0::/ (Docker)', () => {
    expect(detectContainer(files('cgroup-v2.txt', 'mountinfo-docker.txt'))['container.id']).toBe(
      '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    );
  });

  it('reads Podman\'s userdata/hostname mount', () => {
    expect(detectContainer(files('cgroup-v2.txt', 'mountinfo-podman.txt'))['container.id']).toBe(
      '9b8a7c6d5e4f30211203f4e5d6c7b8a99b8a7c6d5e4f30211203f4e5d6c7b8a9',
    );
  });

  it('finds nothing on a host outside containers, nor when the files are missing', () => {
    expect(detectContainer(files('cgroup-v2-host.txt', 'mountinfo-host.txt'))).toEqual({});
    expect(detectContainer(files('no-such-file', 'no-such-file-either'))).toEqual({});
  });
});
