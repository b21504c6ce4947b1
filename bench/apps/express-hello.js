'use strict';
const express = require('express');
const app = express();
app.get('/hello/:name', (req, res) => res.send(`hello ${req.params.name}`));
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
