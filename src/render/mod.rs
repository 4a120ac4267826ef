//! Turning the site into output files: the theme's templates filled with view
//! structs (never domain types), so a template sees a stable, documented shape.

pub(crate) mod charts;
pub(crate) mod context;
pub(crate) mod data;
pub(crate) mod feed;
pub(crate) mod ical;
pub(crate) mod native;
pub(crate) mod theme;
