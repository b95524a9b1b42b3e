//! How many bytes the current thread holds, so a jq evaluation can be stopped before it exhausts memory.
//!
//! jq's own size budget counts what a program adds to values, but not the copies jaq makes along the way:
//! `def f: (. + "x") as $a | [f]; ("x" * 16000000) | f` copies a 16 MB string at every level of its recursion
//! and reached 5.7 GB before the stack budget stopped it. Only the allocator sees every copy, so the library
//! installs [`CountingAllocator`] as the global allocator: it forwards to mimalloc (faster than glibc's malloc
//! on the many small values decoding and replay make: a jq replay of 200,000 events took 7.9 s with glibc,
//! 5.4 s with mimalloc) and keeps, per thread, the bytes allocated less the bytes freed. An evaluation reads [`thread_net_bytes`] when it starts
//! and at every step, and stops once it holds more than its memory budget (see `jq::budget`).
//!
//! The count is per thread, so what other threads do (the window drawing, a worker reading pages) never
//! changes a verdict. Memory freed on another thread than the one that allocated it lowers that other
//! thread's count, which only matters for the difference between two readings on one thread, the only use.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc as System;
use std::cell::Cell;

thread_local! {
    /// Bytes allocated less bytes freed on this thread, since it started (may go below zero).
    static NET: Cell<i64> = const { Cell::new(0) };
}

/// mimalloc, counting bytes per thread.
pub struct CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Add `delta` to this thread's count. Never allocates; silently does nothing while the thread's locals are
/// being torn down.
#[inline]
fn record(delta: i64) {
    let _ = NET.try_with(|net| net.set(net.get().wrapping_add(delta)));
}

#[inline]
fn signed(size: usize) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

// SAFETY: every method forwards to mimalloc (`System` here) with the caller's arguments unchanged, so `System`'s guarantees
// are ours; the bookkeeping only touches a thread-local `Cell` with a const initialiser and no destructor,
// which neither allocates nor unwinds.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            record(signed(layout.size()));
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            record(signed(layout.size()));
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; `ptr` was allocated by `System` through this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        record(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::realloc`'s contract.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record(signed(new_size) - signed(layout.size()));
        }
        new
    }
}

/// Bytes this thread has allocated less the bytes it has freed; only differences of two readings mean
/// anything.
#[inline]
pub fn thread_net_bytes() -> i64 {
    NET.try_with(Cell::get).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_this_thread_holds() {
        let before = thread_net_bytes();
        let block = vec![7_u8; 10 << 20];
        let held = thread_net_bytes() - before;
        assert!(held >= 10 << 20, "held {held}");
        drop(block);
        let after = thread_net_bytes() - before;
        assert!(after < 1 << 20, "after {after}");
    }

    #[test]
    fn other_threads_do_not_count() {
        let before = thread_net_bytes();
        let kept = std::thread::Builder::new()
            .name("allocating".to_owned())
            .spawn(|| vec![1_u8; 8 << 20])
            .expect("spawn")
            .join()
            .expect("thread");
        let seen = thread_net_bytes() - before;
        assert!(seen < 1 << 20, "seen {seen}");
        drop(kept);
    }
}
