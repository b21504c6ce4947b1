import type {
  Attributes,
  AttributeValue,
  Exception,
  Link,
  Span as ApiSpan,
  SpanStatus,
  TimeInput,
} from '@opentelemetry/api';
import { SpanIdentity } from '../span-context/span-identity';

/**
 * A span of an unsampled trace: it carries ids on (so downstream services see the right
 * parent and the not-sampled flag) and records nothing. Costs one small object and two
 * pool reads; hex ids only if something propagates it.
 */
export class UnsampledSpan extends SpanIdentity implements ApiSpan {
  setAttribute(_key: string, _value: AttributeValue): this {
    return this;
  }
  setAttributes(_attributes: Attributes): this {
    return this;
  }
  addEvent(_name: string, _a?: Attributes | TimeInput, _t?: TimeInput): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(_status: SpanStatus): this {
    return this;
  }
  updateName(_name: string): this {
    return this;
  }
  end(_endTime?: TimeInput): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(_exception: Exception, _time?: TimeInput): void {}
}
