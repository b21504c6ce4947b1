'use strict';
// An embedded PostgreSQL for the demo: PGlite (Postgres compiled to WebAssembly, in memory)
// served over the Postgres wire protocol, so the real `pg` driver talks to it unchanged.
// It runs in its own process: PGlite executes a query synchronously, and a slow one would
// otherwise freeze whoever hosts it.
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function main() {
  const db = await PGlite.create();
  // More than one connection, so a pg Pool can hold several; PGlite still runs one query at a time.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: Number(process.env.PORT ?? 0), maxConnections: 16 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  console.log(`embedded PostgreSQL (PGlite) on ${url}`);
  process.send?.({ ready: true, url });

  const stop = async () => {
    await server.stop().catch(() => {});
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop); // the runner went away
}

main().catch((err) => {
  console.error(`embedded PostgreSQL could not start: ${err.message}`);
  process.exit(1);
});
