// Every test process gets the same known configuration, whatever the shell has set.
process.env.APP_SECRET = "test-secret-that-is-at-least-32-characters-long";
process.env.APP_URL = "https://portal.test";
process.env.API_RATE_LIMIT_PER_HOUR = "1000";
delete process.env.DATABASE_URL;
// Webhook tests post to receivers on 127.0.0.1 (loopback), which the URL guard refuses otherwise.
process.env.WEBHOOK_ALLOW_INSECURE_URLS = "true";
