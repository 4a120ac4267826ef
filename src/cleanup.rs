//! Folders to remove when the process is stopped by SIGINT, SIGTERM or
//! SIGHUP: a build's staging folder, `serve`'s output. (A build killed with
//! SIGKILL cannot clean up; the next build of the same output does.)

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();
static STOPPING: AtomicBool = AtomicBool::new(false);

/// A signal came: writers stop making files in the folders being removed.
pub(crate) fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

/// Removes `dir` if the process is stopped by a signal before `forget(dir)`.
/// The first call installs the handler, unless the process has one
/// (`serve` installs its own and removes its folder itself).
pub(crate) fn remove_on_signal(dir: &Path) {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            STOPPING.store(true, Ordering::Relaxed);
            // A write already under way may still add a file: try again
            // until the folder is gone.
            let deadline = Instant::now() + Duration::from_secs(2);
            for dir in folders().drain(..) {
                while std::fs::symlink_metadata(&dir).is_ok() && Instant::now() < deadline {
                    if std::fs::remove_dir_all(&dir).is_err() {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
            // 128 + SIGINT, as a shell reports an interrupted command.
            std::process::exit(130);
        });
    });
    folders().push(dir.to_path_buf());
}

/// `dir` is no longer to be removed on a signal (committed, or removed).
pub(crate) fn forget(dir: &Path) {
    folders().retain(|d| d != dir);
}

fn folders() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    FOLDERS.lock().unwrap_or_else(|e| e.into_inner())
}
