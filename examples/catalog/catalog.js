'use strict';
// The catalog service (gRPC, @grpc/grpc-js): GetProduct (unary) and ListProducts (server
// streaming), logging with pino. No tracing code: the agent, preloaded with --require,
// continues the gateway's trace from the call's metadata and adds trace_id / span_id to
// every log line written inside a call.
const pino = require('pino');
const { grpc, catalog } = require('./proto');

const log = pino({ base: { service: 'catalog' } });

const PRODUCTS = [
  { id: 1, name: 'hammer', tag: 'tools', priceCents: 1299 },
  { id: 2, name: 'screwdriver set', tag: 'tools', priceCents: 2450 },
  { id: 3, name: 'work gloves', tag: 'garden', priceCents: 899 },
  { id: 4, name: 'tape measure', tag: 'tools', priceCents: 675 },
];

const server = new grpc.Server();
server.addService(catalog.Catalog.service, {
  GetProduct(call, callback) {
    const product = PRODUCTS.find((p) => p.id === call.request.id);
    if (product === undefined) {
      log.warn({ id: call.request.id }, 'product not found');
      return callback({ code: grpc.status.NOT_FOUND, details: `no product ${call.request.id}` });
    }
    log.info({ id: product.id }, 'product found');
    callback(null, product);
  },
  ListProducts(call) {
    const found = PRODUCTS.filter((p) => p.tag === call.request.tag);
    log.info({ tag: call.request.tag, count: found.length }, 'listing products');
    for (const p of found) call.write(p);
    call.end();
  },
});

server.bindAsync(`127.0.0.1:${process.env.PORT ?? 50051}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  log.info({ port }, 'catalog listening');
  process.send?.({ ready: true, port });
});
