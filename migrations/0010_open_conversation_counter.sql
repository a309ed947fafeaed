ALTER TABLE `agents` ADD `open_conversations` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `agents` SET `open_conversations` = (
  SELECT count(*) FROM `conversations` c WHERE c.`assignee_agent_id` = `agents`.`id` AND c.`status` = 'open'
);--> statement-breakpoint
-- Triggers keep the counter, whoever writes the conversation (ingest, effects, the API, tools).
CREATE TRIGGER `conversations_open_count_insert` AFTER INSERT ON `conversations`
WHEN new.`status` = 'open' AND new.`assignee_agent_id` IS NOT NULL
BEGIN
  UPDATE `agents` SET `open_conversations` = `open_conversations` + 1 WHERE `id` = new.`assignee_agent_id`;
END;--> statement-breakpoint
CREATE TRIGGER `conversations_open_count_delete` AFTER DELETE ON `conversations`
WHEN old.`status` = 'open' AND old.`assignee_agent_id` IS NOT NULL
BEGIN
  UPDATE `agents` SET `open_conversations` = `open_conversations` - 1 WHERE `id` = old.`assignee_agent_id`;
END;--> statement-breakpoint
CREATE TRIGGER `conversations_open_count_update` AFTER UPDATE OF `assignee_agent_id`, `status` ON `conversations`
WHEN old.`assignee_agent_id` IS NOT new.`assignee_agent_id` OR old.`status` IS NOT new.`status`
BEGIN
  UPDATE `agents` SET `open_conversations` = `open_conversations` - 1
   WHERE old.`status` = 'open' AND `id` = old.`assignee_agent_id`;
  UPDATE `agents` SET `open_conversations` = `open_conversations` + 1
   WHERE new.`status` = 'open' AND `id` = new.`assignee_agent_id`;
END;
