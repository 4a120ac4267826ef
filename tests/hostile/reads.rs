//! Hostile input: reads.

#[allow(unused_imports)]
use crate::common::Fixture;
