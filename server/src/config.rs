//! Settings from command-line flags and `LIANMENG_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// Lianmeng 联盟: the online platform of model-worker and craftsman innovation studio alliances.
#[derive(Debug, Parser)]
#[command(name = "lianmeng", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory for the SQLite database, the search index and uploads.
    #[arg(
        long,
        env = "LIANMENG_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Database URL: unset means a SQLite file in the data dir; `postgres://…` for PostgreSQL.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Redis URL for fan-out and rate limits across nodes; unset means in-process.
    #[arg(long, env = "REDIS_URL", global = true)]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel, so several deployments can share one Redis.
    #[arg(
        long,
        env = "LIANMENG_REDIS_PREFIX",
        default_value = "lm",
        global = true
    )]
    pub redis_prefix: String,
}

impl DataArgs {
    /// The database URL to use: the explicit one, or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("lianmeng.db").display()
            ),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web pages and the API (migrates on start).
    Serve(ServeArgs),
    /// Apply migrations and exit.
    Migrate,
    /// Rebuild the search index from the database.
    Reindex,
    /// Load the demo data set into an empty database.
    Demo,
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write a consistent backup (database and uploaded files, one archive) while the server
    /// keeps serving.
    Backup {
        /// The archive to write (a .zip); refused if it exists.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into an empty data directory (and, on PostgreSQL, an empty database).
    Restore {
        /// The archive `lianmeng backup` wrote.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make a platform admin account.
    Create {
        #[arg(long, env = "LIANMENG_ADMIN_USERNAME")]
        username: String,
        #[arg(long, env = "LIANMENG_ADMIN_PASSWORD")]
        password: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LIANMENG_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo data set first if the database is empty.
    #[arg(long, env = "LIANMENG_DEMO")]
    pub demo: bool,
    /// Public origin of the site (e.g. https://lianmeng.example.cn); enables Secure cookies and
    /// pins the Origin check. Unset: the request's own Host is the allowed origin.
    #[arg(long, env = "LIANMENG_SITE_URL")]
    pub site_url: Option<String>,
    /// How long a session lasts, in hours.
    #[arg(long, env = "LIANMENG_SESSION_TTL_HOURS", default_value_t = 24 * 14)]
    pub session_ttl_hours: u64,
    /// Failed logins allowed per account in one window before 429.
    #[arg(long, env = "LIANMENG_LOGIN_MAX_FAILURES_ACCOUNT", default_value_t = 5)]
    pub login_max_failures_account: u32,
    /// Failed logins allowed per client address in one window before 429.
    #[arg(
        long,
        env = "LIANMENG_LOGIN_MAX_FAILURES_ADDRESS",
        default_value_t = 20
    )]
    pub login_max_failures_address: u32,
    /// Length of the failed-login window, in seconds.
    #[arg(long, env = "LIANMENG_LOGIN_WINDOW_SECS", default_value_t = 900)]
    pub login_window_secs: u64,
    /// How often a poster may send a delivery back before it must be accepted or cancelled.
    #[arg(long, env = "LIANMENG_MAX_SEND_BACKS", default_value_t = 3)]
    pub max_send_backs: i64,
    /// Days a published challenge may go without a claim before the poster and the union staff
    /// above its studio are told (0: never).
    #[arg(long, env = "LIANMENG_STALE_OPEN_DAYS", default_value_t = 14)]
    pub stale_open_days: i64,
    /// Days a pending claim may wait for the poster's answer before escalation (0: never).
    #[arg(long, env = "LIANMENG_STALE_CLAIM_DAYS", default_value_t = 7)]
    pub stale_claim_days: i64,
    /// Days an awarded or in-progress challenge may go without progress before escalation
    /// (0: never).
    #[arg(long, env = "LIANMENG_STALE_PROGRESS_DAYS", default_value_t = 14)]
    pub stale_progress_days: i64,
    /// Seconds between two sweeps that expire overdue challenges and escalate stale work
    /// (0: no background sweep on this node).
    #[arg(long, env = "LIANMENG_SWEEP_SECS", default_value_t = 300)]
    pub sweep_secs: u64,
    /// Chat: frames one socket may have queued before it counts as too slow (closed with 1013;
    /// the client resumes with `after`).
    #[arg(long, env = "LIANMENG_CHAT_QUEUE", default_value_t = 256)]
    pub chat_queue: usize,
    /// Chat: messages one user may send per second (across sockets and the API).
    #[arg(long, env = "LIANMENG_CHAT_RATE", default_value_t = 10)]
    pub chat_rate: u32,
    /// Chat: seconds between the server's pings; a socket silent for two of them is dropped.
    #[arg(long, env = "LIANMENG_CHAT_PING_SECS", default_value_t = 25)]
    pub chat_ping_secs: u64,
    /// Chat: an open socket loads its session and roles again at its first ping after this
    /// many seconds: it leaves rooms its user may no longer use, and closes (1008) when the
    /// session has ended.
    #[arg(long, env = "LIANMENG_CHAT_RECHECK_SECS", default_value_t = 60)]
    pub chat_recheck_secs: u64,
    /// On SIGTERM: milliseconds the server keeps answering (each answer closing its connection,
    /// `/readyz` saying 503) before it stops accepting, so that requests already on their way
    /// are answered rather than cut.
    #[arg(long, env = "LIANMENG_SHUTDOWN_GRACE_MS", default_value_t = 1000)]
    pub shutdown_grace_ms: u64,
}

/// Settings the running application needs, handed around in `AppState`.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub site_origin: Option<String>,
    pub secure_cookies: bool,
    pub session_ttl: Duration,
    pub login_limits: LoginLimits,
    pub max_send_backs: i64,
    /// Staleness thresholds in days; 0 turns that escalation off.
    pub stale_open_days: i64,
    pub stale_claim_days: i64,
    pub stale_progress_days: i64,
    /// How often the background sweep runs; `None`: it does not run on this node.
    pub sweep_every: Option<Duration>,
    pub chat: ChatLimits,
    /// How long a shutting-down server keeps answering before it stops accepting.
    pub shutdown_grace: Duration,
}

/// Limits of live chat.
#[derive(Debug, Clone, Copy)]
pub struct ChatLimits {
    /// Frames queued per socket before it is closed as too slow.
    pub queue: usize,
    /// Messages per user per second.
    pub rate_per_sec: u32,
    /// Interval of server pings; silence for two of them drops the socket.
    pub ping_every: Duration,
    /// How often an open socket checks its session and roles again (at a ping).
    pub recheck_every: Duration,
}

/// Failed-login limits; a key over its limit answers 429 until its window ends.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

impl Config {
    pub fn new(data: &DataArgs, serve: &ServeArgs) -> Self {
        let site_origin = serve
            .site_url
            .as_deref()
            .map(|s| s.trim_end_matches('/').to_owned());
        Config {
            data_dir: data.data_dir.clone(),
            database_url: data.database_url(),
            redis_url: data.redis_url.clone().filter(|u| !u.is_empty()),
            redis_prefix: data.redis_prefix.clone(),
            secure_cookies: site_origin
                .as_deref()
                .is_some_and(|o| o.starts_with("https://")),
            site_origin,
            session_ttl: Duration::from_secs(serve.session_ttl_hours.max(1) * 3600),
            login_limits: LoginLimits {
                per_account: serve.login_max_failures_account.max(1),
                per_address: serve.login_max_failures_address.max(1),
                window: Duration::from_secs(serve.login_window_secs.max(1)),
            },
            max_send_backs: serve.max_send_backs.max(0),
            stale_open_days: serve.stale_open_days.max(0),
            stale_claim_days: serve.stale_claim_days.max(0),
            stale_progress_days: serve.stale_progress_days.max(0),
            sweep_every: (serve.sweep_secs > 0).then(|| Duration::from_secs(serve.sweep_secs)),
            chat: ChatLimits {
                queue: serve.chat_queue.clamp(4, 65_536),
                rate_per_sec: serve.chat_rate.max(1),
                ping_every: Duration::from_secs(serve.chat_ping_secs.max(1)),
                recheck_every: Duration::from_secs(serve.chat_recheck_secs.max(1)),
            },
            shutdown_grace: Duration::from_millis(serve.shutdown_grace_ms.min(60_000)),
        }
    }

    /// Settings for tests and tools: the embedded default in `data_dir`.
    pub fn for_data_dir(data_dir: PathBuf, database_url: Option<String>) -> Self {
        let data = DataArgs {
            data_dir,
            database_url,
            redis_url: None,
            redis_prefix: "lm".to_owned(),
        };
        let serve = ServeArgs::defaults();
        Config::new(&data, &serve)
    }

    /// Settings for the test suite: the embedded default in `data_dir` with every flag at its
    /// documented default, whatever `LIANMENG_*` variables the developer has set.
    pub fn for_tests(data_dir: PathBuf, database_url: Option<String>) -> Self {
        let data = DataArgs {
            data_dir,
            database_url,
            redis_url: None,
            redis_prefix: "lm".to_owned(),
        };
        let mut config = Config::new(&data, &ServeArgs::defaults_without_env());
        // Hundreds of servers stop in one run of the suite; the grace has a test of its own.
        config.shutdown_grace = Duration::from_millis(20);
        config
    }
}

/// `ServeArgs` as a whole command line, to parse the defaults from.
#[derive(Parser)]
struct ServeOnly {
    #[command(flatten)]
    serve: ServeArgs,
}

impl ServeArgs {
    /// The serve settings with every flag at its default (and environment applied).
    pub fn defaults() -> Self {
        ServeOnly::parse_from(["lianmeng"]).serve
    }

    /// The serve settings with every flag at its default and no environment read: the same
    /// parser with each argument's `env` removed, so the defaults cannot drift from the flags.
    pub fn defaults_without_env() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let command = ServeOnly::command().mut_args(|arg| arg.env(None));
        let matches = command
            .try_get_matches_from(["lianmeng"])
            .expect("the flags' defaults parse");
        ServeOnly::from_arg_matches(&matches)
            .expect("the flags' defaults fill ServeArgs")
            .serve
    }
}

#[cfg(test)]
mod tests {
    //! The environment can only be set for a child process here (`set_var` is unsafe and this
    //! workspace forbids unsafe code), so each check runs the `probe` test in a child.

    use std::process::Command;

    use super::ServeArgs;

    /// Runs the ignored `probe` test of this binary in a child with `env` set and every other
    /// `LIANMENG_*` variable removed; panics with its output if it fails.
    fn probe_in_child(case: &str, env: &[(&str, &str)]) {
        let mut child = Command::new(std::env::current_exe().expect("the test binary"));
        child.args([
            "config::tests::probe",
            "--exact",
            "--ignored",
            "--nocapture",
        ]);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("LIANMENG_") {
                child.env_remove(key);
            }
        }
        child.env("CONFIG_PROBE", case).envs(env.iter().copied());
        let out = child.output().expect("running the probe");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("1 passed"),
            "the {case} probe failed:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn the_defaults_without_env_are_the_flags_defaults() {
        probe_in_child("clean", &[]);
    }

    #[test]
    fn an_environment_variable_does_not_reach_the_defaults_without_env() {
        probe_in_child(
            "set",
            &[("LIANMENG_SWEEP_SECS", "7"), ("LIANMENG_CHAT_RATE", "3")],
        );
    }

    #[test]
    #[ignore = "run in a child process by the two tests above"]
    fn probe() {
        let (with_env, without) = (ServeArgs::defaults(), ServeArgs::defaults_without_env());
        match std::env::var("CONFIG_PROBE").as_deref() {
            Ok("clean") => assert_eq!(format!("{with_env:?}"), format!("{without:?}")),
            Ok("set") => {
                // The variables do reach the ordinary parse, so their absence below means
                // something.
                assert_eq!((with_env.sweep_secs, with_env.chat_rate), (7, 3));
                assert_eq!((without.sweep_secs, without.chat_rate), (300, 10));
            }
            // Run alone (`--include-ignored`): there is nothing to compare against.
            _ => {}
        }
    }
}
