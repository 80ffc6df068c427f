import { COMPLAINT_UPCASTERS } from './complaints/domain/complaint.upcasters';
import type { UpcasterRegistry } from './core/event-store/upcasting-event-store';

/** Every upcaster of every stream kind: how stored events of older schema versions are read today. */
export const EVENT_UPCASTERS: UpcasterRegistry = { ...COMPLAINT_UPCASTERS };
