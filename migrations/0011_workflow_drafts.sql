ALTER TABLE `workflows` ADD `draft_graph` text;--> statement-breakpoint
ALTER TABLE `workflows` ADD `draft_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workflows` ADD `last_edited_by` text;--> statement-breakpoint
ALTER TABLE `workflows` ADD `last_edited_at` integer;