//! Reading a file the docs name (a script, a build file, an include): only a
//! regular file of the repository, and only so much of it.

use std::path::Path;

/// The most of a script or build file that is read: its options and targets
/// are near the top, and a bigger file is not judged.
pub(crate) const READ_LIMIT: u64 = 1 << 20;

/// A file the docs name, as far as almanac is willing to read it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Text(String),
    /// Nothing there (or a symbolic link to nothing).
    Missing,
    /// There, but not read: not a regular file (a FIFO would never end,
    /// `/dev/zero` never stops), outside the repository once symbolic links
    /// are followed, over `READ_LIMIT`, or not UTF-8. Nothing is judged from it.
    Refused,
}

/// Reads `path` if it is a regular file of the repository at `real_root`
/// (canonical), at most `READ_LIMIT` bytes of it.
pub(crate) fn read_bounded(real_root: &Path, path: &Path) -> Read {
    use std::io::Read as _;
    let Ok(real) = path.canonicalize() else {
        return if path.symlink_metadata().is_ok() {
            Read::Refused
        } else {
            Read::Missing
        };
    };
    if !real.starts_with(real_root) {
        return Read::Refused;
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() && m.len() <= READ_LIMIT => {}
        Ok(_) => return Read::Refused,
        Err(_) => return Read::Missing,
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&real)
        .and_then(|file| file.take(READ_LIMIT + 1).read_to_end(&mut bytes));
    match read {
        Ok(n) if n as u64 <= READ_LIMIT => {
            String::from_utf8(bytes).map_or(Read::Refused, Read::Text)
        }
        Ok(_) => Read::Refused,
        Err(_) => Read::Refused,
    }
}
