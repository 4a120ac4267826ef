//! Hostile input: output.

#[allow(unused_imports)]
use crate::common::Fixture;
