import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { traceSuffix, withTraceSuffix } from '../../../instrumentations/console/trace-suffix';

const sc = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
const SUFFIX = 'trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 trace_flags=01';
/** What console.log prints for these arguments (it formats them with util.format). */
const printed = (args: unknown[]) => format(...(args as [unknown, ...unknown[]]));

describe('the console suffix', () => {
  it('is key=value pairs of the OpenTelemetry field names, flags as two hex digits', () => {
    expect(traceSuffix(sc)).toBe(SUFFIX);
    expect(traceSuffix({ ...sc, traceFlags: 0 })).toMatch(/ trace_flags=00$/);
    expect(traceSuffix({ ...sc, traceFlags: 3 })).toMatch(/ trace_flags=03$/);
  });

  it.each([
    [['plain text']],
    [['user', { id: 1, tags: ['a'] }]],
    [[42, null, undefined]],
    [[new Error('boom')]],
    [['%s and %d', 'fmt']], // a format with too few arguments: the suffix must not fill %d
    [['100%', 'done']],
    [['%o', { a: 1 }, 'extra']],
    [['%%s literal']],
  ])('ends the printed line of %j with the suffix and leaves the rest as printed before', (args) => {
    expect(printed(withTraceSuffix(args, sc))).toBe(`${printed(args)} ${SUFFIX}`);
  });
});
