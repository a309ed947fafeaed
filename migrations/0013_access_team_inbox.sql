CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`agent_id` text NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_agent_id` text,
	`via` text NOT NULL,
	`method` text NOT NULL,
	`route` text NOT NULL,
	`params` text,
	`body` text,
	`status_code` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `live_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `live_events_agent` ON `live_events` (`agent_id`,`seq`);--> statement-breakpoint
CREATE TABLE `message_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`change` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_agent` ON `sessions` (`agent_id`);--> statement-breakpoint
ALTER TABLE `agents` ADD `languages` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `holidays` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `password_hash` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `last_active_at` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `notification_preferences` text DEFAULT '{"onlyMineAndMentions":false,"quietHours":null,"digestEveryMinutes":null}' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `last_digest_at` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `deactivated_at` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `reason` text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `held_at` integer;--> statement-breakpoint
CREATE TRIGGER `message_changes_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `message_changes` (`conversation_id`, `change`) VALUES (NEW.`conversation_id`, 'message');
END;--> statement-breakpoint
CREATE TRIGGER `message_changes_status` AFTER UPDATE OF `status` ON `messages`
  WHEN NEW.`status` IS NOT OLD.`status` BEGIN
  INSERT INTO `message_changes` (`conversation_id`, `change`) VALUES (NEW.`conversation_id`, 'messageStatus');
END;
