/**
 * `db.query.text` for Redis commands, safe by default: the command name and its key (and
 * other structural) arguments are kept, every value becomes `?`. Unknown commands keep
 * nothing but their name. Pure functions, shared by the ioredis and node-redis
 * instrumentations; they never throw on odd arguments.
 * https://opentelemetry.io/docs/specs/semconv/database/redis/
 */

/** Default bound of a statement, in characters (batches included). */
export const REDIS_QUERY_TEXT_MAX = 1024;

/** Longest single kept argument (a key); longer ones are cut. */
const MAX_ARG_CHARS = 128;

/**
 * How the arguments of one command are rendered:
 * - a number n: the first n arguments kept, the rest `?`;
 * - `ALL`: every argument kept (keys, field names, counts: no values);
 * - `HASH`: key, then field/value pairs as `field ?` (HSET key field ? field ?);
 * - `PAIRS`: key/value pairs as `key ?` (MSET k ? k ?);
 * - `SCRIPT`: EVAL-like, `<script or sha> numkeys key... ?...`, the script body itself `?`.
 */
type Shape = number | 'ALL' | 'HASH' | 'PAIRS' | 'SCRIPT';

const ALL = 'ALL';

function table(entries: Array<[Shape, string]>): ReadonlyMap<string, Shape> {
  const map = new Map<string, Shape>();
  for (const [shape, names] of entries) for (const name of names.split(' ')) map.set(name, shape);
  return map;
}

// Commands missing here render as `NAME ? ? ...`: safe for AUTH, HELLO and anything new.
const SHAPES = table([
  [
    ALL,
    'GET MGET DEL UNLINK EXISTS TOUCH TYPE TTL PTTL EXPIRETIME PEXPIRETIME PERSIST STRLEN INCR DECR GETDEL ' +
      'WATCH RENAME RENAMENX COPY DUMP KEYS RANDOMKEY DBSIZE ' +
      'HGET HMGET HDEL HEXISTS HGETALL HKEYS HVALS HLEN HSTRLEN HRANDFIELD ' +
      'LLEN LPOP RPOP RPOPLPUSH LMOVE BLPOP BRPOP SCARD SMEMBERS SPOP SRANDMEMBER SINTER SUNION SDIFF ' +
      'SINTERSTORE SUNIONSTORE SDIFFSTORE ZCARD ZPOPMIN ZPOPMAX BZPOPMIN BZPOPMAX PFCOUNT PFMERGE XLEN',
  ],
  [
    1,
    'SET SETNX SETEX PSETEX GETSET GETEX APPEND SETRANGE GETRANGE INCRBY DECRBY INCRBYFLOAT ' +
      'EXPIRE PEXPIRE EXPIREAT PEXPIREAT LPUSH RPUSH LPUSHX RPUSHX LSET LREM LINSERT LPOS LINDEX LRANGE LTRIM ' +
      'SADD SREM SISMEMBER SMISMEMBER ZADD ZREM ZSCORE ZMSCORE ZINCRBY ZRANK ZREVRANK ZRANGE ZREVRANGE ' +
      'ZRANGEBYSCORE ZREVRANGEBYSCORE ZCOUNT ZREMRANGEBYSCORE ZREMRANGEBYRANK PFADD GEOADD GEOPOS GEODIST ' +
      'XADD XRANGE XREVRANGE XTRIM XDEL HSCAN SSCAN ZSCAN PUBLISH SPUBLISH',
  ],
  [2, 'HINCRBY HINCRBYFLOAT HSETNX SMOVE'],
  [
    1,
    // Container commands: the subcommand is structure, its arguments may be secrets
    // (CONFIG SET requirepass ..., CLIENT SETNAME ...).
    'CLIENT CONFIG CLUSTER COMMAND FUNCTION MEMORY OBJECT SCRIPT XINFO XGROUP ACL MODULE LATENCY SLOWLOG',
  ],
  ['HASH', 'HSET HMSET'],
  ['PAIRS', 'MSET MSETNX'],
  ['SCRIPT', 'EVAL EVAL_RO EVALSHA EVALSHA_RO FCALL FCALL_RO'],
]);

/** Builds a bounded string from parts; stops accepting once the bound is reached. */
class Bounded {
  text = '';
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get full(): boolean {
    return this.text.length >= this.#max;
  }
  /** Appends ` part` (no space when empty); false once full. */
  push(part: string, sep = ' '): boolean {
    if (this.full) return false;
    const next = this.text.length === 0 ? part : this.text + sep + part;
    this.text = next.length > this.#max ? next.slice(0, this.#max) : next;
    return !this.full;
  }
}

/** One kept argument as text: strings and numbers as they are, Buffers decoded, others `?`. */
function argText(arg: unknown): string {
  if (typeof arg === 'string') return arg.length > MAX_ARG_CHARS ? arg.slice(0, MAX_ARG_CHARS) : arg;
  if (typeof arg === 'number' || typeof arg === 'bigint') return String(arg);
  if (Buffer.isBuffer(arg)) return arg.toString('utf8', 0, Math.min(arg.length, MAX_ARG_CHARS));
  return '?';
}

/** True when argument `i` of a command of `shape` is kept; `numKeys` only for SCRIPT. */
function kept(shape: Shape, i: number, numKeys: number, isEval: boolean): boolean {
  if (shape === ALL) return true;
  if (typeof shape === 'number') return i < shape;
  if (shape === 'HASH') return i === 0 || i % 2 === 1;
  if (shape === 'PAIRS') return i % 2 === 0;
  // SCRIPT: [script|sha|function, numkeys, key * numkeys, arg...]
  if (i === 0) return !isEval;
  return i <= 1 + numKeys;
}

function appendCommand(out: Bounded, name: string, args: ArrayLike<unknown>): void {
  const upper = name.toUpperCase();
  if (!out.push(upper, out.text.length === 0 ? ' ' : '; ')) return;
  const shape = SHAPES.get(upper) ?? 0;
  let numKeys = 0;
  const isEval = upper === 'EVAL' || upper === 'EVAL_RO';
  if (shape === 'SCRIPT' && args.length > 1) {
    const n = Number(argText(args[1]));
    numKeys = Number.isInteger(n) && n > 0 ? n : 0;
  }
  for (let i = 0; i < args.length; i++) {
    const part = kept(shape, i, numKeys, isEval) ? argText(args[i]) : '?';
    if (!out.push(part)) return;
  }
}

/**
 * `db.query.text` of one command: `name` upper-cased, then its arguments with values
 * replaced by `?`, bounded to `max` characters. `args` excludes the command name.
 */
export function redisQueryText(name: string, args: ArrayLike<unknown>, max = REDIS_QUERY_TEXT_MAX): string {
  const out = new Bounded(max);
  appendCommand(out, String(name), args ?? []);
  return out.text;
}

/** One command of a batch: its name and arguments (without the name). */
export interface RedisCommandParts {
  readonly name: string;
  readonly args: ArrayLike<unknown>;
}

/** `db.query.text` of a pipeline or transaction: the commands' texts joined by `; `, bounded. */
export function redisBatchQueryText(commands: readonly RedisCommandParts[], max = REDIS_QUERY_TEXT_MAX): string {
  const out = new Bounded(max);
  for (const c of commands) {
    if (out.full) break;
    appendCommand(out, String(c.name), c.args ?? []);
  }
  return out.text;
}
