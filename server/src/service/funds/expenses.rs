//! Filing expenses against a grant, and the granting union's approval or return.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::auth::policy::funds as policy;
use crate::domain::funds::{
    Category, CategoryRefusal, FORBIDDEN_RULE, GRANT_MAX_FEN, NOTE_MAX, yuan,
};
use crate::domain::naming::OPINION_MAX;
use crate::domain::text::{Checks, parse_date};
use crate::error::{AppError, AppResult};
use crate::store::funds::expenses::{self as store, NewExpense};
use crate::store::funds::{Expense, Grant, grants};
use crate::store::naming::staff_of_org;
use crate::store::{Db, Tx, audit, notifications, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExpenseInput {
    /// `premises`, `equipment`, `training`, `publicity`, `materials` or `other`.
    pub category: String,
    /// In fen (分).
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Required when returning an expense.
    #[serde(default)]
    pub opinion: String,
}

/// The holder studio's leader files an expense. A forbidden category is 422 quoting the rule
/// (Jieyang art. 13); an amount beyond the balance is 409 `over_balance`.
pub async fn file(
    db: &Db,
    actor: &Actor,
    grant_id: i64,
    input: ExpenseInput,
) -> AppResult<Expense> {
    let g = super::grants::get(db, actor, grant_id).await?;
    policy::file_expense(actor, &g)?;
    let note = input.note.trim();
    let spent_on = input.spent_on.trim();
    let mut c = Checks::new();
    let category = match Category::check(input.category.trim()) {
        Ok(k) => Some(k),
        Err(CategoryRefusal::Forbidden) => {
            c.fail("category", FORBIDDEN_RULE);
            None
        }
        Err(CategoryRefusal::Unknown) => {
            c.fail(
                "category",
                "类别应为场地建设、设备购置、人员培训、宣传推广、材料耗材或其他 / unknown category",
            );
            None
        }
    };
    if input.amount_fen <= 0 || input.amount_fen > GRANT_MAX_FEN {
        c.fail(
            "amount_fen",
            "金额应大于 0 且不超过 1000 万元 / the amount must be above 0 and at most 10 million yuan",
        );
    }
    match parse_date(spent_on) {
        None => c.fail("spent_on", "日期格式应为 年-月-日 / a date as YYYY-MM-DD"),
        Some(d) if d > crate::service::orgs::china_today() => c.fail(
            "spent_on",
            "支出日期不能晚于今天 / the day spent cannot be in the future",
        ),
        Some(_) => {}
    }
    c.max_len("note", note, NOTE_MAX);
    c.finish()?;
    let category = category.expect("checked above");
    let mut tx = db.begin().await?;
    if !grants::commit_funds(&mut tx, g.id, input.amount_fen).await? {
        let now = grants::find_in(&mut tx, g.id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::conflict(
            "over_balance",
            format!(
                "超出经费结余：可用 {} 元 / beyond the balance of {} yuan",
                yuan(now.balance_fen()),
                yuan(now.balance_fen())
            ),
        ));
    }
    let id = store::insert(
        &mut tx,
        &NewExpense {
            grant_id: g.id,
            category,
            amount_fen: input.amount_fen,
            spent_on,
            note,
            filed_by: actor.id(),
        },
    )
    .await?;
    let detail = format!("{} {} 元", category.label_zh(), yuan(input.amount_fen));
    audit::record(&mut tx, Some(actor.id()), "file", "expense", id, &detail).await?;
    let e = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let subject = format!(
        "{}：报销 {} 元待审核（{}）",
        g.recipient_name,
        yuan(e.amount_fen),
        category.label_zh()
    );
    for user in staff_of_org(&mut tx, g.org_id).await? {
        if user != actor.id() {
            notifications::push(&mut tx, user, "expense", &subject, &link(&g)).await?;
        }
    }
    tx.commit().await?;
    Ok(e)
}

fn link(g: &Grant) -> String {
    format!("/funds/{}#ledger", g.id)
}

/// An expense and its grant, if the reader may see them.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<(Expense, Grant)> {
    let e = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let g = super::grants::get(db, actor, e.grant_id).await?;
    Ok((e, g))
}

/// `approve` or `return` (with an opinion): the granting union's staff. A decided expense is
/// 409 with its status; a returned one gives its amount back to the balance.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: &str,
    input: DecisionInput,
) -> AppResult<Expense> {
    let approve = match action {
        "approve" => true,
        "return" => false,
        _ => return Err(AppError::not_found()),
    };
    let (e, g) = get(db, actor, id).await?;
    let to = e
        .status
        .decide(approve)
        .ok_or_else(|| AppError::wrong_state(e.status.code(), action))?;
    policy::decide_expense(actor, &g, &e)?;
    let opinion = input.opinion.trim();
    let mut c = Checks::new();
    if approve {
        c.max_len("opinion", opinion, OPINION_MAX);
    } else {
        c.required("opinion", opinion, OPINION_MAX);
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    if !store::decide(&mut tx, id, to, actor.id(), opinion).await? {
        let now = store::find_in(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), action));
    }
    if !approve {
        grants::release_funds(&mut tx, g.id, e.amount_fen).await?;
    }
    audit::record(&mut tx, Some(actor.id()), action, "expense", id, opinion).await?;
    notify_filer(&mut tx, &g, &e, approve, actor.id()).await?;
    let e = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(e)
}

async fn notify_filer(
    tx: &mut Tx,
    g: &Grant,
    e: &Expense,
    approved: bool,
    by: i64,
) -> AppResult<()> {
    let leader = studios::find_in(tx, g.holder_studio_id)
        .await?
        .map(|s| s.leader_id);
    let mut people: Vec<i64> = leader.into_iter().chain([e.filed_by]).collect();
    people.sort_unstable();
    people.dedup();
    let verdict = if approved { "已核准" } else { "已退回" };
    let subject = format!(
        "{}：报销 {} 元{verdict}",
        g.recipient_name,
        yuan(e.amount_fen)
    );
    for user in people.into_iter().filter(|u| *u != by) {
        notifications::push(tx, user, "expense", &subject, &link(g)).await?;
    }
    Ok(())
}

/// The expenses waiting for the reader's decision, with their grant's recipient.
pub async fn waiting_for(db: &Db, actor: &Actor) -> AppResult<Vec<(Expense, String)>> {
    let scope = policy::scope(actor);
    let paths = if scope.all {
        vec!["/".to_owned()]
    } else {
        scope.paths
    };
    let items = store::pending_under(db.reader(), &paths).await?;
    Ok(items
        .into_iter()
        .filter(|(e, _)| e.filed_by != actor.id())
        .collect())
}
