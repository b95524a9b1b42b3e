//! libpq's password file (`~/.pgpass`, or the file `PGPASSFILE` names), read as libpq reads it: the first line
//! whose `host:port:database:user` fields match (`*` matches anything, `\:` and `\\` escape) gives the
//! password, and a file that others may read is ignored, as libpq ignores it.

use std::path::PathBuf;

use super::target::{Environment, PgTarget};

/// The password file's password for `target`, if the file exists, is private to its owner and has a line for
/// the target's host, port, database and user.
pub(super) fn lookup(target: &PgTarget, env: &dyn Environment) -> Option<String> {
    let path = env
        .var("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|home| home.join(".pgpass")))?;
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || !private(&meta) {
        return None;
    }
    // A password file is a few lines; one far bigger is not one.
    if meta.len() > 1024 * 1024 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    find(
        &text,
        [
            &target.host_for_pgpass(),
            &target.port().to_string(),
            target.dbname(),
            target.user(),
        ],
    )
}

#[cfg(unix)]
fn private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    meta.permissions().mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn private(_meta: &std::fs::Metadata) -> bool {
    true
}

/// The password of the first line of `text` matching `wanted` (host, port, database, user).
fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split(line)?;
            let matches = fields
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want);
            matches.then(|| fields[4].clone())
        })
}

/// The five fields of a line, unescaped; `None` for a line with fewer.
fn split(line: &str) -> Option<[String; 5]> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut()?.push(next);
                }
            }
            // The password is the rest of the line, colons and all.
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    fields.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    db.example:5432:other:ann:wrong\n\
                    db.example:*:shop:ann:pa\\:ss:word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            find(text, ["db.example", "5432", "shop", "ann"]).as_deref(),
            Some("pa:ss:word")
        );
        assert_eq!(
            find(text, ["other.host", "5433", "x", "bob"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(
            find("a:b:c\n", ["a", "b", "c", "d"]),
            None,
            "a short line is skipped"
        );
    }

    #[test]
    fn a_file_others_can_read_is_ignored_as_libpq_ignores_it() {
        struct Env(PathBuf);
        impl Environment for Env {
            fn var(&self, name: &str) -> Option<String> {
                (name == "PGPASSFILE").then(|| self.0.display().to_string())
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        let env = Env(path.clone());
        let target = PgTarget::parse("postgres://ann@db.example/shop", &env).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!(lookup(&target, &env), None);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(lookup(&target, &env).as_deref(), Some("secret"));
    }
}
