import type { AgentConfig } from '../config';
import { maskHeaderMember, maskUrl } from '../mask';

/** The resolved configuration as `label: value` rows; URLs and header values masked. */
export function summarizeConfig(config: AgentConfig): Array<[string, string]> {
  const headers = (h: Record<string, string>): string =>
    Object.keys(h).length === 0 ? '(none)' : Object.keys(h).map((k) => maskHeaderMember(`${k}=x`)).join(', ');
  const rows: Array<[string, string]> = [
    ['service.name', config.serviceName],
    ['sdk disabled', String(config.disabled)],
    ['exporters', config.exporters.join(', ') || '(none)'],
  ];
  if (config.exporters.includes('otlp')) {
    rows.push(
      ['otlp endpoint', maskUrl(config.otlp.url)],
      ['otlp protocol', config.otlp.protocol],
      ['otlp headers', headers(config.otlp.headers)],
      ['otlp compression', config.otlp.compression],
      ['otlp timeout', `${config.otlp.timeoutMs} ms`],
    );
  }
  if (config.exporters.includes('zipkin')) rows.push(['zipkin endpoint', maskUrl(config.zipkin.url)], ['zipkin headers', headers(config.zipkin.headers)]);
  rows.push(
    ['sampler', config.sampler.name.includes('ratio') ? `${config.sampler.name} (${config.sampler.arg})` : config.sampler.name],
    ['propagators', config.propagators.join(', ')],
    ['instrumentations enabled', config.instrumentations.enabled?.join(', ') ?? '(all)'],
    ['instrumentations disabled', config.instrumentations.disabled?.join(', ') || '(none)'],
    ['log level', config.logLevel],
  );
  return rows;
}
