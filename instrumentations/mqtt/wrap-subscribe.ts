import type { AnyFunction, InstrumentationKit } from '../../src/instrument';
import { addFilters, filterNames, removeFilters, type MqttClientLike } from './client';
import { MAX_FILTERS_TRIED } from './topic-filter';

function record(a: { client: MqttClientLike; arg: unknown }): void {
  addFilters(a.client, filterNames(a.arg), MAX_FILTERS_TRIED);
}

function forget(a: { client: MqttClientLike; arg: unknown }): void {
  removeFilters(a.client, filterNames(a.arg));
}

/**
 * `MqttClient#subscribe(filters, ...)`: the filters are noted (the client keeps its own
 * list only when it reconnects), so a received message's span is named after the filter it
 * matched. No span; the call itself is the app's, unchanged.
 */
export function wrapSubscribe(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function subscribe(this: MqttClientLike, filters?: unknown): unknown {
      if (kit.active) kit.safe(record, { client: this, arg: filters });
      return original.apply(this, arguments as never);
    };
}

/** `MqttClient#unsubscribe(filters, ...)`: the filters are forgotten. */
export function wrapUnsubscribe(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function unsubscribe(this: MqttClientLike, filters?: unknown): unknown {
      if (kit.active) kit.safe(forget, { client: this, arg: filters });
      return original.apply(this, arguments as never);
    };
}
