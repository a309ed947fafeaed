export { type Switchboard, startSwitchboard } from './app';
export { type Config, loadConfig } from './config';
export { DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID } from './demo/seedDemo';
export { startDevServer } from './temporal/devServer';
export { ensureTemporalCli, temporalCliPath } from './temporal/temporalCli';
export { inboundTextWebhook } from './whatsapp/inboundPayloads';
export { signWebhookBody } from './whatsapp/signature';
