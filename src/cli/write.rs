//! Writers for output too big to hold: a JSON array printed element by element, byte for byte as
//! `serde_json::to_writer_pretty` prints the whole array, so a command's output does not change when it
//! stops building a `Vec` first.

use serde::Serialize;

/// A pretty-printed JSON array written as its elements come. A failure part-way leaves the array unclosed,
/// so nobody mistakes it for the whole answer.
#[derive(Default)]
pub(crate) struct PrettyArray {
    written: usize,
    /// The element being laid out, kept to reuse its buffer.
    element: Vec<u8>,
}

impl PrettyArray {
    /// Write one element.
    pub(crate) fn push<T: Serialize + ?Sized>(
        &mut self,
        out: &mut dyn std::io::Write,
        value: &T,
    ) -> anyhow::Result<()> {
        self.element.clear();
        serde_json::to_writer_pretty(&mut self.element, value)?;
        out.write_all(if self.written == 0 { b"[" } else { b"," })?;
        // JSON strings hold no raw newline, so each one starts a line of the element's layout.
        for line in self.element.split(|b| *b == b'\n') {
            out.write_all(b"\n  ")?;
            out.write_all(line)?;
        }
        self.written += 1;
        Ok(())
    }

    /// Close the array and end the line.
    pub(crate) fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(out, "{}", if self.written == 0 { "[]" } else { "\n]" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_written_element_by_element_is_what_the_pretty_printer_writes_whole() {
        let values = [
            serde_json::json!({"id": "a", "nested": {"list": [1, 2], "empty": {}}, "text": "x\ny"}),
            serde_json::json!([]),
            serde_json::json!("plain"),
        ];
        for n in 0..=values.len() {
            let whole = &values[..n];
            let mut expected = serde_json::to_vec_pretty(whole).unwrap();
            expected.push(b'\n');
            let mut out = Vec::new();
            let mut array = PrettyArray::default();
            for value in whole {
                array.push(&mut out, value).unwrap();
            }
            array.finish(&mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
