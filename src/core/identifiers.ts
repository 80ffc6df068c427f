/** Identifiers chosen by clients or other systems (case ids, customer ids, offer ids): letters, digits and `-_.:`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
