//! A short crash soak in the suite: three rounds of writers of every kind against a server
//! killed with SIGKILL and restarted (the bench runs more: `lianmeng-bench crash --rounds 20`).
//! The server is this test binary itself, run again with only [`a_node_for_the_soak`].

use lianmeng_tests::TestApp;
use lianmeng_tests::crash::{self, NodeCommand, Soak};

#[tokio::test]
async fn acknowledged_writes_survive_three_kills() {
    let (dir, database, _) = TestApp::new_place().await;
    let soak = Soak {
        rounds: 3,
        data_dir: crash::data_dir(dir.path()),
        database_url: database.as_ref().map(|d| d.url.clone()),
        node: NodeCommand {
            program: std::env::current_exe().expect("the test binary"),
            args: [
                "crash::a_node_for_the_soak",
                "--exact",
                "--ignored",
                "--nocapture",
            ]
            .map(str::to_owned)
            .to_vec(),
            envs: vec![("LIANMENG_CRASH_NODE".to_owned(), "1".to_owned())],
        },
    };
    let report = crash::run(&soak).await.expect("the soak runs");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(
        report.acknowledged.values().sum::<usize>() > 0,
        "writes were acknowledged: {:?}",
        report.acknowledged
    );
}

/// The child server of the soak; runs only when the soak starts it (and is killed by it).
#[tokio::test]
#[ignore = "started by the crash soak as its server"]
async fn a_node_for_the_soak() {
    if std::env::var_os("LIANMENG_CRASH_NODE").is_none() {
        return;
    }
    let dir = std::env::var_os("LIANMENG_CRASH_DATA_DIR").expect("a data dir");
    let url = std::env::var("LIANMENG_CRASH_DATABASE_URL").ok();
    crash::node(dir.into(), url).await.expect("serving");
}
