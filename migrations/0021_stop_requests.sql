CREATE TABLE `execution_stop_requests` (
	`execution_id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`shard` integer NOT NULL,
	`mode` text NOT NULL,
	`requested_by` text,
	`requested_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `execution_stop_requests_shard` ON `execution_stop_requests` (`shard`);