//! Writing the files a user asks for (exports, reports, patches, mappings, reducers, bookmarks) so that none
//! of them can change the store being read, and none is ever left half-written.
//!
//! An output path can reach the store in more ways than its name: spelled otherwise (`./x`, `dir/../x`), through
//! a symlink (a dangling one to `STORE-wal` would make a plain create put a file beside the store), or as a hard
//! link sharing the store's inode (a plain create would truncate the store). So [`write_output`] follows the
//! target's symlinks to the final path, refuses it when that names the store or one of SQLite's files beside
//! it (`-wal`, `-shm`, `-journal`, whether they exist or not), when it is the same file as one of them (device
//! and inode), or when it is not a regular file. It then writes into a new temporary file in the final path's
//! directory, fsyncs it and renames it over the final path only when the writer succeeded: a rename replaces a
//! name and never writes into an existing file, and a failed writer leaves no file behind and an existing
//! target as it was.

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links a target may go through before it is taken for a loop.
pub const MAX_SYMLINKS: usize = 40;

/// SQLite's files for a database: the file itself and what it may create beside it.
const STORE_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Why an output was not written. Every message names the path the user gave and says what to do; in every
/// case the target and the store are as they were.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{path} is the store being read or one of its SQLite files ({protected}): Eventscope never writes to it; choose another file"
    )]
    Store { path: PathBuf, protected: PathBuf },
    #[error(
        "{path} is a hard link to {protected}, the store being read or one of its SQLite files: Eventscope never writes to it; choose another file"
    )]
    HardLink { path: PathBuf, protected: PathBuf },
    #[error("{path} is {kind}, not a regular file: choose a file path")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{path} does not name a file: choose a file path")]
    NoFileName { path: PathBuf },
    #[error(
        "{path} goes through more than {MAX_SYMLINKS} symbolic links (a loop?): choose another file"
    )]
    SymlinkLoop { path: PathBuf },
    #[error("{path} is read-only: make it writable or choose another file")]
    ReadOnly { path: PathBuf },
    #[error(
        "cannot write {path}: cannot create a file in {dir}: {cause}; choose a directory you can write to"
    )]
    CreateIn {
        path: PathBuf,
        dir: PathBuf,
        cause: io::Error,
    },
    #[error(
        "cannot write {path}: its directory {dir} does not exist; create it or choose another file"
    )]
    NoDirectory { path: PathBuf, dir: PathBuf },
    #[error("cannot write {path}: {cause}")]
    Io { path: PathBuf, cause: io::Error },
}

impl OutputError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> Self + '_ {
        move |cause| Self::Io {
            path: path.to_owned(),
            cause,
        }
    }
}

/// Refuse `target` if writing it could touch the store at `store` (see the module docs). The writers call this
/// themselves; a caller that does slow work before writing calls it first so a bad target is reported at once.
pub fn check_output(target: &Path, store: &Path) -> Result<(), OutputError> {
    Destination::check(target, store).map(drop)
}

/// Write `target` with `write`, unless it could touch the store at `store`: the bytes go to a temporary file in
/// the final target's directory, renamed over it only when `write` returned `Ok`. Write errors name `target`.
/// On any error nothing is left behind and an existing target is unchanged.
pub fn write_output<T, E>(
    target: &Path,
    store: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<OutputError>,
{
    let destination = Destination::check(target, store)?;
    let mut temp = destination.temp_file()?;
    let mut out = NamedWriter {
        inner: BufWriter::new(temp.as_file_mut()),
        path: target,
    };
    let value = write(&mut out)?;
    out.inner.flush().map_err(OutputError::io(target))?;
    drop(out);
    destination.commit(temp)?;
    Ok(value)
}

/// [`write_output`] for bytes already in memory.
pub fn write_output_bytes(target: &Path, store: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let destination = Destination::check(target, store)?;
    let mut temp = destination.temp_file()?;
    temp.as_file_mut()
        .write_all(bytes)
        .map_err(OutputError::io(target))?;
    destination.commit(temp)
}

/// A target that passed the checks: the path the user gave, where it lands and what is there now.
struct Destination<'a> {
    target: &'a Path,
    /// The final path, symlinks followed, in a canonical directory.
    full: PathBuf,
    /// The final path's metadata when it exists (a regular file).
    existing: Option<Metadata>,
}

impl<'a> Destination<'a> {
    fn check(target: &'a Path, store: &Path) -> Result<Self, OutputError> {
        let (last, existing) = follow_symlinks(target)?;
        if let Some(meta) = &existing
            && !meta.is_file()
        {
            return Err(OutputError::NotAFile {
                path: target.to_owned(),
                kind: kind_of(meta),
            });
        }
        let Some(name) = last.file_name() else {
            return Err(OutputError::NoFileName {
                path: target.to_owned(),
            });
        };
        let dir = fs::canonicalize(parent_or_current(&last)).map_err(|cause| {
            if cause.kind() == io::ErrorKind::NotFound {
                OutputError::NoDirectory {
                    path: target.to_owned(),
                    dir: parent_or_current(&last).to_owned(),
                }
            } else {
                OutputError::io(target)(cause)
            }
        })?;
        let full = dir.join(name);
        let protected = protected_paths(store);
        if let Some(hit) = protected.iter().find(|p| **p == full) {
            return Err(OutputError::Store {
                path: target.to_owned(),
                protected: hit.clone(),
            });
        }
        if let Some(meta) = &existing {
            for path in &protected {
                if let Ok(other) = fs::metadata(path)
                    && same_file(meta, &other)
                {
                    return Err(OutputError::HardLink {
                        path: target.to_owned(),
                        protected: path.clone(),
                    });
                }
            }
            if meta.permissions().readonly() {
                return Err(OutputError::ReadOnly {
                    path: target.to_owned(),
                });
            }
        }
        Ok(Self {
            target,
            full,
            existing,
        })
    }

    /// A new, empty temporary file beside the final path, with the mode the output will have.
    fn temp_file(&self) -> Result<tempfile::NamedTempFile, OutputError> {
        let dir = parent_or_current(&self.full);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".eventscope-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // What a newly created file gets (the umask applies), like any program's output.
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(dir)
            .map_err(|cause| OutputError::CreateIn {
                path: self.target.to_owned(),
                dir: dir.to_owned(),
                cause,
            })?;
        if let Some(existing) = &self.existing {
            temp.as_file()
                .set_permissions(existing.permissions())
                .map_err(OutputError::io(self.target))?;
        }
        Ok(temp)
    }

    /// Make the written temporary file durable and move it over the final path.
    fn commit(self, temp: tempfile::NamedTempFile) -> Result<(), OutputError> {
        temp.as_file()
            .sync_all()
            .map_err(OutputError::io(self.target))?;
        temp.persist(&self.full)
            .map_err(|err| OutputError::io(self.target)(err.error))?;
        Ok(())
    }
}

/// Follow `target`'s symbolic links (relative ones from the link's directory) to the first path that is not
/// one; returns it with its metadata when it exists.
fn follow_symlinks(target: &Path) -> Result<(PathBuf, Option<Metadata>), OutputError> {
    let mut path = target.to_owned();
    for _ in 0..=MAX_SYMLINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path).map_err(OutputError::io(target))?;
                // An absolute link replaces the path; a relative one is joined to the link's directory.
                path = path
                    .parent()
                    .map_or_else(|| link.clone(), |dir| dir.join(&link));
            }
            Ok(meta) => return Ok((path, Some(meta))),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok((path, None)),
            Err(err) => return Err(OutputError::io(target)(err)),
        }
    }
    Err(OutputError::SymlinkLoop {
        path: target.to_owned(),
    })
}

/// The store and its SQLite files, by the name it was opened with and by its real path (they differ when the
/// store is reached through a symlink), each in a canonical directory.
fn protected_paths(store: &Path) -> Vec<PathBuf> {
    let mut bases = Vec::with_capacity(3);
    if let Ok(full) = fs::canonicalize(store) {
        bases.push(full);
    }
    if let Some(name) = store.file_name()
        && let Ok(dir) = fs::canonicalize(parent_or_current(store))
    {
        bases.push(dir.join(name));
    }
    if bases.is_empty() {
        bases.push(std::path::absolute(store).unwrap_or_else(|_| store.to_owned()));
    }
    bases.dedup();
    let mut protected = Vec::with_capacity(bases.len() * STORE_SUFFIXES.len());
    for base in &bases {
        for suffix in STORE_SUFFIXES {
            let mut name = OsString::from(base.as_os_str());
            name.push(suffix);
            protected.push(PathBuf::from(name));
        }
    }
    protected
}

fn parent_or_current(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &Metadata, _b: &Metadata) -> bool {
    false
}

/// What a non-regular file is, for the message.
fn kind_of(meta: &Metadata) -> &'static str {
    let file_type = meta.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

/// The writer handed to [`write_output`]'s closure: its I/O errors name the target.
struct NamedWriter<'a, W: Write> {
    inner: W,
    path: &'a Path,
}

impl<W: Write> NamedWriter<'_, W> {
    fn name(&self, err: io::Error) -> io::Error {
        io::Error::new(
            err.kind(),
            format!("cannot write {}: {err}", self.path.display()),
        )
    }
}

impl<W: Write> Write for NamedWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|err| self.name(err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|err| self.name(err))
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::collections::BTreeMap;
    use std::os::unix::fs::{PermissionsExt as _, symlink};

    use super::*;

    const STORE_BYTES: &[u8] = b"SQLite format 3\0 the store";

    /// A directory with a store (and a `-wal` beside it).
    fn store_dir() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("shop.sqlite");
        fs::write(&store, STORE_BYTES).unwrap();
        fs::write(dir.path().join("shop.sqlite-wal"), b"wal").unwrap();
        (dir, store)
    }

    /// Every entry of `dir`: a file's bytes, or where a symlink points.
    fn listing(dir: &Path) -> BTreeMap<String, String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let kind = entry.file_type().unwrap();
                let what = if kind.is_symlink() {
                    format!("-> {}", fs::read_link(entry.path()).unwrap().display())
                } else if kind.is_file() {
                    String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).into_owned()
                } else {
                    "(other)".to_owned()
                };
                (entry.file_name().to_string_lossy().into_owned(), what)
            })
            .collect()
    }

    fn write_text(target: &Path, store: &Path, text: &str) -> Result<(), OutputError> {
        write_output(target, store, |out| {
            out.write_all(text.as_bytes())
                .map_err(OutputError::io(target))
        })
    }

    #[test]
    fn outputs_over_the_store_or_its_sidecars_are_refused_however_they_are_spelled() {
        let (dir, store) = store_dir();
        fs::create_dir(dir.path().join("sub")).unwrap();
        let before = listing(dir.path());
        for target in [
            store.clone(),
            dir.path().join("sub/../shop.sqlite"),
            dir.path().join("./shop.sqlite-wal"),
            dir.path().join("shop.sqlite-shm"),
            dir.path().join("shop.sqlite-journal"),
        ] {
            let err = write_text(&target, &store, "report").unwrap_err();
            assert!(matches!(err, OutputError::Store { .. }), "{err}");
            assert!(err.to_string().contains("never writes to it"), "{err}");
            assert!(check_output(&target, &store).is_err());
        }
        assert_eq!(listing(dir.path()), before);
        assert!(check_output(&dir.path().join("report.html"), &store).is_ok());
        assert!(check_output(&dir.path().join("sub/shop.sqlite"), &store).is_ok());
    }

    #[test]
    fn hard_links_to_the_store_or_its_wal_are_refused_and_nothing_changes() {
        let (dir, store) = store_dir();
        let to_store = dir.path().join("out.csv");
        let to_wal = dir.path().join("out.json");
        fs::hard_link(&store, &to_store).unwrap();
        fs::hard_link(dir.path().join("shop.sqlite-wal"), &to_wal).unwrap();
        let before = listing(dir.path());
        for (target, protected) in [(&to_store, "shop.sqlite"), (&to_wal, "shop.sqlite-wal")] {
            let err = write_text(target, &store, "export").unwrap_err();
            let OutputError::HardLink {
                path,
                protected: hit,
            } = &err
            else {
                panic!("{err}")
            };
            assert_eq!(path, target);
            assert!(hit.ends_with(protected), "{err}");
            assert!(err.to_string().contains(&target.display().to_string()));
            let err = write_output_bytes(target, &store, b"report").unwrap_err();
            assert!(matches!(err, OutputError::HardLink { .. }), "{err}");
        }
        assert_eq!(listing(dir.path()), before);
        assert_eq!(fs::read(&store).unwrap(), STORE_BYTES);
    }

    #[test]
    fn a_dangling_symlink_to_the_stores_wal_is_refused_and_creates_nothing() {
        let (dir, store) = store_dir();
        fs::remove_file(dir.path().join("shop.sqlite-wal")).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let absolute = elsewhere.path().join("abs.html");
        let relative = dir.path().join("rel.html");
        let chained = elsewhere.path().join("chained.html");
        symlink(dir.path().join("shop.sqlite-wal"), &absolute).unwrap();
        symlink("shop.sqlite-shm", &relative).unwrap();
        symlink(&relative, &chained).unwrap();
        let (before, before_elsewhere) = (listing(dir.path()), listing(elsewhere.path()));
        for target in [&absolute, &relative, &chained] {
            let err = write_text(target, &store, "report").unwrap_err();
            assert!(matches!(err, OutputError::Store { .. }), "{err}");
        }
        assert_eq!(listing(dir.path()), before);
        assert_eq!(listing(elsewhere.path()), before_elsewhere);
    }

    #[test]
    fn a_symlink_to_a_file_elsewhere_is_written_through_and_kept() {
        let (dir, store) = store_dir();
        let elsewhere = tempfile::tempdir().unwrap();
        let real = elsewhere.path().join("real.json");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        symlink(&real, &link).unwrap();
        let dangling = dir.path().join("new.json");
        let elsewhere_name = elsewhere.path().file_name().unwrap().to_str().unwrap();
        symlink(format!("../{elsewhere_name}/created.json"), &dangling).unwrap();
        let before = listing(dir.path());
        write_text(&link, &store, "new").unwrap();
        assert_eq!(listing(dir.path()), before, "the link is kept");
        let mut expected = BTreeMap::new();
        expected.insert("real.json".to_owned(), "new".to_owned());
        assert_eq!(listing(elsewhere.path()), expected);

        // A relative dangling link creates its target, from the link's directory.
        write_text(&dangling, &store, "created").unwrap();
        assert_eq!(listing(dir.path()), before);
        expected.insert("created.json".to_owned(), "created".to_owned());
        assert_eq!(listing(elsewhere.path()), expected);
    }

    #[test]
    fn a_failed_writer_leaves_no_file_and_an_existing_target_untouched() {
        let (dir, store) = store_dir();
        let existing = dir.path().join("existing.csv");
        fs::write(&existing, "kept").unwrap();
        let before = listing(dir.path());
        for target in [dir.path().join("new.csv"), existing.clone()] {
            let err = write_output(&target, &store, |out| -> Result<(), OutputError> {
                out.write_all(b"half of it")
                    .map_err(OutputError::io(&target))?;
                Err(OutputError::io(&target)(io::Error::other(
                    "the export failed",
                )))
            })
            .unwrap_err();
            assert!(err.to_string().contains("the export failed"), "{err}");
            assert_eq!(listing(dir.path()), before, "no file, no temporary file");
        }
        assert_eq!(fs::read_to_string(&existing).unwrap(), "kept");
    }

    #[test]
    fn directories_fifos_and_sockets_are_refused() {
        let (dir, store) = store_dir();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let before = listing(dir.path());
        let mut cases = vec![(dir.path().to_owned(), "a directory"), (socket, "a socket")];
        if made.is_ok_and(|s| s.success()) {
            cases.push((fifo, "a FIFO"));
        }
        for (target, kind) in cases {
            let err = write_text(&target, &store, "x").unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("is {kind}, not a regular file")),
                "{err}"
            );
        }
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn a_symlink_loop_is_refused() {
        let (dir, store) = store_dir();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        symlink(&b, &a).unwrap();
        symlink(&a, &b).unwrap();
        let err = write_text(&a, &store, "x").unwrap_err();
        assert!(matches!(err, OutputError::SymlinkLoop { .. }), "{err}");
    }

    #[test]
    fn a_new_file_gets_a_normal_mode_and_a_replaced_one_keeps_its_own() {
        let (dir, store) = store_dir();
        let plain = dir.path().join("plain");
        fs::write(&plain, "").unwrap();
        let new = dir.path().join("new.html");
        write_output_bytes(&new, &store, b"<html>").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&new),
            mode(&plain),
            "the umask applies as to any new file"
        );
        fs::set_permissions(&new, fs::Permissions::from_mode(0o640)).unwrap();
        write_output_bytes(&new, &store, b"<html>2").unwrap();
        assert_eq!(mode(&new), 0o640);
        assert_eq!(fs::read(&new).unwrap(), b"<html>2");

        fs::set_permissions(&new, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_output_bytes(&new, &store, b"<html>3").unwrap_err();
        assert!(matches!(err, OutputError::ReadOnly { .. }), "{err}");
        assert_eq!(fs::read(&new).unwrap(), b"<html>2");
    }

    #[test]
    fn a_directory_that_cannot_be_written_is_named_in_the_error() {
        let (dir, store) = store_dir();
        let locked = dir.path().join("locked");
        fs::create_dir(&locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
        let err =
            write_output_bytes(&dir.path().join("missing/out.csv"), &store, b"x").unwrap_err();
        assert!(matches!(err, OutputError::NoDirectory { .. }), "{err}");
        assert!(err.to_string().contains("missing/out.csv"), "{err}");
        if fs::write(locked.join("probe"), "").is_ok() {
            // Root ignores directory permissions: nothing more to test here.
            return;
        }
        let err = write_output_bytes(&locked.join("out.csv"), &store, b"x").unwrap_err();
        assert!(matches!(err, OutputError::CreateIn { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("choose a directory you can write to")
        );
        assert_eq!(listing(&locked), BTreeMap::new());
    }
}
