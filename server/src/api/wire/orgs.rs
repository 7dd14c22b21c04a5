//! The union tree on the wire: orgs and staff roles.

use crate::service::orgs::{self as svc, OrgViewer};
use crate::store::orgs;

use super::all;

wire! {
    /// One org of the union tree.
    pub struct Org from orgs::Org {
        id: i64,
        name: String,
        level: String,
        parent_id: Option<i64>,
        /// Own onboarding deadline for demonstration studios (`YYYY-MM-DD`), if set.
        deadline_demo: Option<String>,
        /// Own onboarding deadline for all studios, if set.
        deadline_all: Option<String>,
        /// Own choice of how many days before a deadline leaders of offline studios are
        /// reminded, if set.
        remind_days: Option<i64>,
    }
    hidden { path }
}

wire! {
    /// An org with its children and the path of ancestors above it.
    pub struct OrgDetail from svc::OrgDetail {
        #[serde(flatten)]
        org: Org => Org::from,
        children: Vec<Org> => all,
        ancestors: Vec<Org> => all,
        viewer: OrgViewer,
    }
}
