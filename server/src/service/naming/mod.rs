//! Naming (命名): union staff open a yearly batch; a studio's leader applies; the application
//! goes up the tree one step at a time, each by the right people (Jieyang art. 6), through an
//! expert panel, a collective decision and the public notice, to the studio's new name.

mod applications;
mod batches;
mod experts;
mod objections;
mod steps;

pub use applications::{
    ApplicationDetail, ApplicationInput, ChecklistItem, NamingViewer, Snapshot, apply, detail, get,
    queue,
};
pub use batches::{BatchDetail, BatchInput, batch, batch_detail, batches, open_batch};
pub use experts::{Expert, experts};
pub use objections::{TextInput, answer, object};
pub use steps::{StepAnswer, StepInput, status_label, step};
