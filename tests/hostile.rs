//! Hostile and careless input (issue 15): each test is written as the attack
//! or the mistake, run through the real binary on a fixture in a temp folder.
//! One module per area; each test is named after what it tries.

mod common;

#[path = "hostile/campaign.rs"]
mod campaign;
#[path = "hostile/errors.rs"]
mod errors;
#[path = "hostile/output.rs"]
mod output;
#[path = "hostile/reads.rs"]
mod reads;
#[path = "hostile/xss.rs"]
mod xss;
