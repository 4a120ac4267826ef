//! The floor for build benchmarks: read every markdown file of a folder,
//! render it with bare pulldown-cmark (almanac's options) and write the HTML,
//! on 2 threads. No templates, navigation or link handling.
//!
//!     cargo run --release --example baseline -- CONTENT_DIR OUT_DIR

use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(content), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: baseline CONTENT_DIR OUT_DIR");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        files.par_iter().for_each(|file| {
            let text = std::fs::read_to_string(file).expect("readable markdown");
            let mut page = String::with_capacity(text.len() * 3 / 2);
            html::push_html(&mut page, Parser::new_ext(&text, options));
            let rel = file
                .strip_prefix(content)
                .unwrap_or(file)
                .with_extension("html");
            let target = Path::new(out).join(rel);
            std::fs::create_dir_all(target.parent().unwrap_or(Path::new(out)))
                .expect("an output folder");
            std::fs::write(target, page).expect("a written page");
        });
    });
    eprintln!("rendered {} pages", files.len());
}
