//! HTTP plumbing shared by the API and the pages: extractors and middleware.

pub mod download;
pub mod drain;
pub mod extract;
pub mod middleware;
pub mod upload;
