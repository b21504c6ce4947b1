'use strict';
// The demo's message queue: NATS when one answers within a moment, otherwise nothing.
// The users service publishes on it, the activity worker consumes from it.
const { connect } = require('@nats-io/transport-node');

/**
 * The subject the users service publishes each user it returns on ({ userId, viewedAt }):
 * `user.viewed`, under `prefix` when there is one. The demo's runner sets one per run
 * (QUEUE_PREFIX): two demos on one NATS, as the tests run them, then keep their messages apart.
 */
function userViewedSubject(prefix = process.env.QUEUE_PREFIX) {
  return prefix ? `${prefix}.user.viewed` : 'user.viewed';
}

// A refused connection fails at once; this bounds a server that accepts and never answers.
// Generous, as the handshake (TCP, INFO, CONNECT, PING) of a busy machine starting four
// processes at once has taken over 300 ms.
const CONNECT_TIMEOUT_MS = 2000;

const NO_QUEUE = { url: undefined, publish: () => {}, consume: async () => {} };

/** Connects to NATS at `url`; resolves to a queue that does nothing when NATS is not reachable. */
async function connectQueue(url, name) {
  let nc;
  try {
    nc = await connect({ servers: url, name, timeout: CONNECT_TIMEOUT_MS });
  } catch {
    return NO_QUEUE;
  }
  return {
    url,
    /** Fire and forget: a queue outage must not fail the request that publishes. */
    publish(subject, value) {
      try {
        nc.publish(subject, JSON.stringify(value));
      } catch (err) {
        console.error(`${name}: could not publish ${subject}: ${err.message}`);
      }
    },
    /** Calls `handle(value)` for each message on `subject`; resolves once the server has the subscription. */
    async consume(subject, handle) {
      const processMessage = async (msg) => {
        try {
          await handle(msg.json());
        } catch (err) {
          console.error(`${name}: a ${subject} message failed: ${err.message}`);
        }
      };
      // The promise is returned so the caller can tell when the message is done (the agent's
      // process span ends then, after the handler's queries).
      nc.subscribe(subject, { callback: (err, msg) => (err ? undefined : processMessage(msg)) });
      await nc.flush();
    },
  };
}

module.exports = { connectQueue, userViewedSubject };
