CREATE TABLE `agent_availability_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` text NOT NULL,
	`changed_at` integer NOT NULL,
	`cause` text NOT NULL,
	`status` text NOT NULL,
	`capacity` integer NOT NULL,
	`time_zone` text NOT NULL,
	`shifts` text NOT NULL,
	`skills` text NOT NULL,
	`holidays` text NOT NULL,
	`team_ids` text NOT NULL,
	`active` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_availability_changes_agent` ON `agent_availability_changes` (`agent_id`,`changed_at`);--> statement-breakpoint
CREATE INDEX `agent_availability_changes_changed_at` ON `agent_availability_changes` (`changed_at`);