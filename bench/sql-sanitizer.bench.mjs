// Cost of sanitizing and summarizing one ~1 KB SQL statement (the default db.query.text
// path of the pg and mysql2 instrumentations), in ns per statement, and of a query span's
// whole recipe for a statement seen before (cached). Runs on the build:
//
//   npx tsc -p tsconfig.json && node bench/sql-sanitizer.bench.mjs
//   ITERATIONS=200000 ROUNDS=5 to tune
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sanitizeSql } = require('../build/src/instrument/sql-sanitizer.js');
const { summarize } = require('../build/src/instrument/sql-summarizer.js');
const { sqlSpanSpec } = require('../build/src/instrument/sql-span.js');

const ITERATIONS = Number(process.env.ITERATIONS || 100_000);
const ROUNDS = Number(process.env.ROUNDS || 5);

// A realistic ORM-style statement: identifiers, literals of every kind, a comment, an IN list.
const STATEMENT = [
  '/* service=checkout route=/orders/:id */',
  'SELECT o.id, o.created_at, o.status, o.total_cents, c.id AS customer_id, c.email, c.display_name,',
  '       a.line1, a.line2, a.city, a.postal_code, a.country_code, p.sku, p.title, oi.quantity, oi.unit_price_cents',
  'FROM orders o',
  'JOIN customers c ON c.id = o.customer_id',
  'LEFT JOIN addresses a ON a.id = o.shipping_address_id AND a.kind = \'shipping\'',
  'JOIN order_items oi ON oi.order_id = o.id',
  'JOIN products p ON p.id = oi.product_id',
  "WHERE o.created_at >= '2024-01-01 00:00:00' AND o.created_at < '2024-02-01 00:00:00'",
  "  AND o.status IN ('paid', 'shipped', 'delivered', 'refunded') -- skip drafts",
  '  AND o.total_cents BETWEEN 1500 AND 250000 AND c.id IN (1001, 1002, 1003, 1004, 1005, 1006, 1007)',
  "  AND (c.email LIKE '%@example.com' OR c.display_name = 'O''Brien') AND p.weight_kg < 12.5e0",
  '  AND o.customer_id = $1 AND o.region_code = $2 AND a.country_code <> $3',
  'GROUP BY o.id, c.id, a.id, p.id, oi.id HAVING SUM(oi.quantity) > 2',
  'ORDER BY o.created_at DESC, o.id ASC LIMIT 50 OFFSET 100',
].join('\n');

function measure(fn) {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) sink += fn(STATEMENT).length | 0;
  const ns = Number(process.hrtime.bigint() - t0) / ITERATIONS;
  if (sink === -1) console.log('unreachable');
  return ns;
}

const sanitize = (s) => sanitizeSql(s, 'postgresql');
const both = (s) => {
  const out = sanitizeSql(s, 'postgresql');
  summarize(s, 'postgresql');
  return out;
};

// Warm up the JIT before measuring.
for (let i = 0; i < 20_000; i++) both(STATEMENT);

// The floor: one charCodeAt per character and nothing else. Shared machines are noisy;
// the ratio to this floor is the figure that carries from one machine to another.
function floor(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h + s.charCodeAt(i)) | 0;
  return String(h);
}

// What a query span pays: name, attributes, sanitized text, for a statement seen before
// (the same parameterized text; a fresh string each time, so its hash is not cached either).
const spanSpec = (s) => sqlSpanSpec({ system: 'postgresql', text: (s + ' ').slice(0, -1), namespace: 'shop', serverAddress: 'db', serverPort: 5432 }).name;

const results = { floor: [], sanitize: [], summarize: [], both: [], 'span spec': [] };
for (let r = 0; r < ROUNDS; r++) {
  results.floor.push(measure(floor));
  results['span spec'].push(measure(spanSpec));
  results.sanitize.push(measure(sanitize));
  results.summarize.push(measure((s) => String(summarize(s, 'postgresql').collection)));
  results.both.push(measure(both));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`statement: ${STATEMENT.length} chars -> ${sanitize(STATEMENT).length} chars sanitized`);
console.log(sanitize(STATEMENT));
const floorNs = median(results.floor);
for (const [name, xs] of Object.entries(results)) {
  const m = median(xs);
  console.log(`${name.padEnd(10)} median ${m.toFixed(0).padStart(6)} ns/statement  ${(m / floorNs).toFixed(1)}x floor  (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
