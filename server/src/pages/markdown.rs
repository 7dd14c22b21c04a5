//! Markdown for challenge descriptions, rendered safely: raw HTML is shown as text, links keep
//! only http(s), mailto and site-relative targets, images become links.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

/// HTML for `source`; never contains markup the author typed as HTML.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut dropped_links = 0usize;
    let events = Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_links += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Some(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: if safe_url(&dest_url) {
                dest_url
            } else {
                "#".into()
            },
            title,
            id,
        })),
        Event::End(TagEnd::Image) => Some(Event::End(TagEnd::Link)),
        other => Some(other),
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_is_rendered() {
        let html = render("**焊缝**返修率 3.2%\n\n- 第一条\n- 第二条");
        assert!(html.contains("<strong>焊缝</strong>"));
        assert!(html.contains("<li>第一条</li>"));
    }

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        let html = render("请看 [点我](javascript:alert(1)) 和 ![图](javascript:x)");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains("点我"));
        let ok = render("[标准](https://example.cn/std)");
        assert!(ok.contains(r#"<a href="https://example.cn/std">"#));
    }
}
