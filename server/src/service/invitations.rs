//! Joining a studio with consent: the leader invites a person as member or apprentice, the
//! person accepts or declines; only an accepted invitation makes them one of the studio's
//! people (and so someone who can be paired, graded, listed in the talent database).

use crate::auth::{Actor, policy};
use crate::domain::invitation::InvitationStatus;
use crate::domain::studio::MemberRole;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::studios::{self, NewMember};
use crate::store::invitations::{self, Invitation};
use crate::store::{Db, audit, notifications, outbox, studios as studio_store, users};

/// Invites a person to the studio as member or apprentice (the leader). 409 `already_member`
/// when they are one already, `already_invited` when an invitation already waits for them.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    studio_id: i64,
    input: NewMember,
) -> AppResult<Invitation> {
    let studio = studios::get(db, Some(actor), studio_id).await?;
    policy::manage_members(actor, &studio)?;
    let pool = db.reader();
    let mut c = Checks::new();
    let role = MemberRole::parse(input.role.trim()).filter(|r| policy::grantable_member_role(*r));
    if role.is_none() {
        c.fail(
            "role",
            "角色应为 member 或 apprentice / must be member or apprentice",
        );
    }
    let user = match (input.user_id, input.username.as_deref().map(str::trim)) {
        (Some(uid), _) => users::find(pool, uid).await?,
        (None, Some(name)) if !name.is_empty() => users::find_by_username(pool, name).await?,
        _ => None,
    };
    if user.is_none() {
        c.fail("user_id", "用户不存在 / no such user");
    }
    c.finish()?;
    let (user, role) = (user.expect("checked"), role.expect("checked"));
    if crate::store::studio_members::role_of(pool, studio_id, user.id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "already_member",
            "该用户已是工作室成员 / already a member",
        ));
    }
    let mut tx = db.begin().await?;
    let Some(id) =
        invitations::insert(&mut tx, studio_id, user.id, role.code(), actor.id()).await?
    else {
        return Err(AppError::conflict(
            "already_invited",
            "已邀请过该用户，等待对方接受 / already invited: waiting for their answer",
        ));
    };
    let role_name = match role {
        MemberRole::Apprentice => "徒弟",
        _ => "成员",
    };
    notifications::push(
        &mut tx,
        user.id,
        "member_invitation",
        &format!(
            "{} 邀请你以{role_name}身份加入{}",
            actor.user.display_name, studio.name
        ),
        "/workbench#invitations",
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "invite_member",
        "studio",
        studio_id,
        &user.username,
    )
    .await?;
    tx.commit().await?;
    invitations::find(pool, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The invitations waiting for the actor.
pub async fn mine(db: &Db, actor: &Actor) -> AppResult<Vec<Invitation>> {
    Ok(invitations::waiting_for(db.reader(), actor.id()).await?)
}

/// The invitations of a studio still waiting, for its leader.
pub async fn waiting_at(db: &Db, actor: &Actor, studio_id: i64) -> AppResult<Vec<Invitation>> {
    let studio = studios::get(db, Some(actor), studio_id).await?;
    policy::manage_members(actor, &studio)?;
    Ok(invitations::waiting_at(db.reader(), studio_id).await?)
}

/// The invited person accepts (`accept`) or declines (`decline`). Someone else's invitation is
/// 404; one answered already is 409 `already_answered`. Accepting makes them one of the
/// studio's people and tells the leader who invited them.
pub async fn answer(db: &Db, actor: &Actor, id: i64, verb: &str) -> AppResult<Invitation> {
    let answer = InvitationStatus::answer(verb).ok_or_else(AppError::not_found)?;
    let pool = db.reader();
    // Someone else's invitation is not there for the reader (404, not 403).
    let inv = invitations::find(pool, id)
        .await?
        .filter(|i| policy::answer_invitation(actor, i.user_id).is_ok())
        .ok_or_else(AppError::not_found)?;
    let leader = studio_store::find(pool, inv.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?
        .leader_id;
    let mut tx = db.begin().await?;
    if !invitations::answer(&mut tx, id, answer).await? {
        return Err(AppError::conflict(
            "already_answered",
            "该邀请已处理 / this invitation was answered already",
        ));
    }
    let (action, said) = match answer {
        InvitationStatus::Accepted => {
            // Joined meanwhile some other way (a hand-over, say): the place stands as it is.
            if crate::store::studio_members::add_member(
                &mut tx,
                inv.studio_id,
                actor.id(),
                &inv.role,
            )
            .await?
            {
                outbox::append(&mut tx, Entity::Studio, inv.studio_id, Op::Members).await?;
            }
            ("join_studio", "接受了邀请，已加入")
        }
        _ => ("decline_invitation", "谢绝了加入"),
    };
    notifications::push(
        &mut tx,
        leader,
        "invitation_answered",
        &format!("{} {said}{}", actor.user.display_name, inv.studio_name),
        &format!("/studios/{}", inv.studio_id),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        action,
        "studio",
        inv.studio_id,
        "",
    )
    .await?;
    tx.commit().await?;
    invitations::find(pool, id)
        .await?
        .ok_or_else(AppError::not_found)
}
