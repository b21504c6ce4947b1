'use strict';
// The Catalog service definition, loaded from catalog.proto by both services.
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const definition = loader.loadSync(path.join(__dirname, 'catalog.proto'), { defaults: true });
module.exports = { grpc, catalog: grpc.loadPackageDefinition(definition).catalog };
