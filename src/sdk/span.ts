import {
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type Exception,
  type Link,
  type Span as ApiSpan,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
  type TraceState,
} from '@opentelemetry/api';
import { fromTimeInput, now } from '../clock';
import type { SpanLimits } from '../config';
import type {
  InstrumentationScope,
  SpanEventRecord,
  SpanLinkRecord,
  SpanRecord,
} from '../export/span-record';
import { isAttributeValue, limitedAttributes, truncateValue } from './attributes';
import type { TraceId } from '../span-context/ids';
import { SpanIdentity } from '../span-context/span-identity';

/** Where a finished span goes (the provider's processors). */
export interface SpanSink {
  onEnd(span: SpanRecord): void;
}

// Shared empty arrays: most spans have no events or links, so none is allocated for them.
/** W3C trace flag: sampled (a recording span's trace is sampled). */
const SAMPLED = 0x01;

const NO_EVENTS: SpanEventRecord[] = Object.freeze([]) as unknown as SpanEventRecord[];
const NO_LINKS: SpanLinkRecord[] = Object.freeze([]) as unknown as SpanLinkRecord[];
const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
// Shared until the first attribute: a span given its attributes at start keeps that object.
const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/**
 * A recording, sampled span. It is its own export record (implements SpanRecord), so
 * end() copies nothing: the processor queues the object itself. Only sampled spans are
 * built as this class; unsampled ones are the API's cheap non-recording spans.
 */
export class Span extends SpanIdentity implements ApiSpan, SpanRecord {
  name: string;
  readonly kind: SpanKind;
  readonly startTime: number;
  endTime = -1;
  attributes: Attributes = NO_ATTRIBUTES;
  droppedAttributesCount = 0;
  events: SpanEventRecord[] = NO_EVENTS;
  droppedEventsCount = 0;
  links: SpanLinkRecord[] = NO_LINKS;
  droppedLinksCount = 0;
  status: SpanStatus = UNSET_STATUS;
  readonly scope: InstrumentationScope;
  readonly #limits: SpanLimits;
  readonly #sink: SpanSink;
  #attributeCount = 0;

  constructor(
    scope: InstrumentationScope,
    limits: SpanLimits,
    sink: SpanSink,
    trace: TraceId,
    traceState: TraceState | undefined,
    localParent: SpanIdentity | undefined,
    remoteParent: SpanContext | undefined,
    name: string,
    kind: SpanKind,
    startTime: TimeInput | undefined,
  ) {
    super(trace, SAMPLED | trace.randomFlag, traceState, localParent, remoteParent);
    this.scope = scope;
    this.#limits = limits;
    this.#sink = sink;
    this.name = name;
    this.kind = kind;
    this.startTime = startTime === undefined ? now() : fromTimeInput(startTime);
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.endTime !== -1 || key === '' || !isAttributeValue(value)) return this;
    let attrs = this.attributes;
    if (attrs === NO_ATTRIBUTES) attrs = this.attributes = {};
    if (!(key in attrs)) {
      if (this.#attributeCount >= this.#limits.attributeCountLimit) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#attributeCount++;
    }
    const limit = this.#limits.attributeValueLengthLimit;
    attrs[key] = limit === Infinity ? value : truncateValue(value, limit);
    return this;
  }

  /**
   * The attributes given at start, into a span that has none yet: one loop, no
   * per-key `in` check (for-in never yields a key twice) and no setAttribute call per key.
   * Same outcome as setAttributes on a fresh span. With `adopt`, the span keeps the given
   * object itself, checked and limited in place: for instrumentations that build a fresh
   * object per span and hand it over (no copy, no second object per span).
   */
  initialAttributes(attributes: Attributes, adopt: boolean): void {
    if (this.#attributeCount !== 0) {
      this.setAttributes(attributes);
      return;
    }
    const attrs: Attributes = adopt ? attributes : {};
    const limits = this.#limits;
    const countLimit = limits.attributeCountLimit;
    const lengthLimit = limits.attributeValueLengthLimit;
    let n = 0;
    for (const key in attributes) {
      const value = attributes[key];
      if (key === '' || !isAttributeValue(value)) {
        if (adopt) delete attrs[key];
        continue;
      }
      if (n >= countLimit) {
        this.droppedAttributesCount++;
        if (adopt) delete attrs[key];
        continue;
      }
      n++;
      if (lengthLimit !== Infinity) attrs[key] = truncateValue(value, lengthLimit);
      else if (!adopt) attrs[key] = value;
    }
    this.attributes = attrs;
    this.#attributeCount = n;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key] as AttributeValue);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.endTime !== -1) return this;
    const limits = this.#limits;
    if (this.events.length >= limits.eventCountLimit) {
      this.droppedEventsCount++;
      return this;
    }
    let attrs: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attrs = attributesOrTime as Attributes | undefined;
    const limited = limitedAttributes(attrs, limits.attributePerEventCountLimit, limits.attributeValueLengthLimit);
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push({
      name: String(name),
      time: time === undefined ? now() : fromTimeInput(time),
      attributes: limited.attributes,
      droppedAttributesCount: limited.dropped,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.endTime !== -1 || link == null || link.context == null) return this;
    const limits = this.#limits;
    if (this.links.length >= limits.linkCountLimit) {
      this.droppedLinksCount++;
      return this;
    }
    const limited = limitedAttributes(link.attributes, limits.attributePerLinkCountLimit, limits.attributeValueLengthLimit);
    if (this.links === NO_LINKS) this.links = [];
    const ts = link.context.traceState?.serialize();
    this.links.push({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceFlags: link.context.traceFlags,
      traceState: ts === '' ? undefined : ts,
      attributes: limited.attributes,
      droppedAttributesCount: limited.dropped,
    });
    return this;
  }

  addLinks(links: Link[]): this {
    if (Array.isArray(links)) for (const l of links) this.addLink(l);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.endTime !== -1 || status == null) return this;
    // Spec: OK is final; UNSET never overrides; a description only goes with ERROR.
    if (this.status.code === SpanStatusCode.OK || status.code === SpanStatusCode.UNSET) return this;
    if (status.code === SpanStatusCode.ERROR) {
      this.status = typeof status.message === 'string' ? { code: SpanStatusCode.ERROR, message: status.message } : { code: SpanStatusCode.ERROR };
    } else if (status.code === SpanStatusCode.OK) {
      this.status = { code: SpanStatusCode.OK };
    }
    return this;
  }

  updateName(name: string): this {
    if (this.endTime === -1) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.endTime !== -1) return; // idempotent: the first end wins
    let t = endTime === undefined ? now() : fromTimeInput(endTime);
    if (t < this.startTime) t = this.startTime; // a negative duration is never exported
    this.endTime = t;
    try {
      this.#sink.onEnd(this);
    } catch {
      // A processor fault must never surface in the app's end() call.
    }
  }

  isRecording(): boolean {
    return this.endTime === -1;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attrs: Attributes = {};
    if (typeof exception === 'string') {
      attrs['exception.message'] = exception;
    } else if (exception != null && typeof exception === 'object') {
      const e = exception as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
      const type = e.code !== undefined && e.code !== null ? String(e.code) : e.name;
      if (type !== undefined) attrs['exception.type'] = String(type);
      if (e.message !== undefined) attrs['exception.message'] = String(e.message);
      if (typeof e.stack === 'string') attrs['exception.stacktrace'] = e.stack;
    }
    if (attrs['exception.type'] === undefined && attrs['exception.message'] === undefined) return;
    this.addEvent('exception', attrs, time);
  }
}

function isTimeInput(v: unknown): v is TimeInput {
  return typeof v === 'number' || v instanceof Date || (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number');
}
