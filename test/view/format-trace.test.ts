import { describe, expect, it } from 'vitest';
import { formatTrace } from '../../src/view/format-trace';
import { buildTraceTree } from '../../src/view/trace-tree';
import { failingRequest, slowRequest, span } from './fixtures';

describe('formatTrace', () => {
  it('prints the tutorial trace as a tree across services with the bottleneck marked (exact)', () => {
    expect(formatTrace(buildTraceTree(slowRequest()))).toBe(
      [
        'Trace 4bf92f3577b34da6a3ce929d0e0e4736 · 1.53 s · 10 spans · gateway, auth, users',
        '   1.53 s  * gateway  GET /api/users/:id',
        '  14.0 ms  * gateway  ├─ POST',
        '  8.00 ms  * auth     │  └─ POST /validate',
        '  2.25 ms    gateway  ├─ audit.write',
        '   1.51 s  * gateway  └─ GET',
        '   1.50 s  * users       └─ GET /users/:id',
        '   500 µs  * users          ├─ GET',
        '  2.00 ms  * users          ├─ pg.connect',
        '   1.49 s  * users          ├─ SELECT users  ← BOTTLENECK 1.49 s self',
        '  5.00 ms  * users          └─ SET',
        'Critical path (*): 1.53 s, bottleneck users "SELECT users" 1.49 s self (97%)',
        '',
      ].join('\n'),
    );
  });

  it('marks failed spans with their status message (exact)', () => {
    expect(formatTrace(buildTraceTree(failingRequest()))).toBe(
      [
        'Trace a1b2c3d4e5f60718293a4b5c6d7e8f90 · 40.0 ms · 4 spans · gateway, users · ✗ 3 errors',
        '  40.0 ms  * gateway  GET /api/users/:id  ✗ error',
        '  33.0 ms  * gateway  └─ GET  ✗ HTTP 500',
        '  29.0 ms  * users       └─ GET /users/:id  ✗ Unexpected token } in JSON',
        '  21.0 ms  * users          └─ SELECT users  ← BOTTLENECK 21.0 ms self',
        'Critical path (*): 40.0 ms, bottleneck users "SELECT users" 21.0 ms self (53%)',
        '',
      ].join('\n'),
    );
  });

  it('says when the root is missing and labels orphans', () => {
    const text = formatTrace(buildTraceTree(slowRequest().filter((s) => s.name !== 'GET /api/users/:id')));
    expect(text.split('\n')[0]).toBe('Trace 4bf92f3577b34da6a3ce929d0e0e4736 · 1.53 s · 9 spans · gateway, auth, users · root span not received');
    expect(text).toContain('  14.0 ms    gateway  POST  (parent not received)\n');
  });

  it('colours only on request: dim off-path lines, red errors, yellow bottleneck', () => {
    const plain = formatTrace(buildTraceTree(failingRequest()));
    expect(plain).not.toContain('\x1b[');
    const coloured = formatTrace(buildTraceTree([...failingRequest(), ...slowRequest('a1b2c3d4e5f60718293a4b5c6d7e8f90').slice(3, 4)]), { color: true });
    expect(coloured).toContain('\x1b[31m✗ HTTP 500\x1b[0m');
    expect(coloured).toContain('\x1b[1;33m← BOTTLENECK 21.0 ms self\x1b[0m');
    expect(coloured).toMatch(/\x1b\[2m.*audit\.write.*\x1b\[0m/);
  });

  it('keeps control characters from the wire out of the terminal and cuts long names', () => {
    const evil = span({ id: 'x', service: 'svc\x1b[31m', name: 'a\nb\x07' + 'n'.repeat(200), start: 0, end: 1 });
    const text = formatTrace(buildTraceTree([evil]));
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('  a b ' + 'n'.repeat(75) + '…\n');
  });
});
