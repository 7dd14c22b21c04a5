//! A studio's place in the network, for its page: its alliances, its talent-cultivation record
//! (人才培养数据库), its events and courses, and its activity record.

use crate::error::AppResult;
use crate::store::Db;
use crate::store::alliances::{self, Alliance};
use crate::store::courses::{self, Course};
use crate::store::events::{self, Activity, Event};
use crate::store::hosts::HostIds;
use crate::store::mentorships::{self, Mentorship, TalentRecord};
use crate::store::now_ms;

#[derive(Debug, Default)]
pub struct StudioNetwork {
    pub alliances: Vec<Alliance>,
    pub mentorships: Vec<Mentorship>,
    pub talent: TalentRecord,
    pub events: Vec<Event>,
    pub courses: Vec<Course>,
    pub activity: Activity,
}

pub async fn of_studio(db: &Db, studio_id: i64) -> AppResult<StudioNetwork> {
    let pool = db.reader();
    let studio = HostIds {
        studio_id: Some(studio_id),
        ..HostIds::default()
    };
    Ok(StudioNetwork {
        alliances: alliances::list(pool, Some(studio_id), None, 50).await?,
        mentorships: mentorships::list(pool, Some(studio_id), None, None, 20).await?,
        talent: mentorships::record(pool, Some(studio_id), None).await?,
        events: events::list(pool, studio, now_ms(), None, 10).await?,
        courses: courses::list(pool, studio, None, 10).await?,
        activity: events::activity_of_studio(pool, studio_id).await?,
    })
}
