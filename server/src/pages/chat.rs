//! Chat pages: the reader's rooms with unread counts, and a room. A room works without
//! JavaScript (history pages and a plain form post); /static/chat.js adds the live socket.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PageForm, PagePath, render, see_other};
use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use crate::service::chat::{self as svc, HistoryQuery};
use crate::store::chat::{Message, RoomState};

/// Messages on one page of a room.
const PAGE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chat", get(index))
        .route("/chat/{room}", get(show).post(send))
        .route("/chat/{room}/messages/{id}/edit", post(edit))
        .route("/chat/{room}/messages/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "chat/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    rooms: Vec<(RoomState, String)>,
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let mut rooms = Vec::new();
    for r in svc::rooms(&state.db, actor).await? {
        let title = title(&state, actor, &r.room, ctx.t).await?;
        rooms.push((r, title));
    }
    Ok(render(
        StatusCode::OK,
        &Index {
            t: ctx.t,
            nav: ctx.nav(),
            rooms,
        },
    ))
}

/// A room's name for people, or "room" and its code when it has none.
async fn title(state: &AppState, actor: &Actor, room: &str, t: Tr) -> AppResult<String> {
    let name = svc::room_name(&state.db, actor, room).await?;
    Ok(name.unwrap_or_else(|| format!("{} {room}", t.s("chat.room"))))
}

#[derive(Template)]
#[template(path = "chat/room.html")]
struct Show {
    t: Tr,
    nav: Nav,
    room: String,
    title: String,
    messages: Vec<Message>,
    me: i64,
    /// The newest id shown, where the live socket resumes; 0 on an older page.
    last_id: i64,
    older_href: Option<String>,
    newer_href: Option<String>,
    /// The page shown, when it is not the newest: changes made on it come back to it.
    before: Option<i64>,
    client_id: String,
    /// Field errors of a refused form: the send form's, or the edit form's of `editing`.
    errors: FormErrors,
    /// The message whose edit was refused (0: none).
    editing: i64,
    /// What was typed into the refused form, given back rather than lost.
    typed: String,
}

/// A form the server refused: shown again where it was typed, with its errors.
#[derive(Debug, Default)]
struct Refused {
    errors: FormErrors,
    /// The message being edited, or 0 for the send form.
    editing: i64,
    typed: String,
}

impl Refused {
    fn of(e: &AppError, editing: i64, typed: &str) -> Option<Refused> {
        let errors = e.field_errors();
        (!errors.is_empty()).then(|| Refused {
            errors: FormErrors(errors.to_vec()),
            editing,
            typed: typed.to_owned(),
        })
    }
}

impl Show {
    /// A body as HTML: escaped, with http(s) links made clickable.
    fn linked(&self, body: &str) -> String {
        linkify(body)
    }
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    before: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(room): PagePath<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    render_room(&state, &ctx, &room, q.before, None).await
}

async fn render_room(
    state: &AppState,
    ctx: &Ctx,
    room: &str,
    before: Option<i64>,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let query = HistoryQuery {
        before: before.filter(|b| *b > 0),
        limit: Some(PAGE),
        ..HistoryQuery::default()
    };
    let messages = svc::history(&state.db, actor, room, query).await?;
    let newest = messages.last().map_or(0, |m| m.id);
    let live = query.before.is_none();
    if live && newest > 0 {
        svc::mark_read(&state.db, actor, room, newest).await?;
    }
    let older_href = messages
        .first()
        .filter(|m| m.id > 1)
        .map(|m| page_href(room, Some(m.id)));
    let title = title(state, actor, room, ctx.t).await?;
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let Refused {
        errors,
        mut editing,
        mut typed,
    } = refused.unwrap_or_default();
    if editing != 0 && !messages.iter().any(|m| m.id == editing) {
        // The message left this page meanwhile: its errors go above the send form.
        (editing, typed) = (0, String::new());
    }
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            room: room.to_owned(),
            title,
            me: actor.id(),
            last_id: if live { newest } else { 0 },
            newer_href: (!live).then(|| page_href(room, None)),
            before: query.before,
            older_href,
            messages,
            client_id: uuid::Uuid::new_v4().to_string(),
            errors,
            editing,
            typed,
        },
    ))
}

#[derive(Debug, Deserialize)]
struct SendForm {
    body: String,
    client_id: String,
}

/// The form post: sends, then shows the room at the new message.
async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(room): PagePath<String>,
    PageForm(form): PageForm<SendForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::send(
        &state.db,
        &state.chat,
        &state.chat_writer,
        actor,
        &room,
        &form.body,
        &form.client_id,
    )
    .await
    {
        Ok(m) => Ok(see_other(&format!("/chat/{room}#m{}", m.id))),
        Err(e) => match Refused::of(&e, 0, &form.body) {
            Some(refused) => render_room(&state, &ctx, &room, None, Some(refused)).await,
            None => Err(e.into()),
        },
    }
}

#[derive(Debug, Deserialize)]
struct EditForm {
    body: String,
    /// The history page the change was made on, to come back to.
    before: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    before: Option<i64>,
}

/// The author edits a message of theirs, and sees it in its room.
async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((room, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, PageError> {
    change(&state, &ctx, (&room, form.before), id, Some(&form.body)).await
}

/// The author deletes a message of theirs: its place stays, marked deleted.
async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((room, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<DeleteForm>,
) -> Result<Response, PageError> {
    change(&state, &ctx, (&room, form.before), id, None).await
}

/// Makes the change, then shows the page it was made on (`before`) at the message.
async fn change(
    state: &AppState,
    ctx: &Ctx,
    (room, before): (&str, Option<i64>),
    id: i64,
    body: Option<&str>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::change(&state.db, &state.chat, actor, room, id, body).await {
        Ok(m) => {
            let page = page_href(room, before);
            Ok(see_other(&format!("{page}#m{}", m.id)))
        }
        Err(e) => match Refused::of(&e, id, body.unwrap_or_default()) {
            Some(refused) => render_room(state, ctx, room, before, Some(refused)).await,
            None => Err(e.into()),
        },
    }
}

/// A page of a room's history: the newest, or the one ending before `before`.
fn page_href(room: &str, before: Option<i64>) -> String {
    match before.filter(|b| *b > 0) {
        Some(b) => format!("/chat/{room}?before={b}"),
        None => format!("/chat/{room}"),
    }
}

/// Escapes `text` for HTML, turns http(s) URLs into links and marks `@name` mentions.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        text_into(&mut out, &rest[..start]);
        let url_len = rest[start..]
            .find(|c: char| c.is_whitespace() || "<>\"'，。；）".contains(c))
            .unwrap_or(rest.len() - start);
        let url = rest[start..start + url_len].trim_end_matches(['.', ',', ')', '!', '?']);
        let mut escaped = String::new();
        escape_into(&mut escaped, url);
        out.push_str(&format!(
            "<a href=\"{escaped}\" rel=\"nofollow noopener noreferrer\">{escaped}</a>"
        ));
        rest = &rest[start + url.len()..];
    }
    text_into(&mut out, rest);
    out
}

/// Escapes plain text, marking each `@name` mention so that it stands out.
fn text_into(out: &mut String, s: &str) {
    let mut at = 0;
    for (start, end) in crate::domain::chat::mention_spans(s) {
        escape_into(out, &s[at..start]);
        out.push_str("<mark class=\"mention\">");
        escape_into(out, &s[start..end]);
        out.push_str("</mark>");
        at = end;
    }
    escape_into(out, &s[at..]);
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("https://"), s.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_are_made_and_everything_else_is_escaped() {
        assert_eq!(
            linkify("见 https://example.cn/a?b=1&c=2。<b>"),
            "见 <a href=\"https://example.cn/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">\
             https://example.cn/a?b=1&amp;c=2</a>。&lt;b&gt;"
        );
        assert_eq!(linkify("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            linkify("@wang_gong 请看 <b>，邮件 a@b.cn"),
            "<mark class=\"mention\">@wang_gong</mark> 请看 &lt;b&gt;，邮件 a@b.cn"
        );
        assert_eq!(
            linkify("\"http://x\""),
            "&quot;<a href=\"http://x\" rel=\"nofollow noopener noreferrer\">http://x</a>&quot;"
        );
    }
}
