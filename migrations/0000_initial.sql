CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`status` text DEFAULT 'offline' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`capacity` integer DEFAULT 5 NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_email_unique` ON `agents` (`email`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`effect_key` text NOT NULL,
	`conversation_id` text NOT NULL,
	`agent_id` text,
	`team_id` text,
	`workflow_version_id` text NOT NULL,
	`execution_id` text NOT NULL,
	`node_id` text NOT NULL,
	`explanation` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_effect_key_unique` ON `assignments` (`effect_key`);--> statement-breakpoint
CREATE INDEX `assignments_agent` ON `assignments` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `assignments_conversation` ON `assignments` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `business_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`display_phone_number` text,
	`team_id` text,
	`workflow_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`wa_id` text NOT NULL,
	`name` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_wa_id_unique` ON `contacts` (`wa_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`business_number_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`customer_wa_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_agent_id` text,
	`team_id` text,
	`last_inbound_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_number_customer` ON `conversations` (`business_number_id`,`customer_wa_id`);--> statement-breakpoint
CREATE TABLE `execution_steps` (
	`key` text PRIMARY KEY NOT NULL,
	`execution_id` text NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`status` text NOT NULL,
	`output` text,
	`error` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `execution_steps_execution` ON `execution_steps` (`execution_id`,`at`);--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`workflow_version_id` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `executions_conversation` ON `executions` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`wa_message_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`direction` text NOT NULL,
	`type` text NOT NULL,
	`text` text,
	`payload` text NOT NULL,
	`sent_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_wa_message_id_unique` ON `messages` (`wa_message_id`);--> statement-breakpoint
CREATE INDEX `messages_conversation` ON `messages` (`conversation_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`shard` integer NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`dispatched_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`dispatched_at`,`seq`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`agent_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `agent_id`)
);
--> statement-breakpoint
CREATE TABLE `team_rotation` (
	`team_id` text PRIMARY KEY NOT NULL,
	`last_agent_id` text
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`lead_agent_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`body_sha256` text NOT NULL,
	`body` text NOT NULL,
	`signature` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_body_sha256_unique` ON `webhook_events` (`body_sha256`);--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`number` integer NOT NULL,
	`graph` text NOT NULL,
	`content_hash` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`published_by` text,
	`published_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_versions_number` ON `workflow_versions` (`workflow_id`,`number`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`published_version_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
