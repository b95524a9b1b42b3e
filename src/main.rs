//! The `eventscope` binary: a subcommand prints JSON; a file (or nothing) opens the GUI.

use std::process::ExitCode;

use clap::Parser as _;
use eventscope::cli::{Cli, execute};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => {
            // Line-buffered stdout would write once per line; commands flush where a reader waits (`tail`).
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let result = execute(command, &mut out);
            // What was printed goes out before an error about it.
            drop(out);
            result
        }
        None => eventscope::app::run_native(eventscope::app::StartOptions {
            file: cli.file,
            stream: cli.stream,
            at: cli.at,
            reducers: cli.reducers,
            correlation: cli.correlation,
            panel: cli.panel.map(|p| p.as_str().to_owned()),
            search: cli.search,
            schema: cli.schema,
            chart: cli.chart,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eventscope: {}", eventscope::cli::error_line(&err));
            ExitCode::FAILURE
        }
    }
}
