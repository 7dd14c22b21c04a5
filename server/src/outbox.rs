//! The outbox vocabulary: what changed, for the search indexer and other consumers. Rows are
//! written by `store::outbox::append` in the same transaction as the change.

/// The kind of entity an outbox row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Studio,
    Challenge,
    Outcome,
    Alliance,
    Course,
}

impl Entity {
    pub fn code(self) -> &'static str {
        match self {
            Entity::Studio => "studio",
            Entity::Challenge => "challenge",
            Entity::Outcome => "outcome",
            Entity::Alliance => "alliance",
            Entity::Course => "course",
        }
    }
}

/// What happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
    /// The studio went online (上线进网).
    Online,
    /// Its members changed.
    Members,
    /// A lifecycle step (publish, claim, award, progress, delivery, acceptance, cancellation).
    Status,
    /// It was removed (it leaves search).
    Remove,
}

impl Op {
    pub fn code(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Online => "online",
            Op::Members => "members",
            Op::Status => "status",
            Op::Remove => "remove",
        }
    }
}
