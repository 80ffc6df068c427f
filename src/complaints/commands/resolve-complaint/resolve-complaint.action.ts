import { caseAction } from '../shared/case-action';
import { ResolveComplaintDto } from './resolve-complaint.dto';

export const resolveComplaint = caseAction({
  path: 'resolve',
  operationId: 'resolveComplaint',
  summary: 'Resolve the complaint',
  description: 'Records how the complaint was resolved and its outcome; needs an assessment. The follow-up falls due from here.',
  body: ResolveComplaintDto,
  toCommand: ({ body }) => ({ type: 'ResolveComplaint', data: body }),
});
