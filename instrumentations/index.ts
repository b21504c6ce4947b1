import type { Instrumentation, InstrumentationEntry } from '../src/instrument';

/**
 * Every instrumentation the agent knows, as lazy entries: data only; `load` requires the
 * instrumentation's code the first time one of its targets is loaded (or at agent start
 * for entries without targets). Add one entry per instrumentation; keep it data.
 */
export const INSTRUMENTATIONS: readonly InstrumentationEntry[] = [
  {
    name: 'http',
    targets: [
      { module: 'http', versions: '*' },
      { module: 'https', versions: '*' },
    ],
    load: () => (require('./http') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // node:http2 client sessions and servers (the 'stream' API and its compat 'request').
    name: 'http2',
    targets: [{ module: 'http2', versions: '*' }],
    load: () => (require('./http2') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'fetch',
    // OpenTelemetry's fetch instrumentation is named after undici, the client inside Node.
    // The undici package's own API (request, stream, Client, Pool, Agent) publishes on the
    // same channels as the copy inside Node: one subscriber traces both, one span a request.
    aliases: ['undici'],
    targets: [],
    channelTargets: [{ module: 'undici', versions: '>=5.0.0 <9' }],
    testedWith: ['undici5', 'undici7', 'undici'],
    load: () => (require('./fetch') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // grpc-js's internal client and server files (its main file loads both). Claims the
    // gRPC content type, so the http2 instrumentation leaves gRPC's own exchanges alone.
    name: 'grpc',
    targets: [
      { module: '@grpc/grpc-js', versions: '>=1.0.0 <2', file: 'build/src/client.js' },
      { module: '@grpc/grpc-js', versions: '>=1.0.0 <2', file: 'build/src/server.js' },
    ],
    testedWith: ['grpc-js1-0', '@grpc/grpc-js'],
    load: () => (require('./grpc') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'ioredis',
    targets: [
      { module: 'ioredis', versions: '>=5.0.0 <7' },
      { module: 'ioredis', versions: '>=5.0.0 <7', file: 'built/Pipeline.js' },
    ],
    testedWith: ['ioredis', 'ioredis6'],
    load: () => (require('./ioredis') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'redis',
    // OpenTelemetry's name for its node-redis 4 instrumentation (now part of its `redis`).
    aliases: ['redis-4'],
    targets: [
      { module: '@redis/client', versions: '>=1.0.0 <2', file: 'dist/lib/commander.js' },
      // 5.x (node-redis 5) has 6.x's RedisClient: sendCommand, _executePipeline, _executeMulti.
      { module: '@redis/client', versions: '>=1.0.0 <2 || >=5.0.0 <7', file: 'dist/lib/client/index.js' },
    ],
    testedWith: ['redis4', 'redis5', 'redis'],
    load: () => (require('./redis') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'amqplib',
    targets: [
      { module: 'amqplib', versions: '>=0.10.0 <3', file: 'lib/channel_model.js' },
      { module: 'amqplib', versions: '>=0.10.0 <3', file: 'lib/callback_model.js' },
    ],
    testedWith: ['amqplib'],
    load: () => (require('./amqplib') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // nats 2 and the 3.x packages (@nats-io/transport-node's core, @nats-io/jetstream): the
    // connection, its protocol handler, the iterator under subscriptions and consumers.
    name: 'nats',
    targets: [
      { module: 'nats', versions: '>=2.17.0 <3', file: 'lib/nats-base-client/nats.js' },
      { module: 'nats', versions: '>=2.17.0 <3', file: 'lib/nats-base-client/protocol.js' },
      { module: 'nats', versions: '>=2.17.0 <3', file: 'lib/nats-base-client/queued_iterator.js' },
      { module: 'nats', versions: '>=2.17.0 <3', file: 'lib/jetstream/jsclient.js' },
      { module: 'nats', versions: '>=2.17.0 <3', file: 'lib/jetstream/consumer.js' },
      { module: '@nats-io/nats-core', versions: '>=3.0.0 <4', file: 'lib/nats.js' },
      { module: '@nats-io/nats-core', versions: '>=3.0.0 <4', file: 'lib/protocol.js' },
      { module: '@nats-io/nats-core', versions: '>=3.0.0 <4', file: 'lib/queued_iterator.js' },
      { module: '@nats-io/jetstream', versions: '>=3.0.0 <4', file: 'lib/jsclient.js' },
      { module: '@nats-io/jetstream', versions: '>=3.0.0 <4', file: 'lib/consumer.js' },
    ],
    testedWith: ['nats', '@nats-io/transport-node', '@nats-io/jetstream'],
    load: () => (require('./nats') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // MQTT.js: the client class (5: build/lib/client.js; 4: lib/client.js).
    name: 'mqtt',
    targets: [
      { module: 'mqtt', versions: '>=5.0.0 <6', file: 'build/lib/client.js' },
      { module: 'mqtt', versions: '>=4.0.0 <5', file: 'lib/client.js' },
    ],
    testedWith: ['mqtt4', 'mqtt'],
    load: () => (require('./mqtt') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // The main file (dist/cjs; `import` reaches it too: the package has no exports map).
    name: 'bullmq',
    targets: [{ module: 'bullmq', versions: '>=5.0.0 <7' }],
    testedWith: ['bullmq5-0', 'bullmq5', 'bullmq'],
    load: () => (require('./bullmq') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'express',
    targets: [
      // Express 4 routes through its own lib/router; Express 5 through the router@2 package.
      { module: 'express', versions: '>=4.0.0 <5', file: 'lib/router/index.js' },
      { module: 'express', versions: '>=4.0.0 <5', file: 'lib/router/layer.js' },
      { module: 'router', versions: '>=2.0.0 <3' },
      { module: 'router', versions: '>=2.0.0 <3', file: 'lib/layer.js' },
    ],
    testedWith: ['express4', 'express'],
    load: () => (require('./express') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Subscribes to Fastify's `fastify.initialization` channel at start; patches nothing.
    // The majors whose hooks API it knows; each instance's own `version` is checked.
    name: 'fastify',
    targets: [],
    channelTargets: [{ module: 'fastify', versions: '>=4.0.0 <6' }],
    testedWith: ['fastify4', 'fastify'],
    load: () => (require('./fastify') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Wraps Application#callback (koa's main file; `import` reaches it through dist/koa.mjs).
    name: 'koa',
    targets: [{ module: 'koa', versions: '>=2.0.0 <4' }],
    testedWith: ['koa2', 'koa'],
    load: () => (require('./koa') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // lib/request.js: the Request class routes and sets responses (ESM apps reach it too).
    name: 'hapi',
    targets: [{ module: '@hapi/hapi', versions: '>=21.0.0 <22', file: 'lib/request.js' }],
    testedWith: ['hapi21-0', '@hapi/hapi'],
    load: () => (require('./hapi') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Patches @nestjs/core's main module (CommonJS to 11, an ES module from 12, where its
    // internal files load out of a require hook's sight): NestApplication#init and
    // NestFactory.create. The packages of each major are installed together (test/fixtures/nest10).
    name: 'nestjs',
    // OpenTelemetry's name for its NestJS instrumentation.
    aliases: ['nestjs-core'],
    targets: [{ module: '@nestjs/core', versions: '>=10.0.0 <13' }],
    testedWith: ['nest10', '@nestjs/core'],
    load: () => (require('./nestjs') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Client#query makes the spans (lib/client.js is required by the CJS and ESM entries alike);
    // pg-pool's connect keeps waiters in their caller's context.
    name: 'pg',
    targets: [
      { module: 'pg', versions: '>=8.0.0 <9', file: 'lib/client.js' },
      { module: 'pg-pool', versions: '>=3.0.0 <4' },
    ],
    testedWith: ['pg'],
    load: () => (require('./pg') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Internal files, because `mysql2/promise` never loads the package's main file.
    name: 'mysql2',
    targets: [
      { module: 'mysql2', versions: '>=3.0.0 <4', file: 'lib/connection.js' },
      { module: 'mysql2', versions: '>=3.0.0 <4', file: 'lib/pool.js' },
    ],
    testedWith: ['mysql2'],
    load: () => (require('./mysql2') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // graphql 15/16: execute, parse and validate in their CommonJS files (which `import`
    // reaches too); graphql 17: its tracing channels, subscribed to when its main module
    // loads (CommonJS or ESM). Each target's patch checks the major.
    name: 'graphql',
    targets: [
      { module: 'graphql', versions: '>=15.0.0 <18' },
      { module: 'graphql', versions: '>=15.0.0 <18', file: 'execution/execute.js' },
      { module: 'graphql', versions: '>=15.0.0 <18', file: 'language/parser.js' },
      { module: 'graphql', versions: '>=15.0.0 <18', file: 'validation/validate.js' },
    ],
    testedWith: ['graphql15', 'graphql', 'graphql17'],
    load: () => (require('./graphql') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // mysqljs: internal files, where the classes are defined (the main file loads them lazily).
    name: 'mysql',
    targets: [
      { module: 'mysql', versions: '>=2.0.0 <3', file: 'lib/Connection.js' },
      { module: 'mysql', versions: '>=2.0.0 <3', file: 'lib/Pool.js' },
    ],
    testedWith: ['mysql'],
    load: () => (require('./mysql') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'memcached',
    targets: [{ module: 'memcached', versions: '>=2.2.0 <3' }],
    testedWith: ['memcached'],
    load: () => (require('./memcached') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Client.prototype.send of every AWS SDK v3 client: @smithy/smithy-client (SDK 3.363 to
    // ~3.1000), then @smithy/core's client submodule (which late 4.x smithy-client re-exports).
    name: 'aws-sdk',
    targets: [
      { module: '@smithy/smithy-client', versions: '>=1.0.3 <5' },
      { module: '@smithy/core', versions: '>=3.24.0 <4', file: 'dist-cjs/submodules/client/index.js' },
    ],
    testedWith: ['aws-s3-3.363', 'aws-dynamodb-3.363', 'aws-s3-3.1000', '@aws-sdk/client-s3', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-sns'],
    load: () => (require('./aws-sdk') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Log correlation: the trace mixin on every logger the pino() factory makes.
    name: 'pino',
    targets: [{ module: 'pino', versions: '>=5.14.0 <11' }],
    testedWith: ['pino5', 'pino'],
    load: () => (require('./pino') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'winston',
    targets: [{ module: 'winston', versions: '>=3.0.0 <4', file: 'lib/winston/logger.js' }],
    testedWith: ['winston'],
    load: () => (require('./winston') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    name: 'bunyan',
    targets: [{ module: 'bunyan', versions: '>=1.0.0 <3' }],
    testedWith: ['bunyan1', 'bunyan'],
    load: () => (require('./bunyan') as { instrumentation: Instrumentation }).instrumentation,
  },
  {
    // Opt-in by WAYMARK_CONSOLE_TRACE_CONTEXT; patches the global console at agent start.
    name: 'console',
    targets: [],
    load: () => (require('./console') as { instrumentation: Instrumentation }).instrumentation,
  },
];
