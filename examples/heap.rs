//! The live heap of a build: the most bytes allocated and not yet freed at
//! once (what the allocator was asked to hold, unlike the peak resident
//! memory, which also counts what it keeps in reserve), and the bytes still
//! held when the build returns.
//!
//!   cargo run --release --example heap -- [ROOT] [OUT]
//!
//! ROOT defaults to `.`, OUT to a fresh folder beside the system's temporary
//! files.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: the caller's layout, passed on.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: allocated above with the same layout.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
            PEAK.fetch_max(live, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: allocated above with the same layout.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let out = args.next().map_or_else(
        || std::env::temp_dir().join(format!("almanac-heap-{}", std::process::id())),
        std::path::PathBuf::from,
    );
    let paths = almanac::project::Paths {
        root,
        content: None,
        data: None,
        config: None,
    };
    let options = almanac::build::BuildOptions {
        out: Some(out.clone()),
        base_url: None,
        drafts: false,
        strict: false,
        today: chrono::Local::now().date_naive(),
        version: None,
    };
    let report = match almanac::versions::build(&paths, &options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{}", e.render(false));
            std::process::exit(2);
        }
    };
    let mb = |bytes: usize| bytes as f64 / (1 << 20) as f64;
    println!(
        "{} pages into {}: live heap peak {:.1} MB, {:.1} MB held at the end",
        report.pages,
        out.display(),
        mb(PEAK.load(Relaxed)),
        mb(LIVE.load(Relaxed)),
    );
    for lap in &report.timings {
        println!("{lap}");
    }
}
