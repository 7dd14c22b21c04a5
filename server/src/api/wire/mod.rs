//! What the API answers, apart from how the store keeps it. Every answer that carries stored
//! data is a type of this module, converted from the store's row (or the service's view) by
//! moving its fields across: a column renamed or added in the store changes no answer, and a
//! field added to a row does not compile here until it is put on the wire or left off it.
//!
//! Answers the services build for the API alone (a status after a step, what the reader may
//! do) are not rows and go out as they are.

/// Declares an answer type and its conversion from a row: each listed field is moved across,
/// through `=> function` where its wire type differs (a list of rows, a nested row); the
/// fields after `hidden` stay off the wire.
macro_rules! wire {
    (
        $(#[$meta:meta])*
        pub struct $name:ident from $row:path {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty $(=> $conv:path)? ),* $(,)?
        }
        $(hidden { $($skip:ident),* $(,)? })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl From<$row> for $name {
            fn from(row: $row) -> Self {
                let $row { $($field,)* $($($skip: _,)*)? } = row;
                Self { $($field: wire!(@move $field $(, $conv)?),)* }
            }
        }
    };
    (@move $field:ident) => { $field };
    (@move $field:ident, $conv:path) => { $conv($field) };
}

pub mod accounts;
pub mod alliances;
pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod bulletins;
pub mod challenges;
pub mod chat;
pub mod courses;
pub mod events;
pub mod funds;
pub mod honours;
pub mod invitations;
pub mod mentorships;
pub mod naming;
pub mod notifications;
pub mod org_requests;
pub mod orgs;
pub mod outcomes;
pub mod projects;
pub mod reports;
pub mod studio_changes;
pub mod studios;

use crate::service::Page;

/// Rows to their answers.
pub fn all<T, U: From<T>>(rows: Vec<T>) -> Vec<U> {
    rows.into_iter().map(U::from).collect()
}

/// A page of rows to a page of answers, with the same cursor.
pub fn page<T, U: From<T>>(p: Page<T>) -> Page<U> {
    Page {
        items: all(p.items),
        next_cursor: p.next_cursor,
    }
}
