//! A column of `i64` values stored in a few bits each, with random access by index: the per-event columns of
//! a [`crate::core::timeline::stream_index::StreamIndex`] (positions, versions, times, types) would cost 8 bytes an
//! event each as plain vectors, 200 MiB at ten million events, yet they are nearly always regular (positions
//! that grow by one, versions that are ordinals, times in milliseconds a second or so apart).
//!
//! [`PackedColumn`] cuts the values into blocks of [`BLOCK`] and stores each block as a line plus small
//! residuals: value `j` of a block is `base + step * (slope * j + packed[j])` (wrapping 64-bit arithmetic,
//! exact for every `i64`), where `step` is the greatest common divisor of the block's differences (a
//! millisecond clock read in microseconds packs as milliseconds), `slope` follows the block's trend and
//! `packed[j]` is bit-packed at the width the block needs. A block of ordinals costs no bits at all; any
//! block, however odd its values (decreasing, huge jumps, repeated), still round-trips, at worst at 64 bits a
//! value. Reading value `i` is one block lookup and one or two word reads. Values are pushed in order; the
//! last, unfilled block stays plain until it fills.

/// Values a packed block holds.
pub const BLOCK: usize = 128;

/// How one block's values are rebuilt from its packed residuals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    /// The line's value at the block's first entry (mod 2^64).
    base: u64,
    /// The common divisor of the block's differences (mod 2^64).
    step: u64,
    /// The line's slope, in steps an entry (mod 2^64).
    slope: u64,
    /// First word of the block's residuals in [`PackedColumn::words`].
    first_word: usize,
    /// Bits a residual takes (0 to 64).
    width: u32,
}

/// `i64` values, bit-packed by block, read back by index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedColumn {
    blocks: Vec<Block>,
    words: Vec<u64>,
    /// The values after the last full block, not packed yet (fewer than [`BLOCK`]).
    tail: Vec<i64>,
}

impl PackedColumn {
    /// An empty column whose block table has room for `len` values, so filling it never copies the table.
    pub fn with_capacity(len: usize) -> Self {
        Self {
            blocks: Vec::with_capacity(len / BLOCK),
            ..Self::default()
        }
    }

    /// Append `value` as the last entry.
    pub fn push(&mut self, value: i64) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(BLOCK);
        }
        self.tail.push(value);
        if self.tail.len() == BLOCK {
            self.pack_tail();
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.blocks.len() * BLOCK + self.tail.len()
    }

    /// Whether the column holds no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`, `None` past the end.
    pub fn get(&self, i: usize) -> Option<i64> {
        let (b, j) = (i / BLOCK, i % BLOCK);
        let Some(block) = self.blocks.get(b) else {
            return self.tail.get(i - self.blocks.len() * BLOCK).copied();
        };
        let residual = read_bits(&self.words, block.first_word, j, block.width);
        let along = block.slope.wrapping_mul(j as u64).wrapping_add(residual);
        #[expect(
            clippy::cast_possible_wrap,
            reason = "the sum is the value mod 2^64, an i64 by construction"
        )]
        Some(block.base.wrapping_add(block.step.wrapping_mul(along)) as i64)
    }

    /// Bytes held (capacity included).
    pub fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * size_of::<Block>()
            + self.words.capacity() * 8
            + self.tail.capacity() * 8
    }

    /// Give back the room reserved for growth (after the last push of a long read).
    pub fn shrink_to_fit(&mut self) {
        self.blocks.shrink_to_fit();
        self.words.shrink_to_fit();
        self.tail.shrink_to_fit();
    }

    /// Pack the full tail as a block.
    fn pack_tail(&mut self) {
        let block = encode(&self.tail, &mut self.words);
        self.blocks.push(block);
        self.tail.clear();
    }
}

/// Greatest common divisor.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Pack `values` (at least one) into `words` and say how to read them back.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the line's parameters are kept mod 2^64, which is all the wrapping decode needs"
)]
fn encode(values: &[i64], words: &mut Vec<u64>) -> Block {
    let first = i128::from(values.first().copied().unwrap_or(0));
    let step = values
        .iter()
        .fold(0, |g, &v| gcd(g, (i128::from(v) - first).unsigned_abs()))
        .max(1);
    let step_i = step as i128;
    // Offsets from the first value, in steps: exact, each within ±2^64.
    let n = values.len().min(BLOCK);
    let mut offsets = [0_i128; BLOCK];
    for (offset, &v) in offsets.iter_mut().zip(values) {
        let diff = i128::from(v) - first;
        *offset = if step == 1 { diff } else { diff / step_i };
    }
    let scaled = |j: usize| offsets.get(j).copied().unwrap_or(0);
    let span = |slope: i128| -> (i128, i128) {
        (0..n).fold((i128::MAX, i128::MIN), |(lo, hi), j| {
            let r = scaled(j) - slope * j as i128;
            (lo.min(r), hi.max(r))
        })
    };
    let mut slope = if n > 1 {
        (scaled(n - 1) - scaled(0)) / (n as i128 - 1)
    } else {
        0
    };
    let (mut lo, mut hi) = span(slope);
    if hi - lo > i128::from(u64::MAX) {
        // No line fits better than none: the offsets alone span at most 2^64 - 1.
        slope = 0;
        (lo, hi) = span(0);
    }
    let widest = (hi - lo) as u64;
    let width = u64::BITS - widest.leading_zeros();
    let first_word = words.len();
    let bits = n * width as usize;
    words.resize(first_word + bits.div_ceil(64), 0);
    if width > 0 {
        for j in 0..n {
            let residual = (scaled(j) - slope * j as i128 - lo) as u64;
            write_bits(words, first_word, j, width, residual);
        }
    }
    Block {
        base: first.wrapping_add(step_i.wrapping_mul(lo)) as u64,
        step: step as u64,
        slope: slope as u64,
        first_word,
        width,
    }
}

/// Mask of the low `width` bits.
fn mask(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1 << width) - 1
    }
}

/// Store `value` (fitting `width` bits) as entry `j` of the residuals starting at word `first`.
fn write_bits(words: &mut [u64], first: usize, j: usize, width: u32, value: u64) {
    let bit = j * width as usize;
    let (word, shift) = (first + bit / 64, (bit % 64) as u32);
    if let Some(w) = words.get_mut(word) {
        *w |= value << shift;
    }
    if shift + width > 64
        && let Some(w) = words.get_mut(word + 1)
    {
        *w |= value >> (64 - shift);
    }
}

/// Entry `j` of the `width`-bit residuals starting at word `first`.
fn read_bits(words: &[u64], first: usize, j: usize, width: u32) -> u64 {
    if width == 0 {
        return 0;
    }
    let bit = j * width as usize;
    let (word, shift) = (first + bit / 64, (bit % 64) as u32);
    let mut value = words.get(word).copied().unwrap_or(0) >> shift;
    if shift + width > 64 {
        value |= words.get(word + 1).copied().unwrap_or(0) << (64 - shift);
    }
    value & mask(width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn packed(values: &[i64]) -> PackedColumn {
        let mut column = PackedColumn::default();
        for &v in values {
            column.push(v);
        }
        column
    }

    fn assert_round_trips(values: &[i64]) {
        let column = packed(values);
        assert_eq!(column.len(), values.len());
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(column.get(i), Some(v), "value {i}");
        }
        assert_eq!(column.get(values.len()), None);
    }

    #[test]
    fn ordinals_cost_no_bits() {
        let values: Vec<i64> = (1..=100_000).collect();
        let column = packed(&values);
        assert_round_trips(&values);
        assert!(column.words.is_empty(), "{} words", column.words.len());
    }

    #[test]
    fn a_millisecond_clock_in_microseconds_packs_as_milliseconds() {
        let mut t = 1_715_000_000_000_000_i64;
        let values: Vec<i64> = (0..10_000_i64)
            .map(|i| {
                t += 1_000 * (500 + (i * 7_919) % 1_500);
                t
            })
            .collect();
        assert_round_trips(&values);
        let column = packed(&values);
        let bits = column.heap_bytes() * 8 / values.len();
        assert!(bits <= 24, "{bits} bits a value");
    }

    #[test]
    fn extremes_round_trip() {
        let mut values = vec![i64::MIN, i64::MAX, 0, -1, 1, i64::MAX, i64::MIN];
        values.extend((0..300).map(|i| if i % 2 == 0 { i64::MIN } else { i64::MAX }));
        values.extend((0..300).map(|i| i64::MAX - i));
        values.extend((0..300).map(|i| i64::MIN + i * (i64::MAX / 300)));
        assert_round_trips(&values);
    }

    /// Odd columns: runs, huge jumps, decreasing stretches, constants, noise.
    fn odd_values() -> impl Strategy<Value = Vec<i64>> {
        let piece = prop_oneof![
            (any::<i64>(), 1..300_usize).prop_map(|(v, n)| vec![v; n]),
            (any::<i64>(), -5..5_i64, 1..400_usize)
                .prop_map(|(v, d, n)| (0..n as i64).map(|j| v.wrapping_add(d * j)).collect()),
            prop::collection::vec(any::<i64>(), 1..200),
            prop::collection::vec(-3..3_i64, 1..200),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_column_reads_back_what_was_pushed(values in odd_values()) {
            assert_round_trips(&values);
        }
    }
}
