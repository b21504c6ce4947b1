import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { serverSpanFor, traceOf } from '../../helpers/spans';
import { EXPRESS_VARIANTS, listen, setupExpress, type ExpressModule } from './helpers';

const { agent, load } = setupExpress();

describe.each(EXPRESS_VARIANTS)('$id (Express $major): http.route on the server span', ({ id }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const express: ExpressModule = load(id);
    const app = express();
    app.get('/users/:id', (_req: unknown, res: any) => res.send('user'));

    const v1 = express.Router();
    v1.get('/items/:itemId', (_req: unknown, res: any) => res.send('item'));
    const api = express.Router();
    api.get('/users/:id', (_req: unknown, res: any) => res.send('api user'));
    api.get('/', (_req: unknown, res: any) => res.send('api root'));
    api.use('/v1', v1);
    app.use('/api', api);

    // A router mounted at '/' adds nothing to the template.
    const plain = express.Router();
    plain.get('/plain/:x', (_req: unknown, res: any) => res.send('plain'));
    app.use(plain);

    // A sub-application keeps its mount path.
    const admin = express();
    admin.get('/stats/:day', (_req: unknown, res: any) => res.send('stats'));
    app.use('/admin', admin);

    // A parameterised mount: the template, never the value.
    const tenant = express.Router({ mergeParams: true });
    tenant.get('/orders/:orderId', (_req: unknown, res: any) => res.send('order'));
    app.use('/t/:tenant', tenant);

    // A mount that falls through must not leak its prefix into the next match.
    const shadow = express.Router();
    shadow.get('/never', (_req: unknown, res: any) => res.send('never'));
    app.use('/:anything', shadow);
    app.get('/late/:id', (_req: unknown, res: any) => res.send('late'));

    ({ url: base, close } = await listen(app));
  });
  afterAll(() => close());

  const cases: Array<[string, string]> = [
    ['/users/42', '/users/:id'],
    ['/api/users/7', '/api/users/:id'],
    ['/api', '/api'],
    ['/api/v1/items/9', '/api/v1/items/:itemId'],
    ['/plain/abc', '/plain/:x'],
    ['/admin/stats/monday', '/admin/stats/:day'],
    ['/t/acme/orders/5', '/t/:tenant/orders/:orderId'],
    ['/late/3', '/late/:id'],
  ];

  it.each(cases)('%s -> %s', async (path, route) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(200);
    await res.text();
    const span = await serverSpanFor(agent, base, path);
    expect(span.attributes['http.route']).toBe(route);
    expect(span.name).toBe(`GET ${route}`);
  });

  it('leaves an unmatched request (404) named by its method, with no route', async () => {
    const res = await fetch(base + '/nothing/here/at/all');
    expect(res.status).toBe(404);
    await res.text();
    const span = await serverSpanFor(agent, base, '/nothing/here/at/all');
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
  });

  it('makes no middleware spans by default', async () => {
    const res = await fetch(base + '/api/users/1');
    await res.text();
    const span = await serverSpanFor(agent, base, '/api/users/1');
    const internal = traceOf(agent, span.traceId).filter((s) => s.kind === SpanKind.INTERNAL);
    expect(internal).toEqual([]);
  });
});
