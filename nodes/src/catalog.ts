import { assignAction } from './actions/assign';
import { httpRequestAction } from './actions/httpRequest';
import { noteAction } from './actions/note';
import { notifyAction } from './actions/notify';
import { sendWhatsAppAction } from './actions/sendWhatsApp';
import { setPriorityAction } from './actions/setPriority';
import { setStatusAction } from './actions/setStatus';
import { tagAction } from './actions/tag';
import { businessHoursCondition } from './conditions/businessHours';
import { ifCondition } from './conditions/if';
import { switchCondition } from './conditions/switch';
import { endFlow } from './flow/end';
import { escalationLadderFlow } from './flow/escalationLadder';
import { runWorkflowFlow } from './flow/runWorkflow';
import { slaTimerFlow } from './flow/slaTimer';
import { waitFlow } from './flow/wait';
import { waitForAcknowledgementFlow } from './flow/waitForAcknowledgement';
import type { AnyNodeType } from './nodeType';
import { deliveryFailedTrigger } from './triggers/deliveryFailed';
import { keywordTrigger } from './triggers/keyword';
import { manualTrigger } from './triggers/manual';
import { messageReceivedTrigger } from './triggers/messageReceived';
import { messageTypeTrigger } from './triggers/messageType';
import { newConversationTrigger } from './triggers/newConversation';
import { scheduleTrigger } from './triggers/schedule';
import { slaAlertTrigger } from './triggers/slaAlert';
import { tagChangedTrigger } from './triggers/tagChanged';
import { unansweredTrigger } from './triggers/unanswered';

/** Every node type the editor offers and the runtime executes. Adding a type = one line here. */
export const nodeCatalog: readonly AnyNodeType[] = [
  newConversationTrigger,
  messageReceivedTrigger,
  unansweredTrigger,
  keywordTrigger,
  messageTypeTrigger,
  tagChangedTrigger,
  deliveryFailedTrigger,
  manualTrigger,
  scheduleTrigger,
  slaAlertTrigger,
  ifCondition,
  switchCondition,
  businessHoursCondition,
  assignAction,
  tagAction,
  setPriorityAction,
  noteAction,
  notifyAction,
  sendWhatsAppAction,
  httpRequestAction,
  setStatusAction,
  waitFlow,
  waitForAcknowledgementFlow,
  escalationLadderFlow,
  slaTimerFlow,
  endFlow,
  runWorkflowFlow,
];

const byType = new Map(nodeCatalog.map((nodeType) => [nodeType.type, nodeType]));

/** Config is checked against the type's schema before a node runs, so callers see `unknown` config. */
export function findNodeType(type: string): AnyNodeType | undefined {
  return byType.get(type);
}
