//! Turning the site into output files: the theme's templates filled with view
//! structs (never domain types), so a template sees a stable, documented shape.

pub mod charts;
pub mod context;
pub mod data;
pub mod feed;
pub mod ical;
pub mod native;
pub mod theme;
