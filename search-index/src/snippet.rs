//! Result snippets: a fragment of the body (or the title) with the query's words marked
//! `<em>`…`</em>` and everything else HTML-escaped, so a page can insert it as it is.

use tantivy::query::Query as TantivyQuery;
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{Searcher, TantivyDocument};

use crate::schema::Fields;

/// The longest fragment, in characters.
const FRAGMENT_CHARS: usize = 120;

/// Makes the snippets of one query's hits.
pub(crate) struct Snippets {
    body: SnippetGenerator,
    title: SnippetGenerator,
}

impl Snippets {
    /// Prepares highlighting for the words of `query` (only its text part matters).
    pub fn new(
        searcher: &Searcher,
        query: &dyn TantivyQuery,
        fields: &Fields,
    ) -> tantivy::Result<Self> {
        let mut body = SnippetGenerator::create(searcher, query, fields.body)?;
        body.set_max_num_chars(FRAGMENT_CHARS);
        let mut title = SnippetGenerator::create(searcher, query, fields.title)?;
        title.set_max_num_chars(FRAGMENT_CHARS);
        Ok(Self { body, title })
    }

    /// The snippet of one hit: the best body fragment with a hit, else the title if it has one,
    /// else the start of the body.
    pub fn render(&self, doc: &TantivyDocument, title: &str, body: &str) -> String {
        let snippet = self.body.snippet_from_doc(doc);
        if !snippet.highlighted().is_empty() {
            return with_ellipses(body, snippet.fragment(), to_html(&snippet));
        }
        let snippet = self.title.snippet(title);
        if !snippet.highlighted().is_empty() {
            return with_ellipses(title, snippet.fragment(), to_html(&snippet));
        }
        let start: String = body.chars().take(FRAGMENT_CHARS).collect();
        with_ellipses(body, &start, escape(&start))
    }
}

/// A fragment is cut at word boundaries (the tokenizer's); where words of the whole text lie
/// before or after it, "…" says that there is more (punctuation alone left out does not count).
fn with_ellipses(whole: &str, fragment: &str, html: String) -> String {
    let fragment = fragment.trim();
    let Some(at) = whole.find(fragment).filter(|_| !fragment.is_empty()) else {
        return html;
    };
    let words = |s: &str| s.chars().any(char::is_alphanumeric);
    let before = if words(&whole[..at]) { "…" } else { "" };
    let after = if words(&whole[at + fragment.len()..]) {
        "…"
    } else {
        ""
    };
    format!("{before}{}{after}", html.trim())
}

/// Renders our own HTML rather than tantivy's `to_html`, which marks with `<b>` and escapes
/// only `&`, `<`, `>` and `"`.
fn to_html(snippet: &Snippet) -> String {
    highlight(snippet.fragment(), snippet.highlighted())
}

/// `text` with the byte ranges wrapped in `<em>`, overlapping ranges merged, all escaped.
pub(crate) fn highlight(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<_> = ranges
        .iter()
        .filter(|r| r.start < r.end && r.end <= text.len())
        .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
        .cloned()
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    let mut i = 0;
    while i < ranges.len() {
        let start = ranges[i].start.max(at);
        let mut end = ranges[i].end;
        while i + 1 < ranges.len() && ranges[i + 1].start <= end {
            i += 1;
            end = end.max(ranges[i].end);
        }
        i += 1;
        if end <= start {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        out.push_str("<em>");
        out.push_str(&escape(&text[start..end]));
        out.push_str("</em>");
        at = end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_marked_and_the_rest_is_escaped() {
        let text = "<script>焊缝</script> & 探伤";
        let s = text.find("焊缝").unwrap();
        let hit = s..s + "焊缝".len();
        let html = highlight(text, std::slice::from_ref(&hit));
        assert_eq!(
            html,
            "&lt;script&gt;<em>焊缝</em>&lt;/script&gt; &amp; 探伤"
        );
    }

    #[test]
    fn overlapping_ranges_are_merged() {
        let text = "中华人民共和国";
        let html = highlight(text, &[0..6, 3..9, 12..21]);
        assert_eq!(html, "<em>中华人</em>民<em>共和国</em>");
    }

    #[test]
    fn a_fragment_from_the_middle_says_there_is_more_on_both_sides() {
        let whole = "数控车床主轴温升过快。分段冷却加热补偿后温升降低三成。下一步推广到二号线。";
        let middle = "分段冷却加热补偿后温升降低三成。";
        assert_eq!(
            with_ellipses(whole, middle, middle.to_owned()),
            format!("…{middle}…")
        );
        assert_eq!(with_ellipses(whole, whole, whole.to_owned()), whole);
        let head = "数控车床主轴温升过快。";
        assert_eq!(
            with_ellipses(whole, head, head.to_owned()),
            format!("{head}…")
        );
    }

    #[test]
    fn bad_ranges_are_ignored() {
        assert_eq!(highlight("焊缝", &[1..2, 0..100, 3..3]), "焊缝");
    }
}
