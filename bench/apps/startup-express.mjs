// Startup probe, ESM: import express (and with it http and the agent's express hooks), say so.
import 'express';
process.stdout.write('ready\n');
