import { COMPLAINT_PERSONAL_FIELDS } from './complaints/headless';
import { CUSTOMER_PERSONAL_FIELDS } from './customers/headless';
import type { RedressEvent } from './event-schemas';
import type { PersonalFieldsOf } from './kernel/personal-data';

/** Every event field that carries a customer's personal data, by event type, as each module declares its own: what src/privacy seals. */
export const PERSONAL_FIELDS = {
  ...COMPLAINT_PERSONAL_FIELDS,
  ...CUSTOMER_PERSONAL_FIELDS,
} as const satisfies PersonalFieldsOf<RedressEvent>;
