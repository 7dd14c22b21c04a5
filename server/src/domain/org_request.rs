//! Asking for a studio's host enterprise to be added to the union tree: a studio whose unit is
//! missing names it and the union above it; that union's staff decide.

use super::org::{OrgLevel, may_hang_under};
use super::text::Checks;

/// The longest enterprise name, in characters (as for an org added by hand).
pub const NAME: usize = 80;
/// The longest note to the deciding staff, in characters.
pub const NOTE: usize = 500;
/// The longest reason for a decline, in characters.
pub const REASON: usize = 500;

/// Checks a request to add `name` under an org of `parent` level.
pub fn check(name: &str, note: &str, parent: OrgLevel, c: &mut Checks) {
    c.required("name", name, NAME);
    c.max_len("note", note, NOTE);
    if !may_hang_under(OrgLevel::Enterprise, Some(parent)) {
        c.fail(
            "parent_id",
            "企业工会不能挂在这一级组织下，请选所在的区县、城市或产业工会 / an enterprise cannot hang under that org",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enterprise_hangs_under_any_union_but_another_enterprise() {
        for parent in OrgLevel::ALL {
            let mut c = Checks::new();
            check("西安重型机械厂", "", parent, &mut c);
            assert_eq!(c.is_empty(), parent != OrgLevel::Enterprise, "{parent:?}");
        }
    }

    #[test]
    fn names_are_counted_in_characters() {
        let mut c = Checks::new();
        check(&"厂".repeat(NAME), "", OrgLevel::District, &mut c);
        assert!(c.is_empty());
        let mut c = Checks::new();
        check(&"厂".repeat(NAME + 1), "", OrgLevel::District, &mut c);
        assert!(!c.is_empty());
        let mut c = Checks::new();
        check("  ", "", OrgLevel::District, &mut c);
        assert!(!c.is_empty());
    }
}
