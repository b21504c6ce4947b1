// Imported first by middleware-spans.test.ts: the instrumentation reads its settings once,
// when it loads, and the test imports it at the top.
process.env.WAYMARK_EXPRESS_MIDDLEWARE_SPANS = 'true';
