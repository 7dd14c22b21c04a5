//! A server under test as the load side sees it: a child process (`lianmeng-bench chat-node`)
//! started and stopped from here, and what a Lianmeng node tells of its chat writer.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::clients::Target;
use super::usage;

/// A server child process; closing its stdin (dropping this) stops it.
pub struct Server {
    child: Child,
    pub target: Target,
    /// The first of its rooms (a second node of one cluster is given the first node's).
    pub first_room: i64,
    /// Whether its database is in the process (SQLite), so that its CPU time counts it.
    pub embedded: bool,
}

impl Server {
    pub fn start(args: &[&str]) -> anyhow::Result<Server> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("chat-node")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = loop {
            match lines.next() {
                Some(Ok(l)) if l.starts_with("ready ") => break l,
                Some(Ok(_)) => continue,
                _ => anyhow::bail!("the server exited before it was ready"),
            }
        };
        // Keep reading its output so that it never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let parts: Vec<&str> = line.split_whitespace().collect();
        anyhow::ensure!(
            parts.len() == 4 && parts[0] == "ready",
            "server said: {line}"
        );
        Ok(Server {
            target: Target {
                addr: parts[1].parse()?,
                token: (parts[2] != "-").then(|| parts[2].to_owned()),
            },
            first_room: parts[3].parse()?,
            embedded: !args.contains(&"--database-url"),
            child,
        })
    }

    pub fn room(&self, k: usize) -> String {
        if self.target.ours() {
            format!("challenge:{}", self.first_room + k as i64)
        } else {
            format!("room{k}")
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn rss_kib(&self) -> u64 {
        usage::rss_kib(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lianmeng's chat writer counters, from its /metrics.
pub struct WriterBatches {
    pub batches: f64,
    pub messages: f64,
    pub seconds: f64,
}

impl WriterBatches {
    pub async fn read(server: &Server) -> Option<WriterBatches> {
        if !server.target.ours() {
            return None;
        }
        let url = format!("http://{}/metrics", server.target.addr);
        let text = reqwest::get(url).await.ok()?.text().await.ok()?;
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        };
        Some(WriterBatches {
            batches: value("lianmeng_chat_batches_total")?,
            messages: value("lianmeng_chat_batch_messages_total")?,
            seconds: value("lianmeng_chat_batch_seconds_total")?,
        })
    }

    /// What the writer did since `before`: transactions, and messages and time per transaction.
    pub fn since(&self, before: &WriterBatches) -> String {
        let n = self.batches - before.batches;
        format!(
            "chat writer: {n} transactions, {:.1} messages and {:.2} ms each on average",
            (self.messages - before.messages) / n.max(1.0),
            (self.seconds - before.seconds) * 1000.0 / n.max(1.0)
        )
    }
}
