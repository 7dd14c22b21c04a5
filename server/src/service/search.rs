//! Search over challenges, outcomes and studios: what a document of each entity is, and the
//! reader's query with their permission. The index itself is `lianmeng_search`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;
use lianmeng_search::{
    Document, Filters, Permission, Query, QueryError, SearchError, SearchIndex, Visibility, kinds,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::domain::alliance::AllianceStatus;
use crate::domain::challenge::ChallengeStatus;
use crate::domain::text::markdown_plain;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::{alliances, challenges, courses, outcomes, studios};

/// The search document of an entity, or `None` when it must not be searchable (a draft, a
/// studio not yet online, or gone).
pub async fn document(db: &Db, kind: &str, id: i64) -> AppResult<Option<Document>> {
    let pool = db.reader();
    Ok(match kind {
        kinds::CHALLENGE => challenges::find(pool, id)
            .await?
            .filter(|c| c.status != ChallengeStatus::Draft)
            .map(|c| {
                let year = c
                    .published_at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| i64::from(t.year()));
                let body = markdown_plain(&c.description);
                let mut d = Document::new(kinds::CHALLENGE, c.id, c.title, body);
                d.industry = Some(c.industry).filter(|s| !s.is_empty());
                d.status = Some(c.status.code().to_owned());
                d.year = year;
                d.tags = c.tags;
                d.studio_id = c.studio_id;
                d.visibility = match (c.visibility.as_str(), c.alliance_id) {
                    ("alliance", Some(a)) => Visibility::Alliance(a),
                    _ => Visibility::Public,
                };
                d
            }),
        kinds::OUTCOME => outcomes::find(pool, id).await?.map(|o| {
            let mut d = Document::new(
                kinds::OUTCOME,
                o.id,
                o.title,
                format!("{}\n{}", o.summary, markdown_plain(&o.body)),
            );
            d.industry = Some(o.industry).filter(|s| !s.is_empty());
            d.status = Some(o.kind);
            d.year = Some(o.year);
            d.studio_id = Some(o.studio_id);
            d
        }),
        kinds::STUDIO => studios::find(pool, id)
            .await?
            .filter(|s| s.online)
            .map(|s| {
                let body = [
                    s.field.as_str(),
                    &s.goals,
                    &s.intro,
                    &s.outcomes_summary,
                    &s.honours,
                ]
                .join("\n");
                let mut d = Document::new(kinds::STUDIO, s.id, s.name, body);
                d.industry = Some(s.industry).filter(|v| !v.is_empty());
                d.region = Some(s.region).filter(|v| !v.is_empty());
                d.status = Some(s.kind);
                d.studio_id = Some(s.id);
                d
            }),
        kinds::ALLIANCE => alliances::find(pool, id)
            .await?
            .filter(|a| a.status != AllianceStatus::Dissolved)
            .map(|a| {
                let body = format!(
                    "{}\n{}\n{}",
                    markdown_plain(&a.description),
                    a.lead_studio_name,
                    a.org_name
                );
                let mut d = Document::new(kinds::ALLIANCE, a.id, a.name, body);
                d.status = Some(a.status.code().to_owned());
                d.studio_id = Some(a.lead_studio_id);
                d
            }),
        kinds::COURSE => match courses::find(pool, id).await? {
            None => None,
            Some(c) => {
                let lessons = courses::lessons(pool, id).await?;
                let titles: Vec<&str> = lessons.iter().map(|l| l.title.as_str()).collect();
                let body = format!(
                    "{}\n{}\n{}",
                    markdown_plain(&c.description),
                    c.host_name,
                    titles.join("\n")
                );
                let mut d = Document::new(kinds::COURSE, c.id, c.title, body);
                d.studio_id = c.studio_id;
                Some(d)
            }
        },
        _ => None,
    })
}

/// What the reader may see: platform admins everything, alliance members their alliances'
/// documents too, everyone else public documents.
pub fn permission(actor: Option<&Actor>) -> Permission {
    match actor {
        Some(a) if a.user.is_admin => Permission::read_all(),
        Some(a) => Permission::member_of(a.alliances.clone()),
        None => Permission::public(),
    }
}

/// A search request.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    pub q: Option<String>,
    /// challenge, outcome, studio, alliance or course.
    pub kind: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub status: Option<String>,
    pub year: Option<i64>,
    pub limit: Option<usize>,
    pub cursor: Option<String>,
}

/// One hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchItem {
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// HTML-escaped text with the hits marked `<em>`…`</em>`.
    pub snippet: String,
    pub score: f32,
    pub studio_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchFacets {
    pub kind: BTreeMap<String, u64>,
    pub industry: BTreeMap<String, u64>,
    pub region: BTreeMap<String, u64>,
    pub status: BTreeMap<String, u64>,
    pub year: BTreeMap<i64, u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub total: u64,
    pub items: Vec<SearchItem>,
    pub facets: SearchFacets,
    pub next_cursor: Option<String>,
}

fn one(v: &Option<String>) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// 422 for a query the index refuses; anything else is ours.
fn refused(e: SearchError) -> AppError {
    match e.as_query_error() {
        Some(q) => {
            let field = match q {
                QueryError::PageTooDeep { .. } | QueryError::BadCursor => "cursor",
                QueryError::BadLimit { .. } => "limit",
                QueryError::TooManyFilterValues { .. } => "kind",
                _ => "q",
            };
            AppError::invalid_field(field, q.to_string())
        }
        None => AppError::Internal(anyhow::anyhow!("search: {e}")),
    }
}

pub async fn search(
    index: &Arc<SearchIndex>,
    actor: Option<&Actor>,
    q: &SearchQuery,
) -> AppResult<SearchResults> {
    let mut query = Query::new(q.q.clone().unwrap_or_default(), permission(actor));
    query.filters = Filters {
        kinds: one(&q.kind),
        industries: one(&q.industry),
        regions: one(&q.region),
        statuses: one(&q.status),
        years: q.year.into_iter().collect(),
    };
    query.limit = q.limit.unwrap_or(lianmeng_search::DEFAULT_LIMIT);
    query.cursor = q.cursor.clone().filter(|c| !c.is_empty());
    let index = index.clone();
    let r = tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(refused)?;
    Ok(SearchResults {
        total: r.total,
        items: r
            .items
            .into_iter()
            .map(|h| SearchItem {
                kind: h.kind,
                id: h.id,
                title: h.title,
                snippet: h.snippet,
                score: h.score,
                studio_id: h.studio_id,
            })
            .collect(),
        facets: SearchFacets {
            kind: r.facets.kind,
            industry: r.facets.industry,
            region: r.facets.region,
            status: r.facets.status,
            year: r.facets.year,
        },
        next_cursor: r.next_cursor,
    })
}

/// An existing challenge or outcome like a draft (已有相似榜单 / 已有成果).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarItem {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub score: f32,
    /// The share (0–1) of the draft's distinctive words it holds; only items at or above the
    /// measured cut-off are returned.
    pub closeness: f32,
    /// Who posted or owns it.
    pub studio_id: Option<i64>,
    pub studio_name: Option<String>,
}

/// The challenges and outcomes really close to a draft: items under the measured closeness
/// cut-off are left out, so an unrelated draft gets an empty list.
pub async fn similar(
    db: &Db,
    index: &Arc<SearchIndex>,
    actor: Option<&Actor>,
    text: &str,
    limit: usize,
) -> AppResult<Vec<SimilarItem>> {
    if text.trim().is_empty() {
        return Err(AppError::invalid_field(
            "text",
            "不能为空 / must not be empty",
        ));
    }
    let index = index.clone();
    let text = text.to_owned();
    let permission = permission(actor);
    let items = tokio::task::spawn_blocking(move || {
        index.similar(
            &text,
            &[kinds::CHALLENGE, kinds::OUTCOME],
            limit,
            &permission,
        )
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(refused)?;
    let close: Vec<_> = items
        .into_iter()
        .filter(|s| s.closeness >= lianmeng_search::CLOSE_ENOUGH)
        .collect();
    let ids: Vec<i64> = close.iter().filter_map(|s| s.studio_id).collect();
    let names = studios::names(db.reader(), &ids).await?;
    Ok(close
        .into_iter()
        .map(|s| SimilarItem {
            kind: s.kind,
            id: s.id,
            title: s.title,
            score: s.score,
            closeness: s.closeness,
            studio_name: s.studio_id.and_then(|id| names.get(&id).cloned()),
            studio_id: s.studio_id,
        })
        .collect())
}

/// A challenge or studio suggested by what is already known about the other side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub score: f32,
}

/// 推荐揭榜: open challenges that fit a studio, from its profile, its outcomes and the
/// challenges it claimed before; never its own.
pub async fn recommend_challenges(
    db: &Db,
    index: &Arc<SearchIndex>,
    actor: Option<&Actor>,
    studio_id: i64,
    limit: usize,
) -> AppResult<Vec<Suggestion>> {
    let pool = db.reader();
    let studio = studios::find(pool, studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut text = [
        studio.field.as_str(),
        &studio.goals,
        &studio.intro,
        &studio.outcomes_summary,
    ]
    .join("\n");
    let filter = outcomes::Filter {
        studio_id: Some(studio_id),
        ..Default::default()
    };
    for o in outcomes::list(pool, &filter, None, 20).await? {
        text.push('\n');
        text.push_str(&o.title);
    }
    for k in crate::store::claims::of_studio(pool, studio_id)
        .await?
        .into_iter()
        .take(20)
    {
        text.push('\n');
        text.push_str(&k.challenge_title);
    }
    let index = index.clone();
    let permission = permission(actor);
    let hits = tokio::task::spawn_blocking(move || {
        index.similar(&text, &[kinds::CHALLENGE], 50, &permission)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(refused)?;
    let mut out = Vec::new();
    for h in hits.into_iter().filter(|h| h.studio_id != Some(studio_id)) {
        // The index may lag a moment behind: the database decides what is still open.
        if challenges::find(pool, h.id)
            .await?
            .is_some_and(|c| c.status == ChallengeStatus::Open)
        {
            out.push(Suggestion {
                kind: h.kind,
                id: h.id,
                title: h.title,
                score: h.score,
            });
        }
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}

/// Studios a poster could invite to a challenge: those whose profile is most like it.
pub async fn studios_to_invite(
    index: &Arc<SearchIndex>,
    challenge: &challenges::Challenge,
    limit: usize,
) -> AppResult<Vec<Suggestion>> {
    let text = format!(
        "{}\n{}\n{}",
        challenge.title,
        challenge.tags.join(" "),
        challenge.description
    );
    let index = index.clone();
    let hits = tokio::task::spawn_blocking(move || {
        index.similar(&text, &[kinds::STUDIO], limit + 1, &Permission::public())
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(refused)?;
    Ok(hits
        .into_iter()
        .filter(|h| Some(h.id) != challenge.studio_id)
        .take(limit)
        .map(|h| Suggestion {
            kind: h.kind,
            id: h.id,
            title: h.title,
            score: h.score,
        })
        .collect())
}
