//! almanac: a static-site generator for release documentation.
//! Pipeline: load → index → render → check → write (see DESIGN.md §3).

// Private by default: what the binary and the tests use is `pub`, the rest
// is the crate's own, so the compiler sees what nothing uses.
#![warn(unreachable_pub)]

mod bounded;
pub mod build;
pub mod check;
mod cleanup;
mod commands;
mod config;
pub mod error;
mod expansion;
mod finding;
mod highlight;
mod html;
mod http;
mod include;
mod index;
pub mod init;
mod links;
pub mod load;
mod markdown;
pub mod project;
mod pymdown;
mod releases;
mod render;
pub mod report;
pub mod schema;
mod search;
pub mod serve;
pub mod shortcodes;
mod site;
mod slug;
mod timing;
mod title;
mod version_site;
pub mod versions;
pub mod watch;
pub mod write;

/// Seeded randomness for the parsers' fuzz-style tests, and a count of the
/// files read.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// Every file `error::read_file` read, how many times.
    static READS: Mutex<Option<HashMap<PathBuf, usize>>> = Mutex::new(None);

    /// Counts a read of `path` (`error::read_file`, where every source is read).
    pub(crate) fn note_read(path: &Path) {
        let mut reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        *reads
            .get_or_insert_with(HashMap::new)
            .entry(path.to_path_buf())
            .or_default() += 1;
    }

    /// How many times each file under `dir` was read so far.
    pub(crate) fn reads_under(dir: &Path) -> HashMap<PathBuf, usize> {
        let reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        reads
            .iter()
            .flatten()
            .filter(|(path, _)| path.starts_with(dir))
            .map(|(path, n)| (path.clone(), *n))
            .collect()
    }

    /// A xorshift generator: the same numbers from the same seed.
    pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// `count` strings of printable ASCII, up to `max_len` characters each.
    pub(crate) fn ascii_texts(
        seed: u64,
        count: usize,
        max_len: u64,
    ) -> impl Iterator<Item = String> {
        let mut next = xorshift(seed);
        (0..count).map(move |_| {
            let len = next() % (max_len + 1);
            (0..len)
                .map(|_| char::from(b' ' + (next() % 95) as u8))
                .collect()
        })
    }
}
