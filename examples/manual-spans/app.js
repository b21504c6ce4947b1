'use strict';
// A small app with hand-written spans and no tracing setup of its own: run it under
// `node --require ./register.js` and the agent turns these spans into OTLP (or console) output.
const { trace, SpanStatusCode } = require('@opentelemetry/api');

const tracer = trace.getTracer('example-checkout', '1.0.0');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function chargeCard(orderId) {
  return tracer.startActiveSpan('charge-card', async (span) => {
    span.setAttribute('order.id', orderId);
    await sleep(15);
    span.end();
  });
}

async function loadOrder(orderId) {
  return tracer.startActiveSpan('load-order', async (span) => {
    span.setAttribute('order.id', orderId);
    await sleep(5);
    span.end();
    return { id: orderId, total: 42 };
  });
}

async function checkout(orderId) {
  return tracer.startActiveSpan('checkout', async (span) => {
    try {
      const order = await loadOrder(orderId);
      await chargeCard(order.id);
      if (orderId === 'o-3') throw new Error('card declined');
      span.addEvent('order.completed', { 'order.total': order.total });
    } catch (err) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    } finally {
      span.end();
    }
  });
}

(async () => {
  for (const id of ['o-1', 'o-2', 'o-3']) await checkout(id);
  // Nothing else to do: the process exits on its own and the agent flushes on the way out.
})();
