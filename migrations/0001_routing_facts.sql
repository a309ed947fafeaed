CREATE TABLE `effect_results` (
	`key` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`conversation_id` text NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`author_agent_id` text,
	`text` text NOT NULL,
	`mentions` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notes_conversation` ON `notes` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`conversation_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`channel` text NOT NULL,
	`delivered_at` integer,
	`read_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_agent` ON `notifications` (`agent_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `agents` ADD `role` text DEFAULT 'agent' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `shifts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `contacts` ADD `language` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `fields` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `priority` text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `opened_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `acknowledged_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `closed_at` integer;