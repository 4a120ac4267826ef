//! The live heap of a build: the most bytes allocated and not yet freed at
//! once (what the allocator was asked to hold, unlike the peak resident
//! memory, which also counts what it keeps in reserve), and the bytes still
//! held when the build returns.
//!
//!   cargo run --release --example heap -- [ROOT] [OUT]
//!
//! ROOT defaults to `.`, OUT to a fresh folder beside the system's temporary
//! files.

#[path = "../tests/common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting<mimalloc::MiMalloc> = counting::Counting(mimalloc::MiMalloc);

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
    let (report, peak) = counting::peak_during(|| almanac::versions::build(&paths, &options));
    let report = match report {
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
        mb(peak),
        mb(counting::held()),
    );
    for lap in &report.timings {
        println!("{lap}");
    }
}
