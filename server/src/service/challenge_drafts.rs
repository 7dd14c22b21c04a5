//! A challenge stays editable while it is a draft (草稿): the poster rewrites it, for example
//! after the similar check (已有相似榜单) showed work that already exists, and publishes it when
//! it is right. Once published, what claimants read no longer changes under them.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::challenge::{ChallengeDraft, ChallengeStatus, check_challenge};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::challenges::get;
use crate::service::orgs::china_today;
use crate::store::Db;
use crate::store::challenges::{self, Challenge, DraftFields};
use crate::store::{audit, outbox};

/// What the poster changes on a draft; what is left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DraftChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub industry: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `YYYY-MM-DD` sets it, `null` clears it.
    #[serde(default, deserialize_with = "super::given")]
    #[schema(value_type = Option<String>)]
    pub deadline: Option<Option<String>>,
    /// A number sets it, `null` clears it.
    #[serde(default, deserialize_with = "super::given")]
    #[schema(value_type = Option<i64>)]
    pub reward_yuan: Option<Option<i64>>,
    /// exclusive or parallel (赛马).
    pub claim_mode: Option<String>,
}

/// The draft, for its form: the poster only (403), while it is a draft (409 `not_draft`).
pub async fn editable(db: &Db, actor: &Actor, id: i64) -> AppResult<Challenge> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    if ch.status != ChallengeStatus::Draft {
        return Err(not_draft());
    }
    Ok(ch)
}

/// The poster rewrites a draft. A published challenge answers 409 `not_draft`.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: DraftChanges,
) -> AppResult<Challenge> {
    let ch = editable(db, actor, id).await?;
    let text = |new: Option<String>, old: &str| new.map_or(old.to_owned(), |v| v.trim().to_owned());
    let title = text(changes.title, &ch.title);
    let description = text(changes.description, &ch.description);
    let industry = text(changes.industry, &ch.industry);
    let claim_mode = text(changes.claim_mode, &ch.claim_mode);
    let tags: Vec<String> = changes
        .tags
        .map(|t| t.iter().map(|t| t.trim().to_owned()).collect())
        .unwrap_or_else(|| ch.tags.clone());
    let deadline = match changes.deadline {
        Some(d) => d.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        None => ch.deadline.clone(),
    };
    let reward_yuan = changes.reward_yuan.unwrap_or(ch.reward_yuan);
    let mut c = Checks::new();
    check_challenge(
        &ChallengeDraft {
            title: &title,
            description: &description,
            industry: &industry,
            tags: &tags,
            deadline: deadline.as_deref(),
            reward_yuan,
            visibility: &ch.visibility,
            claim_mode: &claim_mode,
        },
        china_today(),
        &mut c,
    );
    c.finish()?;
    let mut tx = db.begin().await?;
    let fields = DraftFields {
        title: &title,
        description: &description,
        industry: &industry,
        tags: &tags,
        deadline: deadline.as_deref(),
        reward_yuan,
        claim_mode: &claim_mode,
    };
    // Published meanwhile: the row no longer matches, nothing is written.
    if !challenges::update_draft(&mut tx, id, &fields).await? {
        return Err(not_draft());
    }
    outbox::append(&mut tx, Entity::Challenge, id, Op::Update).await?;
    audit::record(&mut tx, Some(actor.id()), "update", "challenge", id, &title).await?;
    let ch = challenges::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(ch)
}

fn not_draft() -> AppError {
    AppError::conflict(
        "not_draft",
        "榜单已发布，不能再修改 / only a draft can be changed",
    )
}
