//! Granting funds and reading grants with their ledger.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::policy::funds as policy;
use crate::auth::{Actor, policy::Decision};
use crate::domain::alliance::AllianceStatus;
use crate::domain::funds::{GRANT_MAX_FEN, PURPOSE_MAX, YEARS, running};
use crate::domain::studio::StudioStatus;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::funds::grants::{self as store, Filter, NewGrant};
use crate::store::funds::{Expense, Grant, Receipt, receipts};
use crate::store::{Db, Tx, alliances, audit, notifications, orgs, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantInput {
    /// The granting union.
    pub org_id: i64,
    /// The recipient: a studio or an alliance (one of the two).
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// In fen (分): 2,000,000 is 20,000 yuan.
    pub amount_fen: i64,
    pub year: i64,
    pub purpose: String,
}

/// Grants funds. The account that holds them is the union of the recipient studio's unit (of
/// the alliance's lead studio: Shaanxi, 由牵头工作室所在企业工会管理).
pub async fn grant(db: &Db, actor: &Actor, input: GrantInput) -> AppResult<Grant> {
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "没有这个工会组织 / no such org"))?;
    policy::grant(actor, &org)?;
    let purpose = input.purpose.trim();
    let mut c = Checks::new();
    if input.amount_fen <= 0 || input.amount_fen > GRANT_MAX_FEN {
        c.fail(
            "amount_fen",
            "金额应大于 0 且不超过 1000 万元 / the amount must be above 0 and at most 10 million yuan",
        );
    }
    if !YEARS.contains(&input.year) {
        c.fail("year", "年度应为四位数年份 / a four-digit year");
    }
    c.required("purpose", purpose, PURPOSE_MAX);
    let holder = match (input.studio_id, input.alliance_id) {
        (Some(s), None) => Some(recipient_studio(db, s).await?),
        (None, Some(a)) => Some(recipient_alliance(db, a).await?),
        _ => {
            c.fail(
                "studio_id",
                "请选择一个工作室或一个联盟 / choose one studio or one alliance",
            );
            None
        }
    };
    let holder = match holder {
        Some(Ok(h)) => Some(h),
        Some(Err((field, message))) => {
            c.fail(field, message);
            None
        }
        None => None,
    };
    if let Some(h) = &holder
        && !crate::domain::org::in_subtree(&h.unit_path, &org.path)
    {
        c.fail(
            if input.studio_id.is_some() {
                "studio_id"
            } else {
                "alliance_id"
            },
            "受助对象不在本工会管辖范围内 / the recipient is not under this union",
        );
    }
    c.finish()?;
    let holder = holder.expect("checked above");
    let mut tx = db.begin().await?;
    let id = store::insert(
        &mut tx,
        &NewGrant {
            org_id: org.id,
            studio_id: input.studio_id,
            alliance_id: input.alliance_id,
            holder_studio_id: holder.studio_id,
            account_org_id: holder.unit_id,
            amount_fen: input.amount_fen,
            year: input.year,
            purpose,
            granted_by: actor.id(),
        },
    )
    .await?;
    let detail = format!(
        "{} 元：{purpose}",
        crate::domain::funds::yuan(input.amount_fen)
    );
    audit::record(&mut tx, Some(actor.id()), "grant", "grant", id, &detail).await?;
    let g = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    notify_holder(&mut tx, &g, actor.id()).await?;
    tx.commit().await?;
    Ok(g)
}

/// The studio that spends a grant and the unit whose union holds it.
struct Holder {
    studio_id: i64,
    unit_id: i64,
    unit_path: String,
}

type Refusal = (&'static str, &'static str);

async fn recipient_studio(db: &Db, id: i64) -> AppResult<Result<Holder, Refusal>> {
    let Some(s) = studios::find(db.reader(), id).await? else {
        return Ok(Err(("studio_id", "没有这个工作室 / no such studio")));
    };
    if matches!(s.status, StudioStatus::Delisted) {
        return Ok(Err((
            "studio_id",
            "该工作室已摘牌，不能资助 / the studio has been delisted",
        )));
    }
    Ok(Ok(Holder {
        studio_id: s.id,
        unit_id: s.org_id,
        unit_path: s.org_path,
    }))
}

async fn recipient_alliance(db: &Db, id: i64) -> AppResult<Result<Holder, Refusal>> {
    let Some(a) = alliances::find(db.reader(), id).await? else {
        return Ok(Err(("alliance_id", "没有这个联盟 / no such alliance")));
    };
    if a.status == AllianceStatus::Dissolved {
        return Ok(Err((
            "alliance_id",
            "该联盟已解散 / the alliance is dissolved",
        )));
    }
    let lead = studios::find(db.reader(), a.lead_studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Ok(Holder {
        studio_id: lead.id,
        unit_id: lead.org_id,
        unit_path: lead.org_path,
    }))
}

/// Tells the holder studio's leader that funds arrived.
async fn notify_holder(tx: &mut Tx, g: &Grant, by: i64) -> AppResult<()> {
    let leader = studios::find_in(tx, g.holder_studio_id)
        .await?
        .map(|s| s.leader_id);
    if let Some(user) = leader.filter(|u| *u != by) {
        let subject = format!(
            "{}：{} 资助经费 {} 元",
            g.recipient_name,
            g.org_name,
            crate::domain::funds::yuan(g.amount_fen)
        );
        notifications::push(tx, user, "grant", &subject, &format!("/funds/{}", g.id)).await?;
    }
    Ok(())
}

/// A grant the reader may see (404 otherwise, so that a ledger's existence does not leak).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Grant> {
    let g = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !policy::view(actor, &g) {
        return Err(AppError::not_found());
    }
    Ok(g)
}

/// The grants in the reader's place in the union tree.
pub async fn list(db: &Db, actor: &Actor, filter: &Filter) -> AppResult<Vec<Grant>> {
    Ok(store::list(db.reader(), &policy::scope(actor), filter).await?)
}

/// One line of a grant's ledger: the expense, the balance after it and its receipts.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub expense: Expense,
    pub balance_fen: i64,
    pub receipts: Vec<Receipt>,
    /// The reader may approve or return it now.
    pub may_decide: bool,
}

/// A grant with its ledger and what the reader may do with it.
#[derive(Debug, Clone)]
pub struct GrantDetail {
    pub grant: Grant,
    pub rows: Vec<LedgerRow>,
    /// The reader may file expenses (the holder studio's leader).
    pub may_file: bool,
}

pub async fn detail(db: &Db, actor: &Actor, id: i64) -> AppResult<GrantDetail> {
    let grant = get(db, actor, id).await?;
    let expenses = crate::store::funds::expenses::of_grant(db.reader(), id).await?;
    let mut receipts = receipts::of_grant(db.reader(), id).await?;
    let lines: Vec<_> = expenses.iter().map(|e| (e.status, e.amount_fen)).collect();
    let balances = running(grant.amount_fen, &lines);
    let rows = expenses
        .into_iter()
        .zip(balances)
        .map(|(expense, r)| {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut receipts)
                .into_iter()
                .partition(|x| x.expense_id == expense.id);
            receipts = rest;
            let may_decide = expense.status == crate::domain::funds::ExpenseStatus::Pending
                && allowed(policy::decide_expense(actor, &grant, &expense));
            LedgerRow {
                expense,
                balance_fen: r.balance_fen,
                receipts: mine,
                may_decide,
            }
        })
        .collect();
    Ok(GrantDetail {
        may_file: allowed(policy::file_expense(actor, &grant)),
        grant,
        rows,
    })
}

fn allowed(d: Decision) -> bool {
    d.is_ok()
}

/// Who the org's union may grant to (its staff, or staff above it).
pub async fn recipients(
    db: &Db,
    actor: &Actor,
    org_id: i64,
) -> AppResult<Vec<crate::store::funds::grants::Recipient>> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::grant(actor, &org)?;
    Ok(store::recipients_under(db.reader(), &org.path).await?)
}
