/** The content types a case takes, recognised by their first bytes, never by what the client claims. */
export const ALLOWED_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] as const;
export type AttachmentType = (typeof ALLOWED_ATTACHMENT_TYPES)[number];

const startsWith = (bytes: Buffer, magic: readonly number[]) => magic.every((byte, i) => bytes[i] === byte);

/**
 * What the file is, from its first bytes: PDF (`%PDF-`), PNG (its 8-byte signature), JPEG (`FF D8 FF`), or plain text
 * (UTF-8 without NUL or other control bytes but tab, CR, LF, FF); undefined for anything else.
 */
export function sniffContentType(head: Buffer): AttachmentType | undefined {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (head.length > 0 && isPlainText(head)) return 'text/plain';
  return undefined;
}

function isPlainText(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  // A multi-byte character cut at the end of the sniffed head is still text: check all but its last 3 bytes strictly.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
  return !text.includes('\uFFFD');
}
