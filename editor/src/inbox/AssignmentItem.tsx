import type { Assignment } from '@switchboard/shared';
import { memo } from 'react';
import { formatWhen, toIso } from '../format';
import { ExplanationDetails } from './ExplanationDetails';

type Props = { assignment: Assignment; viewerId: string };

function AssignmentItemView({ assignment, viewerId }: Props) {
  const { customer } = assignment;
  return (
    <li className="assignment" data-testid="assignment-item" data-conversation-id={assignment.conversationId}>
      <div className="assignment-head">
        <span className="assignment-customer">
          {customer.name ?? customer.waId}
          {customer.name && <span className="muted assignment-waid"> {customer.waId}</span>}
        </span>
        <time className="muted" dateTime={toIso(assignment.createdAt)}>
          {formatWhen(assignment.createdAt)}
        </time>
      </div>
      <p className={assignment.preview ? 'assignment-preview' : 'assignment-preview muted'}>
        {assignment.preview ?? 'No message text'}
      </p>
      <details className="explanation">
        <summary>Why was this assigned to me?</summary>
        <ExplanationDetails explanation={assignment.explanation} viewerId={viewerId} />
      </details>
    </li>
  );
}

// Memoised because every socket push re-renders the list, and old items never change.
export const AssignmentItem = memo(AssignmentItemView);
