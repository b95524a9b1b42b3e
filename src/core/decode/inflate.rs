//! Inflating compressed payloads (zlib, gzip) with a cap: a payload of a megabyte may inflate to a gigabyte
//! (a decompression bomb), so inflating reads at most one byte past the cap and never allocates more. The
//! compression is recognised by its header, whatever the layout says.

use std::io::Read;

const ZLIB_HEADERS: [[u8; 2]; 4] = [[0x78, 0x01], [0x78, 0x5e], [0x78, 0x9c], [0x78, 0xda]];

/// gzip's magic number and its only compression method (deflate).
const GZIP_HEADER: [u8; 3] = [0x1f, 0x8b, 0x08];

/// A compression recognised by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    Zlib,
    Gzip,
}

impl Compression {
    pub(crate) fn of(bytes: &[u8]) -> Option<Self> {
        if bytes
            .get(..2)
            .is_some_and(|h| ZLIB_HEADERS.iter().any(|z| z == h))
        {
            Some(Self::Zlib)
        } else if bytes.starts_with(&GZIP_HEADER) {
            Some(Self::Gzip)
        } else {
            None
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Zlib => "zlib",
            Self::Gzip => "gzip",
        }
    }
}

/// What inflating a compressed payload gave.
pub(crate) enum Inflated {
    Done(Vec<u8>),
    /// It inflates past the cap.
    OverCap,
    /// Not a valid stream of that compression.
    Invalid,
}

/// Inflate `bytes`, reading at most one byte past `cap` and never holding more than that.
pub(crate) fn inflate(compression: Compression, bytes: &[u8], cap: usize) -> Inflated {
    let result = match compression {
        Compression::Zlib => read_capped(flate2::read::ZlibDecoder::new(bytes), cap),
        Compression::Gzip => read_capped(flate2::read::MultiGzDecoder::new(bytes), cap),
    };
    match result {
        Ok(Some(out)) => Inflated::Done(out),
        Ok(None) => Inflated::OverCap,
        Err(_) => Inflated::Invalid,
    }
}

/// Everything `reader` gives when it is at most `cap` bytes, `None` when it is more. Reads through
/// `take(cap + 1)` and grows the buffer by hand, so no more than `cap + 1` bytes are ever allocated (a
/// `read_to_end` may double its buffer past the cap).
fn read_capped(reader: impl Read, cap: usize) -> std::io::Result<Option<Vec<u8>>> {
    let limit = cap.saturating_add(1);
    let mut limited = reader.take(u64::try_from(limit).unwrap_or(u64::MAX));
    let mut out = Vec::new();
    let mut chunk = vec![0u8; limit.min(64 * 1024)];
    loop {
        let n = match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let read = chunk.get(..n).unwrap_or_default();
        let needed = out.len() + n;
        if needed > out.capacity() {
            let target = needed.max(out.capacity().saturating_mul(2)).min(limit);
            out.reserve_exact(target - out.len());
        }
        out.extend_from_slice(read);
    }
    Ok((out.len() <= cap).then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_never_holds_more_than_one_byte_past_the_cap() {
        let cap = 100_000;
        let zeros = std::io::repeat(0).take(10 * 1024 * 1024);
        assert_eq!(read_capped(zeros, cap).unwrap(), None);
        let out = read_capped(std::io::repeat(7).take(cap as u64), cap)
            .unwrap()
            .unwrap();
        assert_eq!(out.len(), cap);
        assert!(out.capacity() <= cap + 1, "capacity {}", out.capacity());
    }
}
