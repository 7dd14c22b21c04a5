//! One language on a page: every page of the demo, read by a visitor, a studio leader and union
//! staff, shows no internal key and no message in both languages at once ("用户名已被使用 /
//! username taken") in Chinese, and no Chinese half of a message in English.

use lianmeng_tests::{StatusCode, TestApp, Value};

/// What a reader sees: the text between tags, script and style left out.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let tag = &rest[start..];
        let skip_to = if tag.starts_with("<script") {
            tag.find("</script>").map(|i| i + 9)
        } else if tag.starts_with("<style") {
            tag.find("</style>").map(|i| i + 8)
        } else {
            tag.find('>').map(|i| i + 1)
        };
        match skip_to {
            Some(n) => rest = &tag[n..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Problems with one page's text in `lang` (`zh` or `en`).
fn problems(path: &str, lang: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        // "中文 / English": a Chinese half, a slash, an English half.
        if let Some((left, right)) = line.split_once(" / ") {
            let han_left = left.chars().rev().take(12).any(is_han);
            let right = right.trim_start();
            let latin_right = right
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && right
                    .chars()
                    .take(12)
                    .filter(char::is_ascii_alphabetic)
                    .count()
                    >= 4;
            if han_left && latin_right {
                found.push(format!("{path} ({lang}): both languages: {line}"));
            }
        }
        // An internal key: `studio.done.member`, `sr.kind.challenge`.
        for word in line.split(|c: char| c.is_whitespace() || "：:，,（）()".contains(c)) {
            let parts: Vec<&str> = word.split('.').collect();
            let key_like = parts.len() >= 2
                && parts.iter().all(|p| {
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
                && word.contains('.')
                && !word.ends_with(".cn")
                && !word.ends_with(".com");
            if key_like {
                found.push(format!("{path} ({lang}): an internal key: {word}"));
            }
        }
    }
    found
}

/// A form post: the path, who is signed in, the fields.
type Form<'a> = (String, Option<&'a str>, Vec<(&'a str, &'a str)>);

async fn page(app: &TestApp, path: &str, token: Option<&str>, lang: &str) -> Option<String> {
    let mut req = app.client.get(app.url(path)).header("cookie", {
        let mut c = format!("lang={lang}");
        if let Some(t) = token {
            c.push_str(&format!("; lm_session={t}"));
        }
        c
    });
    req = req.header("accept-language", "zh-CN");
    let res = req.send().await.unwrap();
    (res.status() != StatusCode::NOT_FOUND || path.contains("no-such")).then_some(())?;
    Some(res.text().await.unwrap())
}

#[tokio::test]
async fn no_page_shows_an_internal_key_or_two_languages_at_once() {
    let app = TestApp::spawn().await;
    lianmeng_server::demo::load(&app.state)
        .await
        .expect("the demo");
    let login = |name: &'static str| {
        let app = &app;
        async move {
            let (status, body) = app.login(name, "lianmeng2026").await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["token"].as_str().unwrap().to_owned()
        }
    };
    let leader = login("wangjianguo").await;
    let staff = login("malijuan").await;
    let me: Value = app.get_json("/api/v1/me", Some(&leader)).await.1;
    let studio: i64 = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r.as_str()?.strip_prefix("leader:")?.parse().ok())
        .unwrap();
    let (_, challenges) = app.get_json("/api/v1/challenges", None).await;
    let challenge = challenges["items"][0]["id"].clone();
    let (_, outcomes) = app.get_json("/api/v1/outcomes", None).await;
    let outcome = outcomes["items"][0]["id"].clone();

    let pages: Vec<String> = [
        "/",
        "/login",
        "/register",
        "/studios",
        "/challenges",
        "/outcomes",
        "/alliances",
        "/events",
        "/courses",
        "/orgs",
        "/search?q=%E7%84%8A%E7%BC%9D",
        "/search?q=%E6%BD%9C%E6%B0%B4%E8%89%87+%E9%B1%BC%E9%9B%B7",
        "/workbench",
        "/me",
        "/notifications",
        "/mentorships",
        "/naming",
        "/assessment",
        "/funds",
        "/honours",
        "/reports",
        "/bulletins",
        "/audit",
        "/chat",
        "/no-such-page",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([
        format!("/studios/{studio}"),
        format!("/challenges/{challenge}"),
        format!("/outcomes/{outcome}"),
        "/orgs/2".to_owned(),
        "/orgs/2/supervision".to_owned(),
    ])
    .collect();

    let mut found = Vec::new();
    let mut read = 0;
    for lang in ["zh", "en"] {
        for token in [None, Some(leader.as_str()), Some(staff.as_str())] {
            for path in &pages {
                let Some(html) = page(&app, path, token, lang).await else {
                    continue;
                };
                read += 1;
                found.extend(problems(path, lang, &visible_text(&html)));
            }
        }
    }
    // Forms refused: the messages beside the fields.
    let forms: Vec<Form> = vec![
        (
            "/register".to_owned(),
            None,
            vec![
                ("username", "wangjianguo"),
                ("password", "短"),
                ("display_name", ""),
            ],
        ),
        (
            "/login".to_owned(),
            None,
            vec![("username", "wangjianguo"), ("password", "不是这个密码")],
        ),
        (
            "/me".to_owned(),
            Some(leader.as_str()),
            vec![
                ("display_name", ""),
                ("phone", "abc"),
                ("email", "not-mail"),
            ],
        ),
        (
            format!("/studios/{studio}/members"),
            Some(leader.as_str()),
            vec![("username", "不存在的人"), ("role", "boss")],
        ),
        (
            "/me/close".to_owned(),
            Some(leader.as_str()),
            vec![("password", "不是这个密码")],
        ),
    ];
    for lang in ["zh", "en"] {
        for (path, token, fields) in &forms {
            let mut cookie = format!("lang={lang}");
            if let Some(t) = token {
                cookie.push_str(&format!("; lm_session={t}"));
            }
            let res = app
                .client
                .post(app.url(path))
                .header("cookie", cookie)
                .header("origin", app.base())
                .form(fields)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_client_error(), "{path}: {}", res.status());
            read += 1;
            found.extend(problems(
                path,
                lang,
                &visible_text(&res.text().await.unwrap()),
            ));
        }
    }
    found.sort();
    found.dedup();
    assert!(read > 100, "pages read: {read}");
    assert!(found.is_empty(), "{found:#?}");
    app.cleanup().await;
}

#[test]
fn the_checker_sees_both_faults() {
    let both = problems("/x", "zh", "用户名已被使用 / username taken");
    assert_eq!(both.len(), 1, "{both:?}");
    let key = problems("/x", "zh", "已保存 studio.done.member");
    assert_eq!(key.len(), 1, "{key:?}");
    assert!(problems("/x", "zh", "王建国 / 李明 · wangjg@qinchuan.example.cn").is_empty());
}
