import type { Attributes } from '@opentelemetry/api';
import { CONTAINER_FILES, detectContainer, type ContainerFiles } from './container-detector';
import { detectHost } from './host-detector';
import { detectK8s } from './k8s-detector';
import { detectOs } from './os-detector';
import { detectProcess } from './process-detector';
import { detectServiceInstance } from './service-instance-detector';
import { detectServiceVersion } from './service-version-detector';

/** The local detectors, by their OpenTelemetry JS names (OTEL_NODE_RESOURCE_DETECTORS). */
export const LOCAL_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance', 'container'] as const;
export type DetectorName = (typeof LOCAL_DETECTORS)[number];
/** Cloud detectors query metadata endpoints over the network: never run unless named, and not built in. */
export const CLOUD_DETECTORS = ['alibaba', 'aws', 'azure', 'gcp'] as const;

export interface DetectorSelection {
  detectors: DetectorName[];
  /** Cloud names asked for (not available: reported once). */
  cloud: string[];
  /** Names that are no detector at all. */
  unknown: string[];
}

/**
 * OTEL_NODE_RESOURCE_DETECTORS, lower-cased: `all` (the default) means every local
 * detector, never a cloud one; `none` means none (and wins).
 */
export function selectDetectors(names: readonly string[] | undefined): DetectorSelection {
  const out: DetectorSelection = { detectors: [], cloud: [], unknown: [] };
  const wanted = names === undefined || names.length === 0 ? ['all'] : names;
  if (wanted.includes('none')) return { ...out, unknown: wanted.filter((n) => !isKnown(n)) };
  for (const name of wanted) {
    if (name === 'all') {
      for (const d of LOCAL_DETECTORS) if (!out.detectors.includes(d)) out.detectors.push(d);
    } else if ((LOCAL_DETECTORS as readonly string[]).includes(name)) {
      if (!out.detectors.includes(name as DetectorName)) out.detectors.push(name as DetectorName);
    } else if ((CLOUD_DETECTORS as readonly string[]).includes(name)) {
      if (!out.cloud.includes(name)) out.cloud.push(name);
    } else if (!out.unknown.includes(name)) {
      out.unknown.push(name);
    }
  }
  return out;
}

function isKnown(name: string): boolean {
  return name === 'all' || name === 'none' || (LOCAL_DETECTORS as readonly string[]).includes(name) || (CLOUD_DETECTORS as readonly string[]).includes(name);
}

export interface DetectOptions {
  /** The environment (the `env` detector reads the Kubernetes downward-API variables from it). */
  env: Record<string, string | undefined>;
  /** WAYMARK_RESOURCE_COMMAND_ARGS: add process.command_args (off: arguments may hold secrets). */
  commandArgs: boolean;
  /** The cgroup files (tests). */
  containerFiles?: ContainerFiles;
}

/**
 * The detected attributes of the selected detectors, later ones over earlier ones. Cost:
 * no network, and at most a few small synchronous reads (the nearest package.json, and on
 * Linux /proc/self/cgroup and /proc/self/mountinfo). A detector that throws adds nothing.
 */
export function detectResource(detectors: readonly DetectorName[], opts: DetectOptions): Attributes {
  const out: Attributes = {};
  for (const name of detectors) {
    try {
      Object.assign(out, run(name, opts));
    } catch {
      // A detector is best effort: the others still count.
    }
  }
  return out;
}

function run(name: DetectorName, opts: DetectOptions): Attributes {
  switch (name) {
    case 'env':
      return detectK8s(opts.env);
    case 'host':
      return detectHost();
    case 'os':
      return detectOs();
    case 'process':
      return { ...detectProcess(opts.commandArgs), ...detectServiceVersion(process.argv[1]) };
    case 'serviceinstance':
      return detectServiceInstance();
    case 'container':
      return process.platform === 'linux' || opts.containerFiles !== undefined ? detectContainer(opts.containerFiles ?? CONTAINER_FILES) : {};
  }
}
