//! The message a page shows after one of its forms went through: the form redirects to the page
//! with `?done=CODE`, and the page shows the message of a code it knows. Any other code is
//! ignored, so a crafted link can neither show a message that did not happen nor an internal key.

use serde::Deserialize;

/// The `done` query parameter of a page.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

impl Done {
    /// The code, if it is one of the page's `codes`.
    pub fn known(self, codes: &[&str]) -> Option<String> {
        known(self.done, codes)
    }
}

/// A `done` code read with a page's other query fields, if it is one of the page's `codes`.
pub fn known(done: Option<String>, codes: &[&str]) -> Option<String> {
    done.filter(|d| codes.contains(&d.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_code_the_page_knows_is_kept() {
        let codes = ["saved", "published"];
        let done = |d: &str| Done {
            done: Some(d.to_owned()),
        };
        assert_eq!(done("saved").known(&codes), Some("saved".to_owned()));
        assert_eq!(done("error.internal").known(&codes), None);
        assert_eq!(Done::default().known(&codes), None);
    }
}
