CREATE TABLE `webhook_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`field` text NOT NULL,
	`business_number_id` text,
	`detail` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_notices_event` ON `webhook_notices` (`webhook_event_id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `media_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `media_mime_type` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `media_sha256` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `media_filename` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_to_wa_message_id` text;