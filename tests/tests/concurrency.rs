//! Many writers at once: no request fails, and the outbox stays gap-free and in order for a
//! reader tailing it meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::join_all;
use lianmeng_server::store::outbox;
use lianmeng_tests::{StatusCode, TestApp, id, json};

const WRITERS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_all_succeed_and_the_outbox_has_no_gaps() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let users = join_all((0..WRITERS).map(|i| {
        let app = &app;
        async move {
            app.register_and_login_as(&format!("craftsman{i}"), &format!("工匠{i}号"))
                .await
        }
    }))
    .await;

    // A reader tails the outbox the whole time; it must never see an id skip ahead.
    let done = Arc::new(AtomicBool::new(false));
    let reader = tokio::spawn({
        let (state, done) = (app.state.clone(), done.clone());
        async move {
            let mut last = 0;
            loop {
                let finished = done.load(Ordering::SeqCst);
                for row in outbox::after(state.db.reader(), last, 100)
                    .await
                    .expect("tailing the outbox")
                {
                    assert_eq!(
                        row.id,
                        last + 1,
                        "the reader saw {} right after {last}",
                        row.id
                    );
                    last = row.id;
                }
                if finished {
                    return last;
                }
                tokio::task::yield_now().await;
            }
        }
    });

    let created = join_all(users.iter().enumerate().map(|(i, (_, token))| {
        let body = json!({"name": format!("第{i}号劳模创新工作室"), "org_id": org, "kind": "tech_tackling"});
        app.post_json("/api/v1/studios", Some(token), body)
    }))
    .await;
    let mut studios = Vec::new();
    for (status, studio) in &created {
        assert_eq!(*status, StatusCode::CREATED, "{studio}");
        studios.push(id(studio));
    }

    // Each leader adds the next craftsman to their own studio, while the first leader adds
    // everybody else to the first studio.
    let mut additions = Vec::new();
    for (i, (_, token)) in users.iter().enumerate() {
        let next = users[(i + 1) % WRITERS].0;
        additions.push((studios[i], token.clone(), next));
    }
    for (uid, _) in &users[2..] {
        additions.push((studios[0], users[0].1.clone(), *uid));
    }
    let added = join_all(additions.iter().map(|(studio, token, uid)| {
        let app = &app;
        async move {
            let path = format!("/api/v1/studios/{studio}/members");
            let body = json!({"user_id": uid, "role": "member"});
            app.post_json(&path, Some(token), body).await
        }
    }))
    .await;
    for (status, body) in &added {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
    }
    // Each person accepts (that is when they join and the outbox records it), all at once.
    let accepted = join_all(additions.iter().zip(&added).map(|((_, _, uid), (_, inv))| {
        let app = &app;
        let token = &users.iter().find(|(u, _)| u == uid).expect("a user").1;
        let path = format!("/api/v1/invitations/{}/accept", inv["id"]);
        async move { app.post_json(&path, Some(token), json!({})).await }
    }))
    .await;
    for (status, body) in &accepted {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }

    done.store(true, Ordering::SeqCst);
    let last_seen = reader.await.expect("the reader finished cleanly");
    let rows = app.outbox().await;
    let expected = WRITERS + additions.len();
    assert_eq!(rows.len(), expected);
    assert_eq!(last_seen, expected as i64, "the reader saw every row");
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        (1..=expected as i64).collect::<Vec<_>>(),
        "strictly increasing with no gaps"
    );
    let creates = rows.iter().filter(|r| r.op == "create").count();
    assert_eq!(creates, WRITERS);
    let first = app
        .expect_get(
            &format!("/api/v1/studios/{}/members", studios[0]),
            Some(&users[0].1),
            StatusCode::OK,
            "listing the first studio's members",
        )
        .await;
    assert_eq!(
        first["items"].as_array().unwrap().len(),
        WRITERS,
        "the leader and everybody else"
    );
    app.cleanup().await;
}
