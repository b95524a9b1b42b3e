//! One stream held compactly for the window, whatever its length: what the timeline and table need of every
//! event packed in a few bytes ([`stream_index`], [`packed`]), decoded pages kept within a byte budget
//! ([`pages`]), and the two together with checkpoints ([`indexed`]).

pub mod indexed;
pub mod packed;
pub mod pages;
pub mod stream_index;
