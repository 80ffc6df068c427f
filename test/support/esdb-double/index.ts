export { EsdbDouble } from './esdb-double';
export type { EsdbDoubleOptions } from './esdb-double';
export { DoubleLog } from './double-log';
export type { DoubleLogOptions, StoredEvent } from './double-log';
