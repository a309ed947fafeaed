CREATE TABLE `shard_holds` (
	`shard` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`until` integer NOT NULL
);
