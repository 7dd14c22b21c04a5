//! Every black-box test in one binary: each module is one area of the platform, and linking the
//! whole server once instead of once per area keeps builds short.

mod accounts;
mod alliances;
mod assessment;
mod audit;
mod bulletins;
mod challenges;
mod chat;
mod chat_access;
mod chat_cluster;
mod chat_limits;
mod chat_page;
mod concurrency;
mod directory;
mod errors;
mod events;
mod funds;
mod fuzz;
mod layout;
mod mentoring;
mod metrics;
mod naming;
mod operations;
mod orgs;
mod outcomes;
mod paging;
mod reports;
mod schema;
mod search;
mod staleness;
mod studio_changes;
mod studio_sheet;
mod studios;
mod supervision;
mod viewer;
mod workbench;
