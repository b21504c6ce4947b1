import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';

/** service.instance.id: a random UUID per process, as the service conventions recommend. */
export function detectServiceInstance(): Attributes {
  return { 'service.instance.id': randomUUID() };
}
