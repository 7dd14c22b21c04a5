-- Chat (交流): rooms, their messages and each reader's position.
-- A message's id within its room is `seq`, taken from the room's counter row (`last_seq`) in the
-- inserting transaction: the row lock orders writers, so ids are 1, 2, 3, … with no gaps and
-- become visible in order, and a client resuming "after N" never misses one.
-- `client_id` makes a send idempotent per author and room. Deleted messages keep their row (and
-- their id) with the body cleared. `chat_reads.last_read` is the last id a user has read.

CREATE TABLE chat_rooms (
    name        TEXT    PRIMARY KEY,
    last_seq    BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE chat_messages (
    room        TEXT    NOT NULL REFERENCES chat_rooms(name),
    seq         BIGINT  NOT NULL,
    author_id   BIGINT  NOT NULL REFERENCES users(id),
    body        TEXT    NOT NULL,
    client_id   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    edited_at   BIGINT,
    deleted_at  BIGINT,
    PRIMARY KEY (room, seq),
    UNIQUE (room, author_id, client_id)
);

CREATE TABLE chat_reads (
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    room        TEXT    NOT NULL REFERENCES chat_rooms(name),
    last_read   BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, room)
);
