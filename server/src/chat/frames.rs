//! The JSON frames of the chat socket: what clients send, and the server's frames, each encoded
//! once however many sockets receive it.

use axum::extract::ws::Utf8Bytes;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::store::chat::Message;

/// A frame from a client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Subscribe {
        room: String,
        #[serde(default)]
        after: Option<i64>,
    },
    Unsubscribe {
        room: String,
    },
    Send {
        room: String,
        body: String,
        client_id: String,
    },
    Typing {
        room: String,
    },
    Ping,
}

/// Why a client frame could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Not a JSON object with a string `type`.
    Malformed,
    /// A `type` this server does not know.
    UnknownType(String),
    /// A known type with missing or wrong fields.
    BadFields(String),
}

const KNOWN: [&str; 5] = ["subscribe", "unsubscribe", "send", "typing", "ping"];

/// Reads a client frame, telling an unknown type apart from a malformed one.
pub fn parse(text: &str) -> Result<ClientFrame, FrameError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| FrameError::Malformed)?;
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or(FrameError::Malformed)?;
    if !KNOWN.contains(&kind) {
        return Err(FrameError::UnknownType(kind.chars().take(40).collect()));
    }
    serde_json::from_value(value).map_err(|e| FrameError::BadFields(e.to_string()))
}

#[derive(Serialize)]
struct Typed<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(flatten)]
    body: T,
}

fn encode<T: Serialize>(kind: &str, body: T) -> Utf8Bytes {
    serde_json::to_string(&Typed { kind, body })
        .unwrap_or_else(|_| String::from("{\"type\":\"error\",\"code\":\"internal\"}"))
        .into()
}

/// A message on the socket: the fields of the REST API's message, borrowed from the row.
#[derive(Serialize)]
struct MessageBody<'a> {
    id: i64,
    room: &'a str,
    author_id: i64,
    author_name: &'a str,
    body: &'a str,
    client_id: &'a str,
    created_at: &'a str,
    edited_at: Option<&'a str>,
    deleted_at: Option<&'a str>,
}

impl<'a> From<&'a Message> for MessageBody<'a> {
    fn from(m: &'a Message) -> Self {
        let Message {
            id,
            room,
            author_id,
            author_name,
            body,
            client_id,
            created_at,
            edited_at,
            deleted_at,
        } = m;
        MessageBody {
            id: *id,
            room,
            author_id: *author_id,
            author_name,
            body,
            client_id,
            created_at,
            edited_at: edited_at.as_deref(),
            deleted_at: deleted_at.as_deref(),
        }
    }
}

/// `{"type":"message", …}`: a new message.
pub fn message(m: &Message) -> Utf8Bytes {
    encode("message", MessageBody::from(m))
}

/// `{"type":"update", …}`: an edited or deleted message, under the same id.
pub fn update(m: &Message) -> Utf8Bytes {
    encode("update", MessageBody::from(m))
}

/// `{"type":"ack","client_id":C,"id":ID,"room":R}`.
pub fn ack(client_id: &str, id: i64, room: &str) -> Utf8Bytes {
    encode(
        "ack",
        serde_json::json!({"client_id": client_id, "id": id, "room": room}),
    )
}

/// `{"type":"typing","room":R,"user_id":U}`.
pub fn typing(room: &str, user_id: i64) -> Utf8Bytes {
    encode(
        "typing",
        serde_json::json!({"room": room, "user_id": user_id}),
    )
}

/// `{"type":"presence","room":R,"online":[…],"count":N}` (the list holds at most 200 ids).
pub fn presence(room: &str, online: &[i64]) -> Utf8Bytes {
    let shown = &online[..online.len().min(200)];
    encode(
        "presence",
        serde_json::json!({"room": room, "online": shown, "count": online.len()}),
    )
}

/// `{"type":"pong"}`.
pub fn pong() -> Utf8Bytes {
    Utf8Bytes::from_static("{\"type\":\"pong\"}")
}

/// `{"type":"error","code":…,"message":…}` with the room or client id it concerns, if any.
pub fn error(code: &str, message: &str, room: Option<&str>, client_id: Option<&str>) -> Utf8Bytes {
    encode(
        "error",
        serde_json::json!({"code": code, "message": message, "room": room, "client_id": client_id}),
    )
}

/// An `error` frame for a refused request, with the problem's code and detail.
pub fn problem(e: &AppError, room: Option<&str>, client_id: Option<&str>) -> Utf8Bytes {
    let p = e.problem();
    error(
        &p.code,
        p.detail.as_deref().unwrap_or(&p.title),
        room,
        client_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_frames_parse_and_unknown_types_are_told_apart() {
        assert!(matches!(
            parse(r#"{"type":"subscribe","room":"studio:1","after":3}"#),
            Ok(ClientFrame::Subscribe { after: Some(3), .. })
        ));
        assert!(matches!(parse(r#"{"type":"ping"}"#), Ok(ClientFrame::Ping)));
        assert_eq!(
            parse(r#"{"type":"dance"}"#).unwrap_err(),
            FrameError::UnknownType("dance".to_owned())
        );
        assert_eq!(parse("[1,2]").unwrap_err(), FrameError::Malformed);
        assert_eq!(parse("not json").unwrap_err(), FrameError::Malformed);
        assert!(matches!(
            parse(r#"{"type":"send","room":"studio:1"}"#),
            Err(FrameError::BadFields(_))
        ));
    }

    #[test]
    fn server_frames_carry_their_type() {
        let v: serde_json::Value = serde_json::from_str(ack("c1", 7, "studio:1").as_str()).unwrap();
        assert_eq!(v["type"], "ack");
        assert_eq!(v["id"], 7);
        let v: serde_json::Value =
            serde_json::from_str(presence("studio:1", &[1, 2]).as_str()).unwrap();
        assert_eq!(v["online"], serde_json::json!([1, 2]));
    }
}
