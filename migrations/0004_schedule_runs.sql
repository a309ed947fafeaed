CREATE TABLE `schedule_runs` (
	`run_key` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`workflow_version_id` text NOT NULL,
	`trigger_node_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`conversations` integer NOT NULL,
	`created_at` integer NOT NULL
);
