CREATE TABLE `redrives` (
	`original_seq` integer PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`redrive_seq` integer NOT NULL,
	`workflow_version_id` text,
	`requested_by` text,
	`requested_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `replay_conversations` (
	`run_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`changed` integer NOT NULL,
	`result` text NOT NULL,
	PRIMARY KEY(`run_id`, `conversation_id`)
);
--> statement-breakpoint
CREATE TABLE `replay_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`target_version_id` text,
	`target_graph` text NOT NULL,
	`from_time` integer NOT NULL,
	`to_time` integer NOT NULL,
	`status` text NOT NULL,
	`total_events` integer DEFAULT 0 NOT NULL,
	`processed_events` integer DEFAULT 0 NOT NULL,
	`totals` text,
	`error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
ALTER TABLE `workflow_versions` ADD `running_executions` text DEFAULT 'stay' NOT NULL;--> statement-breakpoint
CREATE INDEX `executions_version_started` ON `executions` (`workflow_version_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox` (`created_at`);