//! Hostile input: errors.

#[allow(unused_imports)]
use crate::common::Fixture;
