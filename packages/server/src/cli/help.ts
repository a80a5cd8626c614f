/** `banter --help` and each command's help. Kept next to the flags they describe. */
export const HELP: Record<string, string> = {
  main: `banter — self-hosted chat server

Usage: banter <command> [flags]

Commands:
  serve                 Run the chat API, the embedded relay and the widget on one port
  migrate               Apply pending database migrations, then exit
  token <userId>        Print a user token (for curl, tests, a quick embed)
  outbox failed         List events that could not be delivered (dead letters)
  outbox retry          Deliver dead events again (--all, or one ID)
  webhooks failed       List webhook deliveries that failed every attempt
  webhooks retry        Send failed webhooks again (--all, or one ID)
  notifications status  Emails and pushes waiting and dead, by channel
  notifications failed  List emails and pushes that failed every attempt
  notifications retry   Send failed emails and pushes again (--all, or one ID)
  doctor                Check a configuration and say what is wrong (same flags as serve)
  erase-user ID         Erase a user for good: messages, uploads, cursors, profile (--tombstone)
  export-user ID        Print everything Banter holds of a user as JSON (GDPR access)
  reports               List reported messages, newest first (--limit, --cursor, --conversation)
  ban USER              Ban a user from the app, or one conversation (--conversation ID, --reason)
  unban USER            Lift a ban (--conversation ID for a conversation's)
  delete-message C M    Delete any message for everyone (conversation id, message id)

Run "banter <command> --help" for its flags. Docs: docs/cli.md`,

  serve: `Usage: banter serve [--port 3000] [--host 127.0.0.1] [--database-url URL | --data-dir DIR] [--dev]

Runs Banter on one port: the API under /api, the embedded Pusher-protocol relay
(WebSocket /app/<key>, HTTP API /apps/<id>/...), the widget at /widget.js and
/metrics. Migrations run on start; SIGINT/SIGTERM shut down gracefully.

Flags:
  --port N              Port to listen on (env PORT; default 3000; 0 picks a free port)
  --host HOST           Address to bind (env HOST; default 127.0.0.1; 0.0.0.0 for every interface)
  --database-url URL    PostgreSQL connection string (env DATABASE_URL)
  --data-dir DIR        Banter's directory: PGlite data in DIR/db, generated credentials
                        (env BANTER_DATA_DIR; default ./.banter)
  --dev                 Development: the demo page at /, GET /api/dev/token?user=ID,
                        CORS for every origin, BANTER_SECRET generated when not set.
                        Anyone reaching the server can act as any user: never in production.

Environment:
  BANTER_SECRET         Signs user tokens (32+ characters; required without --dev)
  BANTER_CORS_ORIGINS   Origins allowed to call the API: "*" or a comma-separated list
  PUSHER_APP_ID, PUSHER_APP_KEY, PUSHER_APP_SECRET
                        Deliver events through Pusher, Soketi or Reverb instead of the
                        embedded relay (all three are needed, plus a host or a cluster)
  PUSHER_HOST, PUSHER_PORT, PUSHER_SCHEME
                        A self-hosted service (Soketi, Reverb): where it listens (scheme http|https)
  PUSHER_APP_CLUSTER    Hosted Pusher's cluster (mt1, eu, ...)`,

  migrate: `Usage: banter migrate [--database-url URL | --data-dir DIR]

Creates the banter schema if needed and applies pending migrations, then prints
what was applied. Safe to run concurrently from several instances.

  --database-url URL    PostgreSQL (env DATABASE_URL)
  --data-dir DIR        PGlite in DIR/db (env BANTER_DATA_DIR; default ./.banter)`,

  token: `Usage: banter token <userId> [--name NAME] [--expires-in 1h]

Prints a signed user token (HS256, sub = userId) on stdout.

  --name NAME           Display name carried in the token
  --expires-in SPAN     Lifetime: seconds, or 30m, 12h, 7d (default 1h)
  --data-dir DIR        Where "banter serve --dev" stored a generated secret (default ./.banter)

Environment:
  BANTER_SECRET         The signing secret (else the one stored by "banter serve --dev")`,

  outbox: `Usage: banter outbox failed [--limit 50]
       banter outbox retry (--all | ID)

Events the dispatcher gave up on (after its retries) stay in the outbox as dead letters.
"failed" lists them; "retry" schedules them for delivery again by the running servers.

  --all                 Retry every dead event
  --limit N             Most events to list (default 50)
  --database-url URL    PostgreSQL (env DATABASE_URL)
  --data-dir DIR        PGlite in DIR/db (env BANTER_DATA_DIR; default ./.banter)`,

  webhooks: `Usage: banter webhooks failed [--limit 50]
       banter webhooks retry (--all | ID)

Webhook deliveries are retried with backoff for about 17 hours; then they are dead letters.
"failed" lists them with the last HTTP status; "retry" sends them again from the running servers.

  --all                 Retry every failed webhook
  --limit N             Most deliveries to list (default 50)
  --database-url URL    PostgreSQL (env DATABASE_URL)
  --data-dir DIR        PGlite in DIR/db (env BANTER_DATA_DIR; default ./.banter)`,

  notifications: `Usage: banter notifications status
       banter notifications failed [--limit 50]
       banter notifications retry (--all | ID)

Emails and Web Push notifications are retried with backoff (by default for about 7 hours);
then they are dead. "status" counts what waits and what died per channel; "failed" lists the
dead with their last error; "retry" requeues them for the running servers' next poll.

  --all                 Retry every failed notification
  --limit N             Most deliveries to list (default 50)
  --database-url URL    PostgreSQL (env DATABASE_URL)
  --data-dir DIR        PGlite in DIR/db (env BANTER_DATA_DIR; default ./.banter)`,

  doctor: `Usage: banter doctor [--port 3000] [--host 127.0.0.1] [--database-url URL | --data-dir DIR] [--dev]

Checks the configuration "banter serve" would run with, and says in plain words what
is wrong: BANTER_SECRET missing or too short, the database unreachable or behind on
migrations, incomplete PUSHER_* variables, Pusher/Soketi/Reverb unreachable or refusing
the credentials, this machine's clock too far from the Pusher host's (signed requests
are refused beyond 600 s), the port already taken. Exit code 0 when every check passes,
1 otherwise. Same flags and environment as banter serve; see docs/operations.md.

  --verify-erasure ID   Instead: scan every table and the file storage for what is left
                        of user ID (exit 0: nothing; 1: lists what remains). See
                        docs/data-ownership.md.`,

  'erase-user': `Usage: banter erase-user ID [--tombstone] [--database-url URL | --data-dir DIR]

Erases user ID: their messages (hard-deleted; with --tombstone each becomes an empty
"deleted user" message so the others keep every seq), uploads and their files, read
cursors, outbox rows that name them, and their profile, in one transaction. Files the
storage refuses now stay queued and running servers retry them. Prove it with
banter doctor --verify-erasure ID. See docs/data-ownership.md.`,

  'export-user': `Usage: banter export-user ID [--database-url URL | --data-dir DIR] > user.json

Prints everything Banter holds of user ID as JSON: profile, conversations (with who else
is in them), every message they wrote, and uploads as signed links valid for a day.`,

  reports: `Usage: banter reports [--limit 50] [--cursor C] [--conversation ID] [--database-url URL | --data-dir DIR]

Lists the messages users reported, newest first: when, the report and message ids, who
reported, the reason, and the message as it reads now. Act with banter delete-message or
banter ban. See docs/moderation.md.`,

  ban: `Usage: banter ban USER [--conversation ID] [--reason TEXT] [--database-url URL | --data-dir DIR]

Bans USER from the whole app (their token then works for nothing: every request and channel
subscription answers 403), or with --conversation from that conversation only. Running
servers apply it within 2 seconds. Lift it with banter unban.`,

  unban: `Usage: banter unban USER [--conversation ID] [--database-url URL | --data-dir DIR]

Lifts the app-wide ban of USER, or with --conversation the ban from that conversation.`,

  'delete-message': `Usage: banter delete-message CONVERSATION_ID MESSAGE_ID [--database-url URL | --data-dir DIR]

Deletes any message for everyone, as the host (body emptied, seq kept, participants told).`,
};
