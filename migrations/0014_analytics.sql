-- analytics_hourly and analytics_escalations are WITHOUT ROWID (added by hand; drizzle-kit does not
-- emit it): the dashboard range-scans them by primary key, which then holds the sums themselves.
CREATE TABLE `analytics_conversations` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`opened_at` integer,
	`waiting_since` integer,
	`first_response_at` integer,
	`last_assigned_agent_id` text,
	`acknowledged_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE TABLE `analytics_escalations` (
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`bucket` integer NOT NULL,
	`reason` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`dimension`, `value`, `bucket`, `reason`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_hourly` (
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`bucket` integer NOT NULL,
	`inbound` integer DEFAULT 0 NOT NULL,
	`outbound` integer DEFAULT 0 NOT NULL,
	`opened` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`first_responses` integer DEFAULT 0 NOT NULL,
	`first_response_ms` integer DEFAULT 0 NOT NULL,
	`responses` integer DEFAULT 0 NOT NULL,
	`response_ms` integer DEFAULT 0 NOT NULL,
	`resolutions` integer DEFAULT 0 NOT NULL,
	`resolution_ms` integer DEFAULT 0 NOT NULL,
	`acknowledgements` integer DEFAULT 0 NOT NULL,
	`acknowledgement_ms` integer DEFAULT 0 NOT NULL,
	`assignments` integer DEFAULT 0 NOT NULL,
	`reassignments` integer DEFAULT 0 NOT NULL,
	`sla_met` integer DEFAULT 0 NOT NULL,
	`sla_breached` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`dimension`, `value`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `analytics_hourly_workload` ON `analytics_hourly` (`dimension`,`bucket`,`value`,`assignments`,`reassignments`);--> statement-breakpoint
CREATE TABLE `analytics_progress` (
	`source` text PRIMARY KEY NOT NULL,
	`high_water` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `analytics_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`period` text NOT NULL,
	`time_zone` text NOT NULL,
	`filters` text NOT NULL,
	`last_period` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sla_clocks` (
	`conversation_id` text NOT NULL,
	`opened_at` integer NOT NULL,
	`measure` text NOT NULL,
	`cycle` integer NOT NULL,
	`policy_id` text NOT NULL,
	`state` text NOT NULL,
	`started_at` integer NOT NULL,
	`target_ms` integer NOT NULL,
	`elapsed_ms` integer NOT NULL,
	`warn_at` integer,
	`due_at` integer,
	`stopped_at` integer,
	`next_check_at` integer,
	`warning_sent_at` integer,
	`breach_sent_at` integer,
	`counted_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `opened_at`, `measure`, `cycle`)
);
--> statement-breakpoint
CREATE INDEX `sla_clocks_next_check` ON `sla_clocks` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`match` text NOT NULL,
	`first_response_minutes` integer,
	`next_response_minutes` integer,
	`resolution_minutes` integer,
	`business_hours` text,
	`warn_at_percent` integer DEFAULT 80 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_acknowledged_at` ON `conversations` (`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `conversations_closed_at` ON `conversations` (`closed_at`);