ALTER TABLE `shard_holds` ADD `acknowledged_at` integer;
