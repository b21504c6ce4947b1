import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanFileWriter, parseSpanLine, readSpanFile } from '../../src/view/span-file';
import { failingRequest, slowRequest } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'waymark-spans-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('span files', () => {
  it('round-trips spans through JSON lines, appending across writers', async () => {
    const file = path.join(dir, 'spans.jsonl');
    const w1 = new SpanFileWriter(file, () => {});
    w1.write(slowRequest());
    await w1.close();
    const w2 = new SpanFileWriter(file, () => {});
    w2.write(failingRequest());
    await w2.close();
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(15);
    const { spans, skippedLines } = await readSpanFile(file);
    expect(skippedLines).toBe(0);
    expect(spans).toEqual([...slowRequest(), ...failingRequest()]);
  });

  it('skips lines that are not spans and counts them', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    writeFileSync(file, ['not json', JSON.stringify(slowRequest()[0]), '[1,2]', '', '{"spanId":"x"}', '{"traceId":"t","spanId":"s"}'].join('\n'));
    const { spans, skippedLines } = await readSpanFile(file);
    expect(skippedLines).toBe(3);
    expect(spans).toHaveLength(2);
    expect(spans[1]).toMatchObject({ traceId: 't', spanId: 's', parentSpanId: '', service: 'unknown_service', status: { code: 0 } });
  });

  it('fills wrong-typed fields with defaults instead of trusting them', () => {
    const span = parseSpanLine(JSON.stringify({ traceId: 't', spanId: 's', name: 7, kind: 'x', status: 'bad', attributes: [], events: {} }));
    expect(span).toMatchObject({ name: '', kind: 0, status: { code: 0, message: '' }, attributes: {}, events: [] });
  });

  it('reports a file it cannot write once, without throwing', async () => {
    const errors: Error[] = [];
    const w = new SpanFileWriter(path.join(dir, 'missing-dir', 'spans.jsonl'), (e) => errors.push(e));
    w.write(slowRequest());
    await new Promise((r) => setTimeout(r, 50));
    w.write(slowRequest());
    await w.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/ENOENT/);
  });
});
