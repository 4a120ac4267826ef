use std::io::{IsTerminal, Write};

use clap::Parser;

use almanac::cli::{Cli, ColorChoice};

/// mimalloc rather than the system allocator: a build makes millions of
/// small strings on every core (see the Performance section of the README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
        }
    };
    let code = match almanac::run(&cli, color, &mut std::io::stderr()) {
        Ok(code) => code,
        // The reader of our output went away (`almanac build 2>&1 | head`):
        // stop quietly, as ripgrep does.
        Err(almanac::error::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(err) => {
            // Nowhere left to say it (stderr closed or full): the exit code still does.
            let _ = writeln!(std::io::stderr(), "{}", err.render(color));
            2
        }
    };
    std::process::exit(code);
}
