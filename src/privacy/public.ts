/** What the rest of Redress may use of privacy: the module, the protection (seal, open), the key store, the markers. */
export * from './headless';
export { PrivacyModule } from './privacy.module';
export { openPersonalDataInAnswers } from './open-personal-data';
export { ErasureFollowUps, type ErasureFollowUp, type RecordedErasure } from './erasure-follow-ups';
