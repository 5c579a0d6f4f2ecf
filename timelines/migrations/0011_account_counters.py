"""Per-account counters kept by PostgreSQL triggers: statuses, followers, following and the
time of the last status, as Mastodon keeps account_stats. Counting them at every read cost an
index walk per author per page, growing with the author's posts and followers.

The triggers fire for every write path (the ORM, bulk inserts, cascades, raw SQL), so the
counters cannot drift from the rows. Both rows a follow touches are updated in id order, so
that two opposite follows at once cannot deadlock. SQLite keeps counting at read time."""

from django.db import migrations

CREATE = """
CREATE TABLE accounts_counters (
    account_id bigint PRIMARY KEY,
    statuses_count bigint NOT NULL DEFAULT 0,
    followers_count bigint NOT NULL DEFAULT 0,
    following_count bigint NOT NULL DEFAULT 0,
    last_status_at timestamp with time zone
);

CREATE FUNCTION accounts_counters_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO accounts_counters AS c (account_id, statuses_count, last_status_at)
        VALUES (NEW.account_id, 1, NEW.created_at)
        ON CONFLICT (account_id) DO UPDATE SET
            statuses_count = c.statuses_count + 1,
            last_status_at = greatest(c.last_status_at, EXCLUDED.last_status_at);
        RETURN NULL;
    END IF;
    UPDATE accounts_counters c SET
        statuses_count = greatest(c.statuses_count - 1, 0),
        last_status_at = CASE WHEN OLD.created_at < c.last_status_at THEN c.last_status_at
            ELSE (SELECT max(created_at) FROM timelines_status s
                  WHERE s.account_id = OLD.account_id) END
    WHERE c.account_id = OLD.account_id;
    RETURN NULL;
END $$;

CREATE TRIGGER accounts_counters_status AFTER INSERT OR DELETE ON timelines_status
FOR EACH ROW EXECUTE FUNCTION accounts_counters_status();

CREATE FUNCTION accounts_counters_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO accounts_counters AS c (account_id, followers_count, following_count)
        SELECT id, sum(followers), sum(following) FROM (
            VALUES (NEW.target_account_id, 1, 0), (NEW.account_id, 0, 1)
        ) v (id, followers, following)
        GROUP BY id ORDER BY id
        ON CONFLICT (account_id) DO UPDATE SET
            followers_count = c.followers_count + EXCLUDED.followers_count,
            following_count = c.following_count + EXCLUDED.following_count;
        RETURN NULL;
    END IF;
    FOR target IN SELECT DISTINCT unnest(ARRAY[OLD.account_id, OLD.target_account_id]) ORDER BY 1
    LOOP
        UPDATE accounts_counters SET
            followers_count = greatest(followers_count - (target = OLD.target_account_id)::int, 0),
            following_count = greatest(following_count - (target = OLD.account_id)::int, 0)
        WHERE account_id = target;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER accounts_counters_follow AFTER INSERT OR DELETE ON accounts_follow
FOR EACH ROW EXECUTE FUNCTION accounts_counters_follow();

CREATE FUNCTION accounts_counters_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM accounts_counters WHERE account_id = OLD.id;
    RETURN NULL;
END $$;

CREATE TRIGGER accounts_counters_account AFTER DELETE ON accounts_account
FOR EACH ROW EXECUTE FUNCTION accounts_counters_account();

-- Counted after the triggers exist: creating them locked the tables against writes until
-- this migration commits, so no row is counted twice or missed.
INSERT INTO accounts_counters (account_id, statuses_count, last_status_at)
SELECT account_id, count(*), max(created_at) FROM timelines_status GROUP BY account_id;

INSERT INTO accounts_counters AS c (account_id, followers_count, following_count)
SELECT id, sum(followers), sum(following) FROM (
    SELECT target_account_id AS id, 1 AS followers, 0 AS following FROM accounts_follow
    UNION ALL
    SELECT account_id, 0, 1 FROM accounts_follow
) f GROUP BY id
ON CONFLICT (account_id) DO UPDATE SET followers_count = EXCLUDED.followers_count,
                                       following_count = EXCLUDED.following_count;
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_counters_account ON accounts_account;
DROP TRIGGER IF EXISTS accounts_counters_follow ON accounts_follow;
DROP TRIGGER IF EXISTS accounts_counters_status ON timelines_status;
DROP FUNCTION IF EXISTS accounts_counters_account();
DROP FUNCTION IF EXISTS accounts_counters_follow();
DROP FUNCTION IF EXISTS accounts_counters_status();
DROP TABLE IF EXISTS accounts_counters;
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_account_moves_and_retired_usernames"),
        ("timelines", "0010_web_push_subscription"),
    ]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
