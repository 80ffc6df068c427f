import { ConfigError } from '../config/app-config';

type Env = Record<string, string | undefined>;

/**
 * Tracing is off unless asked for: OTEL_ENABLED=true, or an exporter configured the standard way
 * (OTEL_TRACES_EXPORTER other than `none`, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).
 * OTEL_ENABLED=false and OTEL_SDK_DISABLED=true win over the rest.
 */
export function tracingEnabled(env: Env = process.env): boolean {
  const enabled = env['OTEL_ENABLED'];
  if (enabled !== undefined && enabled !== '' && enabled !== 'true' && enabled !== 'false') {
    throw new ConfigError([`OTEL_ENABLED must be true or false, got "${enabled}"`]);
  }
  if (env['OTEL_SDK_DISABLED'] === 'true' || enabled === 'false') return false;
  if (enabled === 'true') return true;
  const exporter = env['OTEL_TRACES_EXPORTER'];
  return (!!exporter && exporter !== 'none') || !!env['OTEL_EXPORTER_OTLP_ENDPOINT'] || !!env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
}
