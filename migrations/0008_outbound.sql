CREATE TABLE `message_templates` (
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'approved' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`name`, `language`)
);
--> statement-breakpoint
CREATE TABLE `send_pacing` (
	`key` text PRIMARY KEY NOT NULL,
	`theoretical_arrival_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `unmatched_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wa_message_id` text NOT NULL,
	`status` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `unmatched_statuses_message` ON `unmatched_statuses` (`wa_message_id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `author_agent_id` text;