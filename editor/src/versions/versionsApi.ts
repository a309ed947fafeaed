import type { GraphDiff, VersionSummary, WorkflowVersion } from '@switchboard/shared';

export type VersionsReply = {
  workflowId: string;
  publishedVersionId: string | null;
  versions: VersionSummary[];
};
export type VersionReply = { version: WorkflowVersion };
export type DiffReply = { from: WorkflowVersion; to: WorkflowVersion; diff: GraphDiff };

export const versionsUrl = (workflowId: string) =>
  `/api/workflows/${encodeURIComponent(workflowId)}/versions`;
export const versionUrl = (workflowId: string, number: number) => `${versionsUrl(workflowId)}/${number}`;
export const diffUrl = (workflowId: string, from: number, to: number) =>
  `/api/workflows/${encodeURIComponent(workflowId)}/diff?from=${from}&to=${to}`;
export const rollbackUrl = (workflowId: string, number: number) =>
  `${versionUrl(workflowId, number)}/rollback`;
