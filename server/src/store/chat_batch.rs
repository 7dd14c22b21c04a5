//! Writing many chat messages in one transaction with a few statements, however many they
//! are: which were sent before, the rooms' next ids, and the new rows. The chat writer commits
//! what waits for it this way; a statement per message would make the database the limit of a
//! busy node.

use std::collections::HashMap;
use std::fmt::Write;

use sqlx::{AssertSqlSafe, Row};

use super::Tx;
use super::chat::{Message, SELECT_MESSAGE, message};

/// The rows one statement may take. A batch is cut into pieces of these sizes, the largest
/// first, so that the few statements there are get prepared once and are then found in the
/// connection's statement cache: preparing a statement of a few hundred rows costs more than
/// running it. Powers of two: any batch takes at most one piece of each size below 64, and each
/// piece is a round trip to the database.
const SIZES: [usize; 7] = [64, 32, 16, 8, 4, 2, 1];

/// The smallest size of [`SIZES`] that holds `n` (at most 64) keys.
fn padded_size(n: usize) -> usize {
    SIZES
        .into_iter()
        .rev()
        .find(|&s| s >= n)
        .unwrap_or(SIZES[0])
}

/// `items` in pieces of the sizes in [`SIZES`].
fn pieces<T>(mut items: &[T]) -> impl Iterator<Item = &[T]> {
    std::iter::from_fn(move || {
        let size = SIZES.into_iter().find(|&s| s <= items.len())?;
        let (piece, rest) = items.split_at(size);
        items = rest;
        Some(piece)
    })
}

/// A message to be written: its room, author and client id are its key.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub room: &'a str,
    pub author_id: i64,
    pub body: &'a str,
    pub client_id: &'a str,
}

/// `$first, $first+1, …` for `n` parameters, in parentheses.
fn tuple(sql: &mut String, first: usize, n: usize) {
    sql.push('(');
    for k in 0..n {
        if k > 0 {
            sql.push_str(", ");
        }
        let _ = write!(sql, "${}", first + k);
    }
    sql.push(')');
}

/// The messages already sent under any of these keys (room, author, client id). One statement
/// per 64 keys: a piece is padded to its size by repeating its last key, which finds nothing new.
pub async fn sent_before(tx: &mut Tx, keys: &[NewMessage<'_>]) -> sqlx::Result<Vec<Message>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(SIZES[0]) {
        let size = padded_size(chunk.len());
        let mut sql = String::from(SELECT_MESSAGE);
        sql.push_str("WHERE ");
        for i in 0..size {
            if i > 0 {
                sql.push_str(" OR ");
            }
            let p = 3 * i + 1;
            let _ = write!(
                sql,
                "(m.room = ${p} AND m.author_id = ${} AND m.client_id = ${})",
                p + 1,
                p + 2
            );
        }
        let mut q = sqlx::query(AssertSqlSafe(sql));
        let last = chunk.len() - 1;
        for i in 0..size {
            let k = &chunk[i.min(last)];
            q = q.bind(k.room).bind(k.author_id).bind(k.client_id);
        }
        for row in q.fetch_all(&mut **tx).await? {
            out.push(message(&row)?);
        }
    }
    Ok(out)
}

/// Takes `count` ids in each room, making the counter rows of new rooms; answers each room's
/// first id taken. The counter rows stay locked until commit, so writers of one room commit in
/// id order. Give the rooms in name order: two transactions then lock them in the same order.
pub async fn take_ids(
    tx: &mut Tx,
    counts: &[(&str, i64)],
    now: i64,
) -> sqlx::Result<HashMap<String, i64>> {
    let mut first = HashMap::with_capacity(counts.len());
    for chunk in pieces(counts) {
        let mut sql = String::from("INSERT INTO chat_rooms (name, last_seq, created_at) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            tuple(&mut sql, 3 * i + 1, 3);
        }
        sql.push_str(
            " ON CONFLICT (name) DO UPDATE SET last_seq = chat_rooms.last_seq + excluded.last_seq \
             RETURNING name, last_seq",
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (room, n) in chunk {
            q = q.bind(*room).bind(*n).bind(now);
        }
        let taken: HashMap<&str, i64> = chunk.iter().copied().collect();
        for row in q.fetch_all(&mut **tx).await? {
            let name: String = row.try_get(0)?;
            let last: i64 = row.try_get(1)?;
            let n = taken.get(name.as_str()).copied().unwrap_or(1);
            first.insert(name, last - n + 1);
        }
    }
    Ok(first)
}

/// Inserts messages under the ids taken for them.
pub async fn insert(tx: &mut Tx, rows: &[(i64, NewMessage<'_>)], now: i64) -> sqlx::Result<()> {
    for chunk in pieces(rows) {
        let mut sql = String::from(
            "INSERT INTO chat_messages (room, seq, author_id, body, client_id, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            tuple(&mut sql, 6 * i + 1, 6);
        }
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (seq, m) in chunk {
            q = q
                .bind(m.room)
                .bind(*seq)
                .bind(m.author_id)
                .bind(m.body)
                .bind(m.client_id)
                .bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_cut_into_few_pieces_of_the_cached_sizes() {
        let items: Vec<usize> = (0..157).collect();
        let sizes: Vec<usize> = pieces(&items).map(<[usize]>::len).collect();
        assert_eq!(sizes, vec![64, 64, 16, 8, 4, 1]);
        let back: Vec<usize> = pieces(&items).flatten().copied().collect();
        assert_eq!(back, items);
        assert_eq!(pieces::<usize>(&[]).count(), 0);
    }

    #[test]
    fn a_few_keys_are_padded_to_the_next_cached_size() {
        assert_eq!(padded_size(1), 1);
        assert_eq!(padded_size(3), 4);
        assert_eq!(padded_size(33), 64);
        assert_eq!(padded_size(64), 64);
    }

    #[test]
    fn placeholders_are_numbered_from_the_first() {
        let mut s = String::new();
        tuple(&mut s, 4, 3);
        assert_eq!(s, "($4, $5, $6)");
    }
}
