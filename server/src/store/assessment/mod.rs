//! Assessment rounds, each named studio's assessment in a round with its trail of steps, and
//! the scores of the round's union and its experts.

mod assessments;
mod rounds;
mod scores;
mod trail;

pub use assessments::*;
pub use rounds::*;
pub use scores::*;
pub use trail::*;
