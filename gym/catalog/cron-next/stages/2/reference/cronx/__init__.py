"""cronx: the next times a cron expression fires."""
