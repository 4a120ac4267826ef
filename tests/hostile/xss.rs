//! Hostile input: xss.

#[allow(unused_imports)]
use crate::common::Fixture;
