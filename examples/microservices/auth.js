'use strict';
// The auth service (Fastify): POST /validate checks the caller's bearer token.
// No tracing code: run it under `node --require waymark/register.js` and the agent traces it.
const fastify = require('fastify')({ logger: false });

const SESSIONS = new Map([['demo-token', { user: 'demo', scopes: ['users:read'] }]]);

fastify.post('/validate', async (request, reply) => {
  const token = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const session = SESSIONS.get(token);
  if (!session) return reply.code(401).send({ valid: false, error: 'unknown token' });
  return { valid: true, ...session };
});

fastify.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' }).then(
  () => {
    const { port } = fastify.server.address();
    console.log(`auth listening on http://127.0.0.1:${port}`);
    process.send?.({ ready: true, port });
  },
  (err) => {
    console.error(`auth could not start: ${err.message}`);
    process.exit(1);
  },
);
