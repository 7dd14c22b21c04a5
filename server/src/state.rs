//! `AppState`: what the application holds (the database, the settings, the login limiter, the
//! metrics, the search index, the chat hub and writer), and its `FromRef` parts, so that an
//! extractor, a middleware or a service asks for the part it uses and nothing more.

use std::sync::Arc;

use axum::extract::FromRef;

use crate::auth::ratelimit::LoginLimiter;
use crate::chat::{Hub, Writer};
use crate::config::Config;
use crate::http::drain::Draining;
use crate::metrics::Metrics;
use crate::store::Db;
use lianmeng_search::SearchIndex;

/// Everything a handler may need. One pointer: a request clones the state once for every
/// middleware it passes and again for its handler, and each clone of the parts themselves was a
/// dozen atomic counts that both cores fought over (a third of a studio page's cost, measured).
#[derive(Clone)]
pub struct AppState(Arc<Parts>);

/// The parts of [`AppState`], read through it (`state.db`).
pub struct Parts {
    pub db: Db,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    pub metrics: Arc<Metrics>,
    /// This node's search index, fed from the outbox by the indexer.
    pub search: Arc<SearchIndex>,
    /// This node's chat hub: local sockets by room, and the fan-out bus.
    pub chat: Arc<Hub>,
    /// This node's chat writer: commits messages in batches on a thread of its own.
    pub chat_writer: Writer,
    /// Set when shutdown begins.
    pub draining: Draining,
}

impl std::ops::Deref for AppState {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("db", &self.db)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// How a process uses the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The server: it holds the index's writer lock and feeds the index from the outbox.
    Server,
    /// A command run beside a server on the same data directory (`demo`, `admin`, `migrate`,
    /// `reindex`): it searches the index read-only and never takes the writer lock; its writes
    /// reach the index through the outbox when a server next runs.
    Command,
}

impl AppState {
    /// Connects to the database (migrating it) and to Redis when configured, as a server.
    pub async fn connect(config: Config) -> anyhow::Result<AppState> {
        Self::connect_as(config, Role::Server).await
    }

    /// Connects as `role`.
    pub async fn connect_as(config: Config, role: Role) -> anyhow::Result<AppState> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        let limiter = match &config.redis_url {
            Some(url) => {
                LoginLimiter::redis(config.login_limits, url, &config.redis_prefix).await?
            }
            None => LoginLimiter::in_memory(config.login_limits),
        };
        let root = config.data_dir.join("search");
        let search = tokio::task::spawn_blocking(move || match role {
            Role::Server => SearchIndex::open(&root, lianmeng_search::WriterOptions::default())
                .map_err(|e| {
                    if e.is_locked_by_another_process() {
                        anyhow::Error::new(DataDirInUse)
                    } else {
                        e.into()
                    }
                }),
            Role::Command => SearchIndex::open_read_only(&root).map_err(Into::into),
        })
        .await??;
        if role == Role::Server && search.needs_rebuild() {
            tracing::warn!("search index missing or unreadable: rebuilding it from the outbox");
        }
        let chat = crate::chat::connect(&config).await?;
        let metrics = Arc::new(Metrics::default());
        let chat_writer = crate::chat::Writer::start(db.clone(), chat.clone(), metrics.clone())?;
        Ok(AppState(Arc::new(Parts {
            chat,
            chat_writer,
            db,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            metrics,
            search: Arc::new(search),
            draining: Draining::default(),
        })))
    }
}

/// Another server already serves this data directory (it holds the search index's writer).
#[derive(Debug, thiserror::Error)]
#[error(
    "另一个 lianmeng 服务正在使用这个数据目录 / another lianmeng server is using this data directory"
)]
pub struct DataDirInUse;

/// Implements `FromRef<AppState>` for a part, cloned out of its field.
macro_rules! part {
    ($ty:ty, $field:ident) => {
        impl FromRef<AppState> for $ty {
            fn from_ref(state: &AppState) -> $ty {
                state.$field.clone()
            }
        }
    };
}

part!(Db, db);
part!(Arc<Config>, config);
part!(Arc<LoginLimiter>, limiter);
part!(Arc<Metrics>, metrics);
part!(Arc<SearchIndex>, search);
part!(Arc<Hub>, chat);
part!(Writer, chat_writer);
part!(Draining, draining);
