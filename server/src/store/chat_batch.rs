//! Writing many chat messages in one transaction with three statements, however many they are:
//! which were sent before, the rooms' next ids, and the new rows. The chat writer commits what
//! waits for it this way; a statement per message would make the database the limit of a busy
//! node.
//!
//! Each statement takes its rows as one JSON array of arrays, read by the database itself
//! (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL). So a batch is the same three
//! statements whatever its size, each prepared once per connection, and each a single round
//! trip: on SQLite a round trip is two thread switches between the caller and the connection's
//! thread, which a busy node pays for in scheduler waits.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

use super::chat::{Message, SELECT_MESSAGE, message};
use super::{Backend, Tx};

/// A message to be written: its room, author and client id are its key.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub room: &'a str,
    pub author_id: i64,
    pub body: &'a str,
    pub client_id: &'a str,
}

/// The type of one column read from the JSON rows.
#[derive(Clone, Copy)]
enum Col {
    Text,
    Int,
}

/// A row source over the JSON array of arrays bound as `$1`, named `k`, and the SQL of each of
/// its columns: (`FROM` item, column expressions).
fn json_rows(backend: Backend, cols: &[Col]) -> (&'static str, Vec<String>) {
    let exprs = cols
        .iter()
        .enumerate()
        .map(|(i, col)| match (backend, col) {
            (Backend::Sqlite, _) => format!("k.value->>{i}"),
            (Backend::Postgres, Col::Text) => format!("(k.value->>{i})"),
            (Backend::Postgres, Col::Int) => format!("(k.value->>{i})::bigint"),
        });
    let from = match backend {
        Backend::Sqlite => "json_each($1) k",
        Backend::Postgres => "jsonb_array_elements($1::jsonb) AS k(value)",
    };
    (from, exprs.collect())
}

fn to_json(rows: &impl Serialize) -> sqlx::Result<String> {
    serde_json::to_string(rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// The messages already sent under any of these keys (room, author, client id).
pub async fn sent_before(
    tx: &mut Tx,
    backend: Backend,
    keys: &[NewMessage<'_>],
) -> sqlx::Result<Vec<Message>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (from, k) = json_rows(backend, &[Col::Text, Col::Int, Col::Text]);
    let sql = format!(
        "{SELECT_MESSAGE}JOIN {from} ON m.room = {} AND m.author_id = {} AND m.client_id = {}",
        k[0], k[1], k[2]
    );
    let rows: Vec<(&str, i64, &str)> = keys
        .iter()
        .map(|m| (m.room, m.author_id, m.client_id))
        .collect();
    let found = sqlx::query(AssertSqlSafe(sql))
        .bind(to_json(&rows)?)
        .fetch_all(&mut **tx)
        .await?;
    found.iter().map(message).collect()
}

/// Takes `count` ids in each room, making the counter rows of new rooms; answers each room's
/// first id taken. The counter rows stay locked until commit, so writers of one room commit in
/// id order. They are locked in name order: two transactions then lock them in the same order.
pub async fn take_ids(
    tx: &mut Tx,
    backend: Backend,
    counts: &[(&str, i64)],
    now: i64,
) -> sqlx::Result<HashMap<String, i64>> {
    if counts.is_empty() {
        return Ok(HashMap::new());
    }
    let (from, k) = json_rows(backend, &[Col::Text, Col::Int]);
    // `WHERE true` tells SQLite's parser that `ON CONFLICT` belongs to the INSERT.
    let sql = format!(
        "INSERT INTO chat_rooms (name, last_seq, created_at) \
         SELECT {name}, {n}, $2 FROM {from} WHERE true ORDER BY {name} \
         ON CONFLICT (name) DO UPDATE SET last_seq = chat_rooms.last_seq + excluded.last_seq \
         RETURNING name, last_seq",
        name = k[0],
        n = k[1],
    );
    let taken = sqlx::query(AssertSqlSafe(sql))
        .bind(to_json(&counts)?)
        .bind(now)
        .fetch_all(&mut **tx)
        .await?;
    let counts: HashMap<&str, i64> = counts.iter().copied().collect();
    let mut first = HashMap::with_capacity(counts.len());
    for row in taken {
        let name: String = row.try_get(0)?;
        let last: i64 = row.try_get(1)?;
        let n = counts.get(name.as_str()).copied().unwrap_or(1);
        first.insert(name, last - n + 1);
    }
    Ok(first)
}

/// Inserts messages under the ids taken for them.
pub async fn insert(
    tx: &mut Tx,
    backend: Backend,
    rows: &[(i64, NewMessage<'_>)],
    now: i64,
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    use Col::{Int, Text};
    let (from, k) = json_rows(backend, &[Text, Int, Int, Text, Text]);
    let sql = format!(
        "INSERT INTO chat_messages (room, seq, author_id, body, client_id, created_at) \
         SELECT {}, {}, {}, {}, {}, $2 FROM {from}",
        k[0], k[1], k[2], k[3], k[4]
    );
    let rows: Vec<(&str, i64, i64, &str, &str)> = rows
        .iter()
        .map(|(seq, m)| (m.room, *seq, m.author_id, m.body, m.client_id))
        .collect();
    sqlx::query(AssertSqlSafe(sql))
        .bind(to_json(&rows)?)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_read_typed_columns_on_each_backend() {
        let (from, k) = json_rows(Backend::Sqlite, &[Col::Text, Col::Int]);
        assert_eq!(from, "json_each($1) k");
        assert_eq!(k, ["k.value->>0", "k.value->>1"]);
        let (from, k) = json_rows(Backend::Postgres, &[Col::Text, Col::Int]);
        assert_eq!(from, "jsonb_array_elements($1::jsonb) AS k(value)");
        assert_eq!(k, ["(k.value->>0)", "(k.value->>1)::bigint"]);
    }

    #[test]
    fn rows_are_arrays_and_text_keeps_every_character() {
        let rows = [("studio:1", 7_i64, "“引号”\n和 \\ 反斜杠")];
        assert_eq!(
            to_json(&rows).unwrap(),
            r#"[["studio:1",7,"“引号”\n和 \\ 反斜杠"]]"#
        );
    }
}
