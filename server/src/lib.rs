//! Lianmeng 联盟: the online platform of model-worker and craftsman innovation studio alliances.

pub mod api;
pub mod app;
pub mod auth;
pub mod chat;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod outbox;
pub mod pages;
pub mod pictures;
pub mod service;
pub mod state;
pub mod store;
