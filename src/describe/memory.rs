//! The memory one file may take (its worker's share of `--max-memory`), and how a large file divides it.

/// Files larger than this are read block by block; blocks are about this size.
pub const BLOCK_BYTES: usize = 8 * 1024 * 1024;

/// The memory one file may take: its worker's share of the run's ceiling
/// (`--max-memory`), split among what a large file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryShare {
    bytes: usize,
}

impl MemoryShare {
    /// The ceiling of a run when none is given: 1 GiB.
    pub const DEFAULT_CEILING: u64 = 1 << 30;
    /// The smallest ceiling a run may have: room for a few blocks.
    pub const SMALLEST_CEILING: u64 = 64 << 20;

    /// One of `jobs` workers' share of `ceiling` bytes.
    pub fn of(ceiling: u64, jobs: usize) -> Self {
        let bytes = usize::try_from(ceiling / jobs.max(1) as u64).unwrap_or(usize::MAX);
        MemoryShare { bytes }
    }

    /// The bytes of the share.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The longest record (line) held: a quarter of the share, at least a block.
    pub fn record_limit(&self) -> usize {
        (self.bytes / 4).max(BLOCK_BYTES)
    }

    /// The values of a large file held in memory before they are spilled
    /// to a temporary file: an eighth of the share.
    pub fn held_values(&self) -> usize {
        self.bytes / 8 / 8
    }

    /// The bytes of a file's result rows held in memory before they are
    /// spilled (a long table's groups): an eighth of the share.
    pub fn held_rows(&self) -> usize {
        self.bytes / 8
    }

    /// The most values collected at once to select the percentiles: an
    /// eighth of the share (`POLARSDESC_SELECTION_LIMIT` overrides it, so
    /// that tests can force many passes on small files).
    pub fn selection_limit(&self) -> usize {
        std::env::var("POLARSDESC_SELECTION_LIMIT")
            .ok()
            .and_then(|limit| limit.parse().ok())
            .unwrap_or(self.bytes / 8 / 8)
    }

    /// The distinct values of a file's text columns held at once: half the
    /// share (the numeric columns' values are gone by then).
    pub fn distinct_bytes(&self) -> usize {
        self.bytes / 2
    }

    /// Blocks of a large file read ahead of the statistics: a quarter of
    /// the share, three blocks' worth each (the block, its carry, its values).
    pub fn window(&self) -> usize {
        (self.bytes / 4 / (3 * BLOCK_BYTES)).clamp(1, 32)
    }
}

/// The memory of this machine (Linux's `MemTotal`), if it can be read.
pub fn machine_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?;
    let kib: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

/// A warning when `ceiling` (`--max-memory`) is above the machine's
/// memory: it then holds nothing back, and a run meant to be bounded may
/// take the machine.
pub fn ceiling_warning(ceiling: u64) -> Option<String> {
    let machine = machine_memory()?;
    (ceiling > machine).then(|| {
        format!(
            "--max-memory ({} MiB) is more than this machine's memory ({} MiB): it will not \
             hold the run back before the machine runs out",
            ceiling >> 20,
            machine >> 20
        )
    })
}
