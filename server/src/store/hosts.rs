//! Who hosts an event or a course, as stored: one studio, one alliance or one org (a union
//! hosting for its subtree or for everyone). The service checks that exactly one is given.

/// The host columns of an event or a course; in a list filter, `None` means any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostIds {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub org_id: Option<i64>,
}

impl HostIds {
    /// The list filter on the host columns of the table aliased `t` (" AND …" per id given;
    /// the ids are integers, so inlining them cannot carry SQL).
    pub fn filter(&self, t: &str) -> String {
        [
            ("studio_id", self.studio_id),
            ("alliance_id", self.alliance_id),
            ("org_id", self.org_id),
        ]
        .into_iter()
        .filter_map(|(col, id)| id.map(|id| format!(" AND {t}.{col} = {id}")))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::HostIds;

    #[test]
    fn the_filter_names_only_the_hosts_given() {
        assert_eq!(HostIds::default().filter("e"), "");
        let h = HostIds {
            org_id: Some(7),
            ..HostIds::default()
        };
        assert_eq!(h.filter("c"), " AND c.org_id = 7");
    }
}
