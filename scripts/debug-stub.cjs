'use strict';
// Stand-in for the `debug` package inside the bundle: require-in-the-middle only uses it
// for its own trace output, and loading `debug` (with supports-color) costs startup time.
module.exports = function createDebug() {
  const noop = () => {};
  noop.enabled = false;
  noop.extend = createDebug;
  return noop;
};
module.exports.enabled = () => false;
