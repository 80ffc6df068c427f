/** What the rest of Redress may use of privacy: the module, the protection (seal, open), the key store, the markers. */
export { PrivacyModule } from './privacy.module';
export { openPersonalDataInAnswers } from './open-personal-data';
export { PersonalDataOpener, PersonalDataProtection, type OpenedEventRecord } from './personal-data';
export { PersonalDataKeys, KEY_STORE_FILE_NAME, type Erasure } from './key-store';
export { MASTER_KEY_FILE_NAME } from './master-key';
export { ERASED, UNREADABLE, isSealed, sealedBy } from './sealed-value';
export { ErasureFollowUps, type ErasureFollowUp, type RecordedErasure } from './erasure-follow-ups';
