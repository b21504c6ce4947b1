import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { installHooks } from '../../../src/hooks';
import { isWrapped } from '../../../src/instrument';
import { instrumentation } from '../../../instrumentations/pino';
import { INSTRUMENTATIONS } from '../../../instrumentations';
import { nodeRequire } from '../../helpers/registry';
import { startSdk } from '../../helpers/tracing';
import { LineSink } from '../../helpers/log-tracing';

// pino 4 (installed as the npm alias pino4) is older than the registry's range: it has no mixin.
const lines: string[] = [];
startSdk();
// After the SDK, whose configuration sets the level from OTEL_LOG_LEVEL.
setLogSink((l) => lines.push(l));
setLogLevel('debug');
const entry = INSTRUMENTATIONS.find((e) => e.name === 'pino')!;
installHooks({ enabled: ['pino'] }, [{ ...entry, targets: entry.targets.map((t) => ({ ...t, module: 'pino4' })), load: () => instrumentation }]);

describe('pino 4, outside the supported range', () => {
  it('is left alone with one diagnostic line, and logs as before inside a span', () => {
    const pino = nodeRequire('pino4');
    expect(isWrapped(pino)).toBe(false);
    expect(lines.filter((l) => l.includes('pino4'))).toEqual([expect.stringMatching(/pino4 4\.\d+\.\d+ is not instrumented \(supported: >=5\.14 <11\)/)]);
    const sink = new LineSink();
    trace.getTracer('test').startActiveSpan('work', (span) => {
      pino({ base: null, timestamp: false }, sink).info('inside');
      span.end();
    });
    expect(sink.records()).toEqual([{ level: 30, msg: 'inside', v: 1 }]);
  });
});
