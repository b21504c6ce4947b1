import type { Attributes } from '@opentelemetry/api';

/**
 * Kubernetes attributes from the variables users set with the downward API
 * (`env: - name: K8S_POD_NAME valueFrom: fieldRef: fieldPath: metadata.name`); no API call.
 */
export const K8S_VARIABLES: Readonly<Record<string, string>> = {
  K8S_POD_NAME: 'k8s.pod.name',
  K8S_POD_UID: 'k8s.pod.uid',
  K8S_NAMESPACE_NAME: 'k8s.namespace.name',
  K8S_NODE_NAME: 'k8s.node.name',
  K8S_NODE_UID: 'k8s.node.uid',
  K8S_CONTAINER_NAME: 'k8s.container.name',
  K8S_DEPLOYMENT_NAME: 'k8s.deployment.name',
  K8S_REPLICASET_NAME: 'k8s.replicaset.name',
  K8S_STATEFULSET_NAME: 'k8s.statefulset.name',
  K8S_DAEMONSET_NAME: 'k8s.daemonset.name',
  K8S_JOB_NAME: 'k8s.job.name',
  K8S_CRONJOB_NAME: 'k8s.cronjob.name',
  K8S_CLUSTER_NAME: 'k8s.cluster.name',
};

/** Kubernetes names are at most 253 characters; anything longer is not one. */
const MAX_LENGTH = 253;

export function detectK8s(env: Record<string, string | undefined>): Attributes {
  const out: Attributes = {};
  for (const [variable, key] of Object.entries(K8S_VARIABLES)) {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== '' && value.length <= MAX_LENGTH) out[key] = value;
  }
  return out;
}
