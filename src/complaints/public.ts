/** What other modules may use of the complaints module; everything else in it is its own business. */
export * from './headless';
export { CaseIdParams } from './case-commands';
export { ComplaintsModule } from './complaints.module';
export { CaseViewDto } from './queries/shared/case-view.dto';
