CREATE TABLE `shard_checkpoints` (
	`run_id` text NOT NULL,
	`page` integer NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `page`)
);
--> statement-breakpoint
CREATE INDEX `shard_checkpoints_created` ON `shard_checkpoints` (`created_at`);