//! Offline events on the wire (线下活动).

use crate::domain::event::RegistrationStatus;
use crate::service::events as svc;
use crate::store::events;

use super::all;

wire! {
    /// An offline event of a studio, an alliance or a union.
    pub struct Event from events::Event {
        id: i64,
        studio_id: Option<i64>,
        alliance_id: Option<i64>,
        /// The hosting union, if a union hosts it.
        org_id: Option<i64>,
        /// The hosting studio's or alliance's name.
        host_name: String,
        author_id: i64,
        /// lecture, salon, site_visit, study_tour, competition or training.
        kind: String,
        title: String,
        description: String,
        location: String,
        starts_at: String,
        ends_at: String,
        capacity: i64,
        /// Places taken.
        registered: i64,
        checked_in: i64,
        /// public or members.
        audience: String,
        summary: String,
        /// Cancelled by the host (registration and check-in closed), and why.
        cancelled: bool,
        cancel_reason: String,
        /// The host keeps a waiting list (候补).
        waitlist: bool,
        /// People on the waiting list.
        waitlisted: i64,
    }
    hidden { starts_ms, ends_ms, org_path }
}

wire! {
    /// An attendee as the host sees them.
    pub struct Attendee from events::Attendee {
        user_id: i64,
        display_name: String,
        status: RegistrationStatus,
    }
}

wire! {
    /// A photo of an event.
    pub struct Photo from events::Photo {
        id: i64,
        file_name: String,
        mime: String,
    }
}

wire! {
    /// An event as its page shows it.
    pub struct EventDetail from svc::EventDetail {
        #[serde(flatten)]
        event: Event => Event::from,
        /// The reader's registration: registered, checked_in, cancelled, waitlisted, or none.
        my_status: Option<RegistrationStatus>,
        /// The reader's place on the waiting list (1 = next), while waiting.
        my_position: Option<i64>,
        /// Who comes, for the host.
        attendees: Vec<Attendee> => all,
        photos: Vec<Photo> => all,
        can_manage: bool,
    }
}
