ALTER TABLE `live_events` ADD `once_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `live_events_once` ON `live_events` (`once_key`) WHERE "live_events"."once_key" IS NOT NULL;