//! Naming batches and applications, with the trail of steps, the experts' scores and the
//! objections of the public notice.

mod applications;
mod batches;
mod objections;
mod panel;
mod stages;
mod trail;

pub use applications::*;
pub use batches::*;
pub use objections::*;
pub use panel::*;
pub use stages::*;
pub use trail::*;
