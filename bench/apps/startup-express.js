'use strict';
// Startup probe: load express (and with it http and the agent's express hooks), say so.
require('express');
process.stdout.write('ready\n');
