import type { UpcasterRegistry } from '../../core/event-store/upcasting-event-store';

/**
 * Schema history of complaint events.
 *
 * v2 (channels): the channel first called `webform` is `web` — web forms and the customer portal
 * turned out to be one channel for analysts. Events written before the rename keep their bytes;
 * they are read as if written today.
 */
const LEGACY_CHANNELS: Readonly<Record<string, string>> = { webform: 'web' };

function renameLegacyChannel<T extends { channel?: string }>(data: T): T {
  const renamed = data.channel === undefined ? undefined : LEGACY_CHANNELS[data.channel];
  return renamed ? { ...data, channel: renamed } : data;
}

export const COMPLAINT_UPCASTERS: UpcasterRegistry = {
  ComplaintReceived: { 1: renameLegacyChannel },
  ComplaintAcknowledged: { 1: renameLegacyChannel },
  CustomerContactLogged: { 1: renameLegacyChannel },
  ApologyIssued: { 1: renameLegacyChannel },
  ExplanationGiven: { 1: renameLegacyChannel },
};
