//! An allocator that counts the bytes it was asked to hold, for the tests
//! (and the example) that measure memory without timing anything. Each
//! binary that uses it declares it its global allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: counting::Counting<std::alloc::System> = counting::Counting(std::alloc::System);
//! ```

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// `A`, counting.
pub struct Counting<A>(pub A);

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(by: usize) {
    let now = HELD.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        // SAFETY: allocated by `alloc` with the same layout.
        unsafe { self.0.dealloc(p, layout) };
        HELD.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: allocated by `alloc` with the same layout.
        let moved = unsafe { self.0.realloc(p, layout, new_size) };
        if !moved.is_null() {
            match new_size >= layout.size() {
                true => grow(new_size - layout.size()),
                false => {
                    HELD.fetch_sub(layout.size() - new_size, Relaxed);
                }
            }
        }
        moved
    }
}

/// The bytes held now.
#[allow(dead_code)]
pub fn held() -> usize {
    HELD.load(Relaxed)
}

/// The most bytes held at once while `f` ran, above what was held before.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = HELD.load(Relaxed);
    PEAK.store(before, Relaxed);
    let out = f();
    (out, PEAK.load(Relaxed).saturating_sub(before))
}
