//! What an installed `eventscope` offers besides reading stores: its version with the SQLite it carries, the
//! shell completions and the manual page the Debian package installs, all generated from the command line's
//! own definition so they never fall behind it.

use crate::common::run_cli;

#[test]
fn the_long_version_names_the_sqlite_inside() {
    let out = run_cli(["--version"]);
    assert!(out.success, "{}", out.stderr);
    let line = out.stdout.trim();
    assert!(
        line.starts_with(&format!("eventscope {}", env!("CARGO_PKG_VERSION"))),
        "{line}"
    );
    assert!(
        line.contains(&format!("(SQLite {})", rusqlite::version())),
        "{line}"
    );
}

#[test]
fn completions_cover_every_subcommand_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run_cli(["completions", shell]);
        assert!(out.success, "{shell}: {}", out.stderr);
        for command in ["streams", "state", "verify", "search", "completions", "man"] {
            assert!(
                out.stdout.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    let out = run_cli(["completions", "tcsh"]);
    assert!(!out.success);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn the_manual_page_is_roff_with_every_subcommand() {
    let out = run_cli(["man"]);
    assert!(out.success, "{}", out.stderr);
    assert!(
        out.stdout.contains(".TH eventscope 1"),
        "{}",
        &out.stdout[..200.min(out.stdout.len())]
    );
    for command in [
        "streams", "events", "state", "diff", "verify", "search", "export", "report",
    ] {
        assert!(
            out.stdout.contains(&format!("eventscope\\-{command}(1)")),
            "the man page does not refer to {command}"
        );
        // Each page it refers to exists.
        let page = run_cli(["man", command]);
        assert!(page.success, "{command}: {}", page.stderr);
        assert!(
            page.stdout.contains(&format!(".TH eventscope-{command} 1")),
            "{}",
            &page.stdout[..200.min(page.stdout.len())]
        );
    }
    let out = run_cli(["man", "frobnicate"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("no subcommand \"frobnicate\"") && out.stderr.contains("streams"),
        "{}",
        out.stderr
    );
}
