import { readFileSync } from 'node:fs';
import type { Attributes } from '@opentelemetry/api';

/** Where the container id is read from (tests point these at sample files). */
export interface ContainerFiles {
  /** cgroup v1: the process's cgroup paths end in the container id. */
  cgroup: string;
  /** cgroup v2: the runtime bind-mounts /etc/hostname from a directory named after the id. */
  mountinfo: string;
}

export const CONTAINER_FILES: ContainerFiles = { cgroup: '/proc/self/cgroup', mountinfo: '/proc/self/mountinfo' };

/** Files larger than this are not container metadata worth reading in full at startup. */
const MAX_BYTES = 1 << 20;
const ID = /^[0-9a-f]{64}$/;
// docker-<id>.scope (systemd driver), cri-containerd-<id>, crio-<id>, libpod-<id>.
const RUNTIME_PREFIX = /^(?:docker|cri-containerd|crio|libpod)-/;

/**
 * container.id from cgroup v1 (/proc/self/cgroup), else cgroup v2 (/proc/self/mountinfo):
 * at most two small synchronous reads of kernel pseudo-files; nothing outside Linux.
 */
export function detectContainer(files: ContainerFiles = CONTAINER_FILES, read: (file: string) => string = readSmall): Attributes {
  const id = idFromCgroup(tryRead(read, files.cgroup)) ?? idFromMountinfo(tryRead(read, files.mountinfo));
  return id === undefined ? {} : { 'container.id': id };
}

/** The id ending a line of /proc/self/cgroup (`12:pids:/docker/<id>`, `0::/…/cri-containerd-<id>.scope`). */
export function idFromCgroup(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    const last = line.trim().split('/').pop() ?? '';
    const candidate = last.replace(/\.scope$/, '').replace(RUNTIME_PREFIX, '');
    if (ID.test(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The id in a mount source of /proc/self/mountinfo: `/var/lib/docker/containers/<id>/hostname`
 * (Docker, Podman: `…/containers/<id>/userdata/hostname`) or containerd's `…/sandboxes/<id>/hostname`.
 */
export function idFromMountinfo(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    if (!/\/(?:hostname|resolv\.conf|hosts)\s/.test(line + ' ')) continue;
    const m = /(?:containers|sandboxes)\/([0-9a-f]{64})\//.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function tryRead(read: (file: string) => string, file: string): string | undefined {
  try {
    return read(file);
  } catch {
    return undefined;
  }
}

function readSmall(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.length > MAX_BYTES ? text.slice(0, MAX_BYTES) : text;
}
