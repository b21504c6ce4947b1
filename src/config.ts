import type { Attributes } from '@opentelemetry/api';
import { diag, setLogLevel, type LogLevel } from './diag';
import { maskHeaderMember, maskUrl } from './mask';
import type { TlsFile, TlsSettings } from './export/tls-options';
import type { DbStatementMode, InstrumentationSettings } from './instrument/settings';
import { detectResource, selectDetectors, type DetectorSelection } from './resource/detect-resource';
import { parseSamplingRules, type SamplingRule } from './sdk/sampling/rules';

/**
 * Agent configuration, read once from the environment following the OpenTelemetry
 * SDK environment-variable specification. An invalid value gets one diagnostic line
 * naming the variable and the value, then the spec default: configuration never throws.
 */
export interface AgentConfig {
  disabled: boolean;
  serviceName: string;
  resourceAttributes: Attributes;
  /** OTEL_NODE_RESOURCE_DETECTORS as resolved: the local detectors that ran. */
  resourceDetectors: string[];
  exporters: Array<'otlp' | 'console' | 'zipkin' | 'none'>;
  otlp: {
    /** The traces endpoint (OTLP/HTTP) or the collector's URL, whose origin is used (OTLP/gRPC). */
    url: string;
    protocol: OtlpProtocol;
    headers: Record<string, string>;
    compression: 'gzip' | 'none';
    timeoutMs: number;
    /** OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE, _CLIENT_CERTIFICATE, _CLIENT_KEY (read when the exporter is made). */
    tls: TlsSettings;
  };
  zipkin: { url: string; headers: Record<string, string>; timeoutMs: number };
  sampler: SamplerConfig;
  propagators: string[];
  bsp: { scheduleDelayMs: number; exportTimeoutMs: number; maxQueueSize: number; maxExportBatchSize: number };
  limits: SpanLimits;
  logLevel: LogLevel;
  instrumentations: {
    /** OTEL_NODE_ENABLED_INSTRUMENTATIONS, lower-cased (names are checked against the registry when the hooks install). */
    enabled?: string[];
    /** OTEL_NODE_DISABLED_INSTRUMENTATIONS, lower-cased. */
    disabled?: string[];
    /** What instrumentations are told (through their kit). */
    settings: InstrumentationSettings;
  };
  /** WAYMARK_SHUTDOWN_TIMEOUT: how long the flush may delay the end of the process. */
  shutdownTimeoutMs: number;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export interface SpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** What builds the sampler (src/sdk/sampler.ts createAgentSampler). */
export interface SamplerConfig {
  name: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG's ratio (the initial rate for jaeger_remote); 1 otherwise. */
  arg: number;
  /** For jaeger_remote / parentbased_jaeger_remote, from OTEL_TRACES_SAMPLER_ARG. */
  jaeger?: { endpoint: string; pollingIntervalMs: number; initialSamplingRate: number } | undefined;
  /** WAYMARK_SAMPLING_RULES, valid rules only, in order. */
  rules: SamplingRule[];
  /** WAYMARK_SAMPLING_RATE_LIMIT: at most this many sampled roots a second. */
  rateLimit?: number | undefined;
}

export type SamplerName =
  | 'jaeger_remote'
  | 'parentbased_jaeger_remote'
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'jaeger_remote',
  'parentbased_jaeger_remote',
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];
const EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;

type Env = Record<string, string | undefined>;

function invalid(name: string, value: string, fallback: unknown): void {
  diag.warn(`invalid ${name}=${JSON.stringify(value)}; using the default (${JSON.stringify(fallback)})`);
}

/** Trimmed value, with empty treated as unset (spec: empty means unset). */
function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const l = v.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  invalid(name, v, fallback);
  return fallback;
}

/** Largest delay Node's timers accept; a larger one fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Bound of the count settings (queue sizes, limits): what an array index and a comparison hold comfortably. */
export const MAX_COUNT = 2 ** 31 - 1;

/**
 * Non-negative integer in [min, max] (the BSP, timeout and limit variables); `min` guards zero
 * where zero is meaningless, `max` what the consumer accepts (timers: MAX_TIMER_MS).
 */
function int(env: Env, name: string, fallback: number, min = 0, max = MAX_COUNT): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    invalid(name, v, fallback);
    return fallback;
  }
  return Number(v);
}

/** A delay or timeout in ms, bounded to what Node's timers accept. */
function ms(env: Env, name: string, fallback: number, min = 0): number {
  return int(env, name, fallback, min, MAX_TIMER_MS);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const l = v.toLowerCase() as T;
  if (allowed.includes(l)) return l;
  invalid(name, v, fallback);
  return fallback;
}

/** Comma list, trimmed, empties dropped. */
export function list(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * W3C-baggage-like `key=value,key2=value2` with percent-decoding, used by
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS. Bad members are reported and
 * skipped; with `secret` (headers) the report shows the key only, never the value.
 */
export function parseKeyValueList(name: string, value: string | undefined, secret = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of list(value)) {
    const shown = secret ? maskHeaderMember(member) : member;
    const eq = member.indexOf('=');
    const key = eq > 0 ? member.slice(0, eq).trim() : '';
    if (key === '') {
      invalid(name, shown, 'member skipped');
      continue;
    }
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(member.slice(eq + 1).trim());
    } catch {
      invalid(name, shown, 'member skipped');
    }
  }
  return out;
}

function endpoint(env: Env, protocol: OtlpProtocol): string {
  if (protocol === 'grpc') return grpcEndpoint(env);
  const signal = raw(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (signal !== undefined) {
    if (isUrl(signal)) return signal; // used as is
    invalid('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', maskUrl(signal), 'generic endpoint');
  }
  const generic = raw(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (generic !== undefined) {
    if (isUrl(generic)) return appendPath(generic, 'v1/traces');
    invalid('OTEL_EXPORTER_OTLP_ENDPOINT', maskUrl(generic), 'http://localhost:4318');
  }
  return 'http://localhost:4318/v1/traces';
}

/**
 * The OTLP/gRPC endpoint. Used as is from either variable (gRPC has no per-signal path to
 * append). A URL's scheme decides TLS (https) or plaintext (http); without a scheme
 * (`collector:4317`), OTEL_EXPORTER_OTLP_[TRACES_]INSECURE=true means plaintext and
 * anything else TLS (OTLP exporter spec: Insecure).
 */
function grpcEndpoint(env: Env): string {
  const fallback = 'http://localhost:4317';
  const signal = raw(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const generic = raw(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  // Read whenever gRPC is in use, so that a bad value is reported even when a scheme makes it moot.
  const insecure = bool(env, otlpVar(env, 'INSECURE'), false);
  if (signal !== undefined) {
    const url = grpcTarget(signal, insecure);
    if (url !== undefined) return url;
    invalid('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', maskUrl(signal), 'generic endpoint');
  }
  if (generic !== undefined) {
    const url = grpcTarget(generic, insecure);
    if (url !== undefined) return url;
    invalid('OTEL_EXPORTER_OTLP_ENDPOINT', maskUrl(generic), fallback);
  }
  return fallback;
}

/** An http(s) URL as is, or `host:port` with the scheme INSECURE implies; undefined when neither. */
function grpcTarget(v: string, insecure: boolean): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) return isUrl(v) ? v : undefined;
  const withScheme = (insecure ? 'http://' : 'https://') + v;
  return isUrl(withScheme) && new URL(withScheme).hostname !== '' ? withScheme : undefined;
}

/** `base` with `path` appended to its path (query kept where it is). */
function appendPath(base: string, path: string): string {
  const u = new URL(base);
  u.pathname = u.pathname.replace(/\/+$/, '') + '/' + path;
  return u.href;
}

function isUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * An endpoint's userinfo (`http://user:pass@host:4318`) becomes a Basic `Authorization`
 * header, as Node's http client does for the OpenTelemetry exporters, unless the headers
 * already name one; the URL the exporter keeps (and may show) has no credentials.
 */
export function endpointCredentials(url: string, headers: Record<string, string>): { url: string; headers: Record<string, string> } {
  const u = new URL(url);
  if (u.username === '' && u.password === '') return { url, headers };
  let user = u.username;
  let pass = u.password;
  try {
    user = decodeURIComponent(user);
    pass = decodeURIComponent(pass);
  } catch {
    // Not percent-encoding after all: sent as written.
  }
  u.username = '';
  u.password = '';
  const out = { ...headers };
  if (!Object.keys(out).some((k) => k.toLowerCase() === 'authorization')) {
    out.Authorization = 'Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
  }
  return { url: u.href, headers: out };
}

function zipkinEndpoint(env: Env): string {
  const fallback = 'http://localhost:9411/api/v2/spans';
  const v = raw(env, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
  if (v === undefined) return fallback;
  if (isUrl(v)) return v;
  invalid('OTEL_EXPORTER_ZIPKIN_ENDPOINT', maskUrl(v), fallback);
  return fallback;
}

/** Signal-specific variable wins over the generic OTLP one. */
function otlpVar(env: Env, suffix: string): string {
  return raw(env, `OTEL_EXPORTER_OTLP_TRACES_${suffix}`) !== undefined
    ? `OTEL_EXPORTER_OTLP_TRACES_${suffix}`
    : `OTEL_EXPORTER_OTLP_${suffix}`;
}

/**
 * The TLS file settings (paths: the files are read and checked when the exporter is made).
 * A client certificate needs its key and the other way round; one without the other is
 * reported and neither is used.
 */
function tlsSettings(env: Env): TlsSettings {
  const file = (suffix: string): TlsFile | undefined => {
    const variable = otlpVar(env, suffix);
    const path = raw(env, variable);
    return path === undefined ? undefined : { variable, file: path };
  };
  const certificate = file('CERTIFICATE');
  const clientCertificate = file('CLIENT_CERTIFICATE');
  const clientKey = file('CLIENT_KEY');
  if (clientCertificate !== undefined && clientKey !== undefined) return { certificate, clientCertificate, clientKey };
  const alone = clientCertificate ?? clientKey;
  if (alone !== undefined) {
    const missing = clientCertificate === undefined ? 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE' : 'OTEL_EXPORTER_OTLP_CLIENT_KEY';
    diag.warn(`${alone.variable} is set without ${missing}: a client certificate needs both; none is presented`);
  }
  return { certificate };
}

// Jaeger's HTTP sampling endpoint (the agent's; a collector serves it at :14268/api/sampling):
// the spec's example endpoint is the gRPC form (:14250), which this agent does not speak.
// The spec names the keys but no defaults; 60 s and 0.001 are those of the Jaeger clients.
const JAEGER_DEFAULTS = { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 60_000, initialSamplingRate: 0.001 };

/** OTEL_TRACES_SAMPLER_ARG for jaeger_remote: `endpoint=…,pollingIntervalMs=…,initialSamplingRate=…`, each optional. */
function jaegerArg(env: Env): NonNullable<SamplerConfig['jaeger']> {
  const out = { ...JAEGER_DEFAULTS };
  const v = raw(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (v === undefined) return out;
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq > 0 && key === 'endpoint' && /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value)) out.endpoint = value;
    else if (eq > 0 && key === 'pollingIntervalMs' && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_TIMER_MS) {
      out.pollingIntervalMs = Number(value);
    } else if (eq > 0 && key === 'initialSamplingRate' && value !== '' && Number(value) >= 0 && Number(value) <= 1) {
      out.initialSamplingRate = Number(value);
    } else invalid('OTEL_TRACES_SAMPLER_ARG part', part.trim(), 'its default');
  }
  return out;
}

function samplingRules(env: Env): SamplingRule[] {
  const v = raw(env, 'WAYMARK_SAMPLING_RULES');
  if (v === undefined) return [];
  const { rules, problems } = parseSamplingRules(v);
  for (const p of problems) diag.warn(`WAYMARK_SAMPLING_RULES: ${p}`);
  return rules;
}

function rateLimit(env: Env): number | undefined {
  const v = raw(env, 'WAYMARK_SAMPLING_RATE_LIMIT');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    invalid('WAYMARK_SAMPLING_RATE_LIMIT', v, 'no limit');
    return undefined;
  }
  return n;
}

function samplerConfig(env: Env, name: SamplerName): SamplerConfig {
  const jaeger = name.endsWith('jaeger_remote') ? jaegerArg(env) : undefined;
  return {
    name,
    arg: jaeger === undefined ? samplerArg(env, name) : jaeger.initialSamplingRate,
    jaeger,
    rules: samplingRules(env),
    rateLimit: rateLimit(env),
  };
}

function samplerArg(env: Env, name: SamplerName): number {
  const v = raw(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (!name.endsWith('traceidratio')) return 1;
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    invalid('OTEL_TRACES_SAMPLER_ARG', v, 1);
    return 1;
  }
  return n;
}

function exporters(env: Env): AgentConfig['exporters'] {
  const names = list(raw(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').map((s) => s.toLowerCase());
  const out: AgentConfig['exporters'] = [];
  for (const n of names) {
    if ((EXPORTERS as readonly string[]).includes(n)) {
      if (!out.includes(n as AgentConfig['exporters'][number])) out.push(n as AgentConfig['exporters'][number]);
    } else {
      invalid('OTEL_TRACES_EXPORTER', n, 'skipped');
    }
  }
  if (out.length === 0) return ['otlp'];
  return out.includes('none') ? ['none'] : out;
}

/** The service.name used when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names one (spec). */
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';

/** OTEL_NODE_RESOURCE_DETECTORS: unknown names get one line, cloud ones another (not built in). */
function detectorSelection(env: Env): DetectorSelection {
  const name = 'OTEL_NODE_RESOURCE_DETECTORS';
  const value = raw(env, name);
  const selection = selectDetectors(value === undefined ? undefined : list(value).map((s) => s.toLowerCase()));
  if (selection.unknown.length > 0) invalid(name, selection.unknown.join(','), 'name skipped');
  if (selection.cloud.length > 0) {
    diag.warn(
      `${name}: the ${selection.cloud.join(', ')} detector is not available in waymark (no metadata calls at startup); ` +
        'set cloud.* attributes with OTEL_RESOURCE_ATTRIBUTES',
    );
  }
  return selection;
}

/**
 * The resource: detected attributes, then OTEL_RESOURCE_ATTRIBUTES over them, then
 * OTEL_SERVICE_NAME over service.name (spec: what the user sets wins over what is detected).
 */
function resourceAttributes(env: Env, serviceName: string | undefined): { attrs: Attributes; serviceName: string; detectors: string[] } {
  const selection = detectorSelection(env);
  const detected = detectResource(selection.detectors, { env, commandArgs: bool(env, 'WAYMARK_RESOURCE_COMMAND_ARGS', false) });
  const fromEnv = parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', raw(env, 'OTEL_RESOURCE_ATTRIBUTES'));
  const name = serviceName ?? fromEnv['service.name'] ?? DEFAULT_SERVICE_NAME;
  const attrs: Attributes = {
    'service.name': name,
    'telemetry.sdk.name': 'waymark',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': SDK_VERSION,
    ...detected,
    ...fromEnv,
  };
  attrs['service.name'] = name;
  return { attrs, serviceName: name, detectors: selection.detectors };
}

function dbStatement(env: Env): DbStatementMode {
  const name = 'WAYMARK_DB_STATEMENT';
  const v = raw(env, name);
  if (v === undefined) return 'sanitized';
  const l = v.toLowerCase();
  if (l === 'raw') return 'raw';
  if (l === 'sanitized' || l === 'sanitize') return 'sanitized';
  invalid(name, v, 'sanitized');
  return 'sanitized';
}

// RFC 9110 token characters, lower case (names are compared lower-cased).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** A list of header names to capture: lower-cased, deduplicated; a name that is not a token is skipped. */
function headerNames(env: Env, name: string): string[] {
  const out: string[] = [];
  for (const item of list(raw(env, name))) {
    const l = item.toLowerCase();
    if (!HEADER_NAME.test(l)) invalid(name, item, 'name skipped');
    else if (!out.includes(l)) out.push(l);
  }
  return out;
}

function instrumentationSettings(env: Env): InstrumentationSettings {
  return {
    db: { statement: dbStatement(env) },
    http: {
      ignorePaths: list(raw(env, 'WAYMARK_HTTP_IGNORE_PATHS')),
      serverRequestHeaders: headerNames(env, 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST'),
      serverResponseHeaders: headerNames(env, 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE'),
      clientRequestHeaders: headerNames(env, 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST'),
      clientResponseHeaders: headerNames(env, 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE'),
    },
    express: { middlewareSpans: bool(env, 'WAYMARK_EXPRESS_MIDDLEWARE_SPANS', false) },
    koa: { middlewareSpans: bool(env, 'WAYMARK_KOA_MIDDLEWARE_SPANS', false) },
    graphql: { resolverSpans: bool(env, 'WAYMARK_GRAPHQL_RESOLVER_SPANS', false) },
    console: { traceContext: bool(env, 'WAYMARK_CONSOLE_TRACE_CONTEXT', false) },
  };
}

/** The agent's version, reported as telemetry.sdk.version. */
export const SDK_VERSION: string = (() => {
  try {
    // build/src/config.js and src/config.ts sit at different depths.
    return require('../../package.json').version as string;
  } catch {
    try {
      return require('../package.json').version as string;
    } catch {
      return '0.0.0';
    }
  }
})();

/** Reads the whole configuration from `env` (defaults to process.env). */
export function readConfig(env: Env = process.env): AgentConfig {
  const logLevel = oneOf(env, 'OTEL_LOG_LEVEL', LOG_LEVELS, 'info');
  // Applied first, so that OTEL_LOG_LEVEL=none also silences the lines below.
  setLogLevel(logLevel);
  const samplerName = oneOf(env, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  const { attrs, serviceName, detectors } = resourceAttributes(env, raw(env, 'OTEL_SERVICE_NAME'));
  const attributeCountLimit = int(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', int(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT', 128));
  const valueLimitGeneric = raw(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
  const attributeValueLengthLimit = int(
    env,
    'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    valueLimitGeneric === undefined ? Infinity : int(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', Infinity),
  );
  const bsp = {
    scheduleDelayMs: ms(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMs: ms(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30000),
    maxQueueSize: int(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1),
    maxExportBatchSize: int(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1),
  };
  if (bsp.maxExportBatchSize > bsp.maxQueueSize) {
    // Spec: the batch size must be less than or equal to the queue size.
    invalid('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', String(bsp.maxExportBatchSize), bsp.maxQueueSize);
    bsp.maxExportBatchSize = bsp.maxQueueSize;
  }
  const headersVar = otlpVar(env, 'HEADERS');
  const protocolVar = otlpVar(env, 'PROTOCOL');
  const compressionVar = otlpVar(env, 'COMPRESSION');
  const timeoutVar = otlpVar(env, 'TIMEOUT');
  const propagators = list(raw(env, 'OTEL_PROPAGATORS') ?? 'tracecontext,baggage').map((s) => s.toLowerCase());
  const enabled = raw(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = raw(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS');
  const protocol = oneOf(env, protocolVar, OTLP_PROTOCOLS, 'http/protobuf');
  return {
    disabled: bool(env, 'OTEL_SDK_DISABLED', false),
    serviceName,
    resourceAttributes: attrs,
    resourceDetectors: detectors,
    exporters: exporters(env),
    otlp: {
      ...endpointCredentials(endpoint(env, protocol), parseKeyValueList(headersVar, raw(env, headersVar), true)),
      protocol,
      compression: oneOf(env, compressionVar, ['gzip', 'none'] as const, 'none'),
      timeoutMs: ms(env, timeoutVar, 10000),
      tls: tlsSettings(env),
    },
    zipkin: {
      ...endpointCredentials(zipkinEndpoint(env), {}),
      timeoutMs: ms(env, 'OTEL_EXPORTER_ZIPKIN_TIMEOUT', 10000),
    },
    sampler: samplerConfig(env, samplerName),
    propagators: propagators.length ? propagators : ['tracecontext', 'baggage'],
    bsp,
    limits: {
      attributeCountLimit,
      attributeValueLengthLimit,
      eventCountLimit: int(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT', 128),
      linkCountLimit: int(env, 'OTEL_SPAN_LINK_COUNT_LIMIT', 128),
      attributePerEventCountLimit: int(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 128),
      attributePerLinkCountLimit: int(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 128),
    },
    logLevel,
    instrumentations: {
      enabled: enabled === undefined ? undefined : list(enabled).map((s) => s.toLowerCase()),
      disabled: disabled === undefined ? undefined : list(disabled).map((s) => s.toLowerCase()),
      settings: instrumentationSettings(env),
    },
    shutdownTimeoutMs: ms(env, 'WAYMARK_SHUTDOWN_TIMEOUT', 2000),
  };
}
