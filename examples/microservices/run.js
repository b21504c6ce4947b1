'use strict';
// `npm run demo`: the tutorial's request path (gateway → auth / users → database), plus a
// queue hop (users → NATS → the activity worker → database); four services run under
// `node --require waymark/register.js` with no tracing code of their own, and the traces
// printed as trees by the local viewer (`waymark view`) running in this process, whose web UI
// (http://127.0.0.1:16686, or the next free port) shows them too.
//
//   node examples/microservices/run.js [--out spans.jsonl] [--keep-running | --exit] [--ui-port 16686] [--no-color]
//
// Run in a terminal, it keeps the services and the web UI up until Ctrl-C (--exit: stop once
// the traces are printed); otherwise (a pipe, CI) it exits unless --keep-running is given.
//
// Uses DATABASE_URL when set (a scratch database: it creates and fills a `users` table, and
// creates `user_views`), otherwise an embedded PostgreSQL (PGlite). Uses REDIS_URL (default
// redis://127.0.0.1:6379) as a cache and NATS_URL (default nats://127.0.0.1:4222) for the
// queue hop when they answer; without NATS the hop is skipped. Every port is picked free at start.
const { randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');
const { startChild, stopChild } = require('./lib/children');
const { seedDatabase } = require('./lib/seed');
const { REQUESTS, send } = require('./lib/requests');
const { userViewedSubject } = require('./queue');

let view;
try {
  view = require('../../build/src/view');
} catch (err) {
  process.stderr.write(`The compiled agent is missing: run \`npm run build\` first (${err.message}).\n`);
  process.exit(1);
}

const print = (text) => process.stdout.write(text);
const log = (text) => process.stderr.write(text);

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'keep-running': { type: 'boolean' },
      exit: { type: 'boolean' },
      'ui-port': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  const color = values['no-color'] ? false : values.color || (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);

  // Trees are held back while the requests run, so the two outputs do not interleave.
  let held = [];
  const gatewayTraces = [];
  let onGatewayTrace = () => {};
  const keepRunning = values['keep-running'] || (!values.exit && process.stdout.isTTY === true);
  const viewer = await view.startViewer({
    port: 0,
    ui: { port: values['ui-port'] === undefined ? 16686 : Number(values['ui-port']) },
    out: values.out,
    color,
    write: (text) => (held ? held.push(text) : print(text)),
    onTrace: (tree) => {
      if (view.mainRoot(tree)?.span.service === 'gateway') gatewayTraces.push(tree);
      onGatewayTrace();
    },
  });

  const services = [];
  let database;
  try {
    let databaseUrl = process.env.DATABASE_URL;
    let databaseLabel = `PostgreSQL at ${databaseUrl}`;
    if (!databaseUrl) {
      database = startChild({ name: 'postgres', file: 'embedded-postgres.js', env: process.env, traced: false, log });
      databaseUrl = (await database.ready).url;
      databaseLabel = `embedded PostgreSQL (PGlite) at ${databaseUrl}`;
    }
    await seedDatabase(databaseUrl);

    const env = tracedEnv(viewer.endpoint);
    const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
    // Subjects of this run only, as the cache's keys are: another demo on the same NATS sends its own.
    const queuePrefix = `demo-${randomBytes(3).toString('hex')}`;
    const userViewed = userViewedSubject(queuePrefix);
    const auth = startChild({ name: 'auth', file: 'auth.js', env: { ...env, OTEL_SERVICE_NAME: 'auth', PORT: '0' }, traced: true, log });
    const users = startChild({
      name: 'users',
      file: 'users.js',
      env: { ...env, OTEL_SERVICE_NAME: 'users', PORT: '0', DATABASE_URL: databaseUrl, NATS_URL: natsUrl, QUEUE_PREFIX: queuePrefix },
      traced: true,
      log,
    });
    const activity = startChild({
      name: 'activity',
      file: 'activity.js',
      env: { ...env, OTEL_SERVICE_NAME: 'activity', DATABASE_URL: databaseUrl, NATS_URL: natsUrl, QUEUE_PREFIX: queuePrefix },
      traced: true,
      log,
    });
    services.push(auth, users, activity);
    // The worker has subscribed once it is ready: no message of the requests below is lost.
    const [authReady, usersReady, activityReady] = await Promise.all([auth.ready, users.ready, activity.ready]);
    const queued = usersReady.queue !== undefined && activityReady.queue !== undefined;
    if (!queued) await stopChild(activity);
    let recorded = 0;
    let onRecorded = () => {};
    activity.child.on('message', (msg) => {
      if (msg && msg.recorded !== undefined) recorded++;
      onRecorded();
    });
    const gateway = startChild({
      name: 'gateway',
      file: 'gateway.js',
      env: { ...env, OTEL_SERVICE_NAME: 'gateway', PORT: '0', AUTH_URL: local(authReady.port), USERS_URL: local(usersReady.port) },
      traced: true,
      log,
    });
    services.push(gateway);
    const gatewayReady = await gateway.ready;

    print(
      `Waymark demo: gateway → auth / users → database${queued ? ', users → queue → activity' : ''}, traced with zero code changes\n` +
        `  viewer    ${viewer.url} (waymark view, in this process)\n` +
        `  web UI    ${viewer.ui.url}\n` +
        `  database  ${databaseLabel}\n` +
        `  cache     ${usersReady.cache ? `Redis at ${usersReady.cache}` : 'none (no Redis reachable; set REDIS_URL to use one)'}\n` +
        `  queue     ${queued ? `NATS at ${natsUrl}: users publishes ${userViewed}, activity records it` : `none (no NATS reachable at ${natsUrl}: the activity hop is skipped; set NATS_URL to use one)`}\n` +
        `  services  gateway ${local(gatewayReady.port)} → auth ${local(authReady.port)}, users ${local(usersReady.port)}${queued ? ' → activity (NATS)' : ''}\n\n` +
        `Requests:\n`,
    );
    let returned = 0;
    for (const r of REQUESTS) {
      const { status, ms } = await send(local(gatewayReady.port), r);
      print(`  ${status}  GET ${r.path.padEnd(14)} ${view.formatDuration(ms * 1e6).padStart(8)}   ${r.note}\n`);
      // Each request is alone in the database: the worker records a returned user's view before
      // the next request is sent. The embedded PostgreSQL runs one query at a time, and the
      // slow request's query would otherwise hold up this INSERT for over a second.
      if (queued && status === 200) {
        returned++;
        await waitFor(() => recorded >= returned, 5000, (wake) => (onRecorded = wake));
      }
    }

    print(`\nTraces, printed by the viewer as each one completes:\n\n`);
    for (const text of held) print(text);
    held = undefined;
    // The viewer prints a trace once none of its spans arrived for a second and its root is in.
    // The activity worker's spans can end after the gateway's root (it records the view while
    // the answer travels back), but before the next request (see above), and come from its own
    // process in 200 ms batches like the others: they arrive within that second, in the tree.
    await waitFor(() => gatewayTraces.length >= REQUESTS.length, 20_000, (wake) => (onGatewayTrace = wake));

    print(`See them in the web UI: ${viewer.ui.url}\n  the tutorial's search for the slow one: ${viewer.ui.url}/search?service=users&minDuration=1s\n`);
    if (keepRunning) {
      print(
        `\nStill running: the services and the web UI stay up. Try:\n  curl -H 'authorization: Bearer demo-token' ${local(gatewayReady.port)}/api/users/3\n` +
          `Ctrl-C to stop.\n\n`,
      );
      await untilSignal();
    }
  } finally {
    await Promise.all(services.map((s) => stopChild(s)));
    await viewer.close();
    if (held) for (const text of held) print(text);
    if (database) await stopChild(database);
  }

  if (gatewayTraces.length < REQUESTS.length) {
    log(
      `\nOnly ${gatewayTraces.length} of ${REQUESTS.length} traces arrived. Is the build current (npm run build)? ` +
        `Run with OTEL_LOG_LEVEL=debug to see what the agent does.\n`,
    );
    return 1;
  }
  if (values.out) print(`Spans saved to ${values.out}. Ask it questions: npx waymark query ${values.out} --slower-than 1s\n`);
  return 0;
}

/** The environment of a traced service: export OTLP/HTTP protobuf to the viewer, quickly. */
function tracedEnv(endpoint) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_')) delete env[key];
  return {
    ...env,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_LOG_LEVEL: process.env.OTEL_LOG_LEVEL ?? 'info',
  };
}

function local(port) {
  return `http://127.0.0.1:${port}`;
}

/** Resolves once `done()` holds (re-checked whenever `subscribe`'s callback fires) or after `ms`. */
function waitFor(done, ms, subscribe) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      resolve();
    };
    subscribe(check);
    check();
  });
}

function untilSignal() {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`demo failed: ${err.message}\n`);
    process.exit(1);
  },
);
