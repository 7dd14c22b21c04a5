//! Chat rules: room names, what a message and its client id may be, and @mentions.

use std::fmt;

use super::text::Checks;

/// The longest message, in characters.
pub const MAX_BODY_CHARS: usize = 4000;
/// The longest client id, in characters.
pub const MAX_CLIENT_ID_CHARS: usize = 64;
/// At most this many people are notified by one message.
pub const MAX_MENTIONS: usize = 10;

/// A room: one per studio, alliance and challenge, and one per pair of users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Room {
    Studio(i64),
    Alliance(i64),
    Challenge(i64),
    /// Two users, the smaller id first.
    Dm(i64, i64),
}

impl Room {
    /// Parses `studio:{id}`, `alliance:{id}`, `challenge:{id}` and `dm:{a}:{b}` (a < b).
    pub fn parse(name: &str) -> Option<Room> {
        let (kind, rest) = name.split_once(':')?;
        let id = |s: &str| -> Option<i64> {
            if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok().filter(|v| *v > 0)
        };
        match kind {
            "studio" => id(rest).map(Room::Studio),
            "alliance" => id(rest).map(Room::Alliance),
            "challenge" => id(rest).map(Room::Challenge),
            "dm" => {
                let (a, b) = rest.split_once(':')?;
                let (a, b) = (id(a)?, id(b)?);
                (a < b).then_some(Room::Dm(a, b))
            }
            _ => None,
        }
    }

    /// The direct-message room of two different users.
    pub fn dm(a: i64, b: i64) -> Option<Room> {
        match a.cmp(&b) {
            std::cmp::Ordering::Less => Some(Room::Dm(a, b)),
            std::cmp::Ordering::Greater => Some(Room::Dm(b, a)),
            std::cmp::Ordering::Equal => None,
        }
    }

    /// The page of the thing this room belongs to (for notifications' context).
    pub fn kind(&self) -> &'static str {
        match self {
            Room::Studio(_) => "studio",
            Room::Alliance(_) => "alliance",
            Room::Challenge(_) => "challenge",
            Room::Dm(..) => "dm",
        }
    }
}

impl fmt::Display for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Room::Studio(id) => write!(f, "studio:{id}"),
            Room::Alliance(id) => write!(f, "alliance:{id}"),
            Room::Challenge(id) => write!(f, "challenge:{id}"),
            Room::Dm(a, b) => write!(f, "dm:{a}:{b}"),
        }
    }
}

/// A message to send: a non-empty body of at most 4,000 characters and a client id of 1–64
/// printable characters.
pub fn check_message(body: &str, client_id: &str, c: &mut Checks) {
    c.required("body", body, MAX_BODY_CHARS);
    check_client_id(client_id, c);
}

/// An edited body follows the same rule as a new one.
pub fn check_body(body: &str, c: &mut Checks) {
    c.required("body", body, MAX_BODY_CHARS);
}

fn check_client_id(client_id: &str, c: &mut Checks) {
    let n = client_id.chars().count();
    if n == 0 || n > MAX_CLIENT_ID_CHARS || client_id.chars().any(|ch| ch.is_control()) {
        c.fail(
            "client_id",
            "client_id 应为 1–64 个可见字符 / 1–64 printable characters",
        );
    }
}

/// Where `@name` mentions stand in a body: byte ranges of `@` and the name, in order. A name is
/// a run of username characters (3–32 of them), or a run of Chinese characters (2–32), as people
/// mention each other by their Chinese names; the picker ends one with a space. `a@b` is an
/// e-mail address, not a mention.
pub fn mention_spans(body: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = body[from..].find('@') {
        let at = from + found;
        let after = &body[at + 1..];
        let han = after.chars().next().is_some_and(is_han);
        let len = after
            .find(|ch: char| {
                if han {
                    !is_han(ch)
                } else {
                    !is_username_char(ch)
                }
            })
            .unwrap_or(after.len());
        let attached = body[..at]
            .chars()
            .last()
            .is_some_and(|ch| ch.is_ascii_alphanumeric());
        let name = after[..len].trim_end_matches(['.', '-']);
        let chars = name.chars().count();
        let fits = if han {
            (2..=32).contains(&chars)
        } else {
            (3..=32).contains(&chars)
        };
        if !attached && fits {
            spans.push((at, at + 1 + name.len()));
        }
        from = at + 1 + len;
    }
    spans
}

/// The display names a mention may mean: for a mention in Chinese characters, each start of
/// it of two characters or more (`@王建国请看` may mean 王建国); a Latin mention names a
/// username only.
pub fn name_starts(name: &str) -> Vec<String> {
    if !name.chars().next().is_some_and(is_han) {
        return Vec::new();
    }
    (2..=name.chars().count().min(32))
        .map(|n| name.chars().take(n).collect())
        .collect()
}

fn is_username_char(ch: char) -> bool {
    ch.is_ascii_lowercase() || ch.is_ascii_digit() || "_.-".contains(ch)
}

/// A Chinese character (CJK unified ideographs and extension A).
fn is_han(ch: char) -> bool {
    matches!(ch, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}

/// The names mentioned as `@name` (usernames, or Chinese names and what follows them up to a
/// space or a mark), each once, at most ten.
pub fn mentions(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (start, end) in mention_spans(body) {
        let name = &body[start + 1..end];
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
            if out.len() == MAX_MENTIONS {
                break;
            }
        }
    }
    out
}

/// A short excerpt of a body for a notification: its first 60 characters.
pub fn excerpt(body: &str) -> String {
    let mut s: String = body.chars().take(60).collect();
    if body.chars().count() > 60 {
        s.push('…');
    }
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names_parse_and_print_back() {
        for name in ["studio:7", "alliance:3", "challenge:12", "dm:4:9"] {
            assert_eq!(Room::parse(name).unwrap().to_string(), name);
        }
    }

    #[test]
    fn malformed_room_names_are_refused() {
        for name in [
            "",
            "studio",
            "studio:",
            "studio:0",
            "studio:-1",
            "studio:1x",
            "dm:9:4",
            "dm:4:4",
            "dm:4",
            "room:1",
            "studio:+1",
            "studio:99999999999999999999",
        ] {
            assert_eq!(Room::parse(name), None, "{name}");
        }
    }

    #[test]
    fn a_dm_room_orders_its_two_users() {
        assert_eq!(Room::dm(9, 4), Some(Room::Dm(4, 9)));
        assert_eq!(Room::dm(4, 4), None);
    }

    #[test]
    fn messages_need_a_body_and_a_client_id() {
        let mut c = Checks::new();
        check_message("  ", "", &mut c);
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["body", "client_id"]);
        let mut c = Checks::new();
        check_message(&"焊".repeat(MAX_BODY_CHARS), "c-1", &mut c);
        assert!(c.into_errors().is_empty(), "4,000 Chinese characters fit");
        let mut c = Checks::new();
        check_message(&"焊".repeat(MAX_BODY_CHARS + 1), &"x".repeat(65), &mut c);
        assert_eq!(c.into_errors().len(), 2);
    }

    #[test]
    fn mentions_are_found_once_and_emails_are_not_mentions() {
        assert_eq!(
            mentions("@wang_gong 请看，@li.shifu. 还有 @wang_gong 和 a@b.cn"),
            ["wang_gong", "li.shifu"]
        );
        assert_eq!(mentions("@ab 太短"), Vec::<String>::new());
        let many: String = (0..20).map(|i| format!("@user{i} ")).collect();
        assert_eq!(mentions(&many).len(), MAX_MENTIONS);
    }

    #[test]
    fn chinese_names_are_mentioned_up_to_a_space_or_a_mark() {
        assert_eq!(
            mentions("@王建国 请看一下，@李秀梅：收到吗？@wang_gong请看"),
            ["王建国", "李秀梅", "wang_gong"]
        );
        // Without a space the run goes on; the server then finds the longest name it starts with.
        assert_eq!(mentions("@王建国请看"), ["王建国请看"]);
        assert_eq!(mentions("@王 一个字不算"), Vec::<String>::new());
        assert_eq!(name_starts("王建国请"), ["王建", "王建国", "王建国请"]);
        assert!(name_starts("wang_gong").is_empty());
        let body = "好的 @张雅琴";
        let (start, end) = mention_spans(body)[0];
        assert_eq!(&body[start..end], "@张雅琴");
    }

    #[test]
    fn an_excerpt_is_one_short_line() {
        assert_eq!(excerpt("第一行\n第二行"), "第一行 第二行");
        assert_eq!(excerpt(&"字".repeat(80)).chars().count(), 61);
    }
}
