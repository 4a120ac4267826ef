//! Reading the project from disk: config, guides and data files. Parsing is
//! pure (`parse` functions take text); these modules only add I/O and context.

pub mod calendar;
pub mod data;
pub mod guides;
pub mod history;
pub mod metrics;
