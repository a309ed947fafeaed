ALTER TABLE `messages` ADD `status` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `status_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `status_errors` text;