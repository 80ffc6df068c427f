/**
 * What other modules, the CLI and the read side may use of the privacy module without loading its HTTP layer (Nest, Swagger,
 * Fastify, validation): a rebuild or a CLI command loads only this. public.ts offers all of it and the rest.
 */
export { PersonalDataOpener, PersonalDataProtection, type OpenedEventRecord } from './personal-data';
export { PersonalDataKeys, KEY_STORE_FILE_NAME, type Erasure } from './key-store';
export { MASTER_KEY_FILE_NAME } from './master-key';
export { ERASED, UNREADABLE, isSealed, sealedBy } from './sealed-value';
