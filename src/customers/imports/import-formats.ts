/** The files a purchase import reads: comma-separated values with a header, or one JSON object per line. */
export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
