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
ALTER TABLE `messages` ADD `author_agent_id` text;