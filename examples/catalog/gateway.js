'use strict';
// The HTTP gateway (Koa, @koa/router): JSON over HTTP outside, gRPC calls to the catalog
// service inside. No tracing code: the agent, preloaded with --require, names the server
// span by its route and carries the trace into each call's metadata.
const Koa = require('koa');
const Router = require('@koa/router');
const { grpc, catalog } = require('./proto');

const client = new catalog.Catalog(process.env.CATALOG_ADDR ?? '127.0.0.1:50051', grpc.credentials.createInsecure());

function getProduct(id) {
  return new Promise((resolve, reject) => client.GetProduct({ id }, (err, product) => (err ? reject(err) : resolve(product))));
}

function listProducts(tag) {
  return new Promise((resolve, reject) => {
    const products = [];
    const call = client.ListProducts({ tag });
    call.on('data', (p) => products.push(p));
    call.on('error', reject);
    call.on('end', () => resolve(products));
  });
}

const router = new Router();
router.get('/api/products/:id', async (ctx) => {
  try {
    ctx.body = await getProduct(Number(ctx.params.id));
  } catch (err) {
    ctx.status = err.code === grpc.status.NOT_FOUND ? 404 : 502;
    ctx.body = { error: err.details ?? err.message };
  }
});
router.get('/api/products', async (ctx) => {
  ctx.body = await listProducts(String(ctx.query.tag ?? ''));
});

const app = new Koa();
app.use(router.routes());
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`gateway listening on http://127.0.0.1:${port}`);
  process.send?.({ ready: true, port });
});
