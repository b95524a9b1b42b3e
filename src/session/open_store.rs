//! The file a session has open and how: its path and the options it was opened with (what a reopen with
//! another mapping or a key starts from), and what the worker found on opening it (the layout in force,
//! SQLite's journal mode, whether encrypted payloads lack a key), or why it could not be opened. Set when the
//! session starts and by the worker's answer to opening; panels only read it.

use std::path::{Path, PathBuf};

use crate::core::layout::Mapping;
use crate::core::store::{OpenInfo, OpenOptions};

/// One store as the session opened it.
pub struct OpenStore {
    path: PathBuf,
    /// What the store was opened with (to reopen it with a changed mapping or a key).
    options: OpenOptions,
    /// The layout in force, once the worker has opened the file.
    mappings: Vec<Mapping>,
    info: Option<OpenInfo>,
    /// Payloads are encrypted and no key was given.
    missing_cipher_key: bool,
    /// The store could not be opened: the session shows only this.
    open_failed: Option<String>,
}

impl OpenStore {
    /// `path` being opened with `options`: nothing found yet.
    pub(super) fn new(path: PathBuf, options: OpenOptions) -> Self {
        Self {
            path,
            options,
            mappings: Vec::new(),
            info: None,
            missing_cipher_key: false,
            open_failed: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the store was opened with (to reopen it with a changed mapping or a key).
    pub fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// The layout in force (one mapping per event table), once the worker has opened the file.
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// How SQLite opened the file, once it has.
    pub fn info(&self) -> Option<&OpenInfo> {
        self.info.as_ref()
    }

    /// Payloads are encrypted and no key was given.
    pub fn missing_cipher_key(&self) -> bool {
        self.missing_cipher_key
    }

    /// Why the store could not be opened: then the session shows only this.
    pub fn open_failed(&self) -> Option<&str> {
        self.open_failed.as_deref()
    }

    /// The worker opened the file and found this.
    pub(super) fn opened(
        &mut self,
        mappings: Vec<Mapping>,
        info: OpenInfo,
        missing_cipher_key: bool,
    ) {
        self.mappings = mappings;
        self.info = Some(info);
        self.missing_cipher_key = missing_cipher_key;
    }

    /// Opening failed (or its first answers did): the store cannot be browsed.
    pub(super) fn failed(&mut self, message: String) {
        self.open_failed = Some(message);
    }
}
