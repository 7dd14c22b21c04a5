//! Outcomes on the wire (成果): the outcome, its contributors, adoptions and files.

use crate::domain::attachment::Owner;
use crate::service::outcomes as svc;
use crate::store::{adoptions, attachments, outcomes};

use super::all;
use super::attachments::AttachmentView;

wire! {
    /// An outcome: a patent, an operating method, a technical innovation, …
    pub struct Outcome from outcomes::Outcome {
        id: i64,
        studio_id: i64,
        studio_name: String,
        author_id: i64,
        title: String,
        summary: String,
        body: String,
        /// patent, operating_method, technical_innovation, signature_skill, management_innovation, software, other.
        kind: String,
        industry: String,
        challenge_id: Option<i64>,
        patent_no: String,
        benefit_yuan: Option<i64>,
        /// Offered for transfer (技术成果转让).
        transferable: bool,
        year: i64,
        /// Adoptions the studio confirmed.
        adoption_count: i64,
        created_at: String,
        updated_at: Option<String>,
        /// The showcase picture (from the first photo attached): `/pictures/{picture}-s.jpg`.
        picture: Option<String>,
    }
}

wire! {
    /// A contributing studio and its share.
    pub struct Contributor from outcomes::Contributor {
        studio_id: i64,
        studio_name: String,
        share_percent: i64,
    }
}

fn status_code(s: crate::domain::outcome::AdoptionStatus) -> String {
    s.code().to_owned()
}

wire! {
    /// Where another unit applied the outcome: recorded by the unit, answered by the studio.
    pub struct Adoption from adoptions::Adoption {
        id: i64,
        outcome_id: i64,
        /// The adopting unit in the org tree.
        org_id: Option<i64>,
        unit: String,
        place: String,
        effect: String,
        /// pending (waits for the studio), confirmed (counts), declined.
        status: String => status_code,
        recorded_by: i64,
        recorded_by_name: String,
        created_at: String,
        decided_at: Option<String>,
    }
}

fn files(rows: Vec<attachments::Attachment>) -> Vec<AttachmentView> {
    rows.into_iter()
        .map(|a| AttachmentView::of(Owner::Outcome, a))
        .collect()
}

wire! {
    /// An outcome with its contributors, adoptions and files.
    pub struct OutcomeDetail from svc::OutcomeDetail {
        #[serde(flatten)]
        outcome: Outcome => Outcome::from,
        contributors: Vec<Contributor> => all,
        adoptions: Vec<Adoption> => all,
        /// Certificate scans, photos, a PDF of the method.
        attachments: Vec<AttachmentView> => files,
        /// The title of the challenge it came from, if any.
        challenge_title: Option<String>,
    }
}
