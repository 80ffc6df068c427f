import { COMPLAINT_STREAM_PREFIX } from './complaints/headless';
import type { ComplaintEvent } from './complaints/headless';
import { COMPLAINT_UPCASTERS } from './complaints/headless';
import type { EventCatalogue } from './core/event-store/upcasting-event-store';
import { CUSTOMER_STREAM_PREFIX } from './customers/headless';
import type { CustomerEvent } from './customers/headless';
import { CUSTOMER_UPCASTERS } from './customers/headless';

/** Every event Redress records, of every stream kind. */
export type RedressEvent = ComplaintEvent | CustomerEvent;

/** Every event type of every stream kind with its upcasters: how the service and the CLI read the log. */
export const EVENT_UPCASTERS: EventCatalogue<RedressEvent> = { ...COMPLAINT_UPCASTERS, ...CUSTOMER_UPCASTERS };

/** The streams Redress writes (complaint-<caseId>, customer-<customerId>): its part of a shared EventStoreDB. */
export const REDRESS_STREAM_PREFIXES: readonly string[] = [COMPLAINT_STREAM_PREFIX, CUSTOMER_STREAM_PREFIX];
