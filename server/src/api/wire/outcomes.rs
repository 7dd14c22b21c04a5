//! Outcomes on the wire (成果): the outcome, its contributors and adoptions.

use crate::service::outcomes as svc;
use crate::store::outcomes;

use super::all;

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
        adoption_count: i64,
        created_at: String,
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

wire! {
    /// Where another unit applied the outcome.
    pub struct Adoption from outcomes::Adoption {
        id: i64,
        unit: String,
        place: String,
        effect: String,
        recorded_by: i64,
        created_at: String,
    }
}

wire! {
    /// An outcome with its contributors and adoptions.
    pub struct OutcomeDetail from svc::OutcomeDetail {
        #[serde(flatten)]
        outcome: Outcome => Outcome::from,
        contributors: Vec<Contributor> => all,
        adoptions: Vec<Adoption> => all,
        /// The title of the challenge it came from, if any.
        challenge_title: Option<String>,
    }
}
