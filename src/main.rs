//! The `eventscope` binary: a subcommand prints JSON; a file (or nothing) opens the GUI.

use std::process::ExitCode;

use clap::Parser as _;
use eventscope::cli::{Cli, execute};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => execute(command, &mut std::io::stdout().lock()),
        None => eventscope::app::run_native(eventscope::app::StartOptions {
            file: cli.file,
            stream: cli.stream,
            at: cli.at,
            reducers: cli.reducers,
            correlation: cli.correlation,
            panel: cli.panel.map(|p| p.as_str().to_owned()),
            search: cli.search,
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
