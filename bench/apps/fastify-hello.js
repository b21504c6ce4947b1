'use strict';
const fastify = require('fastify')();
fastify.get('/hello/:name', async (req) => `hello ${req.params.name}`);
fastify.listen({ port: Number(process.env.PORT || 0), host: '127.0.0.1' }).then(() => {
  process.stdout.write(`listening ${fastify.server.address().port}\n`);
});
