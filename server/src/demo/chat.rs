//! A short technical exchange in the first studios' rooms, so that the chat pages of a fresh
//! demo are not empty. Sent through the chat service like any other message.

use crate::auth::actor_for_user;
use crate::service::chat;
use crate::state::AppState;
use crate::store::{studio_members, users};

/// (speaker: 0 the leader, n the n-th other member; text, with `{1}` for member 1's username).
const LINES: [(usize, &str); 4] = [
    (
        0,
        "各位，3 号数控车床主轴温升的问题本周要拿出方案，请把测温数据发到这里。",
    ),
    (
        1,
        "收到。昨天夜班实测主轴前端温升 18℃，数据表已上传到工作室共享盘。",
    ),
    (
        2,
        "我核对了热变形补偿参数，建议把补偿周期从 30 分钟改为 10 分钟试一试。",
    ),
    (0, "@{1} 明天上午试切，记得记录首件尺寸，下午碰头。"),
];

/// Posts the exchange in the rooms of the first two studios; the number of messages sent.
pub async fn load(state: &AppState, studio_ids: &[i64]) -> anyhow::Result<usize> {
    let db = &state.db;
    let mut sent = 0;
    for studio_id in studio_ids.iter().take(2) {
        let members = studio_members::members(db, *studio_id).await?;
        if members.len() < 3 {
            continue;
        }
        let room = format!("studio:{studio_id}");
        let mention = users::find(db.reader(), members[1].user_id)
            .await?
            .map(|u| u.username)
            .unwrap_or_default();
        for (i, (speaker, text)) in LINES.iter().enumerate() {
            let Some(user) = users::find(db.reader(), members[*speaker].user_id).await? else {
                continue;
            };
            let actor = actor_for_user(db, user)
                .await
                .map_err(|e| anyhow::anyhow!("demo chat: {e}"))?;
            let body = text.replace("{1}", &mention);
            chat::send(
                db,
                &state.chat,
                &state.chat_writer,
                &actor,
                &room,
                &body,
                &format!("demo-{i}"),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo chat: {e}"))?;
            sent += 1;
        }
    }
    Ok(sent)
}
