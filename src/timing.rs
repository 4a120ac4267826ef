//! Stage timings for `-v`: wall time, CPU time and peak memory per stage.

use std::time::{Duration, Instant};

/// One stage of a build as `-v` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lap {
    pub stage: &'static str,
    pub took: Duration,
    /// The process's peak resident memory so far, in kilobytes, where the system tells.
    pub peak_kb: Option<u64>,
    /// CPU time the process's threads spent in the stage, where the system tells.
    pub cpu: Option<Duration>,
}

/// Wall time of each stage, for `-v`.
pub struct Timer {
    last: Instant,
    last_cpu: Option<Duration>,
    laps: Vec<Lap>,
}

impl Timer {
    pub fn start() -> Timer {
        Timer {
            last: Instant::now(),
            last_cpu: cpu_time(),
            laps: Vec::new(),
        }
    }

    pub fn laps(&self) -> &[Lap] {
        &self.laps
    }

    /// The stages timed so far, the timer done with.
    pub fn into_laps(self) -> Vec<Lap> {
        self.laps
    }

    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = cpu_time();
        self.laps.push(Lap {
            stage,
            took: now - self.last,
            peak_kb: peak_rss_kb(),
            cpu: cpu
                .zip(self.last_cpu)
                .map(|(now, last)| now.saturating_sub(last)),
        });
        self.last = now;
        self.last_cpu = cpu;
    }
}

impl std::fmt::Display for Lap {
    /// `  stage   12.3 ms`, as `-v` lists the stages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "  {:<18} {:>8.1} ms",
            self.stage,
            self.took.as_secs_f64() * 1000.0
        )
    }
}

/// The CPU time of every thread of the process so far (Linux: the first
/// field of each `/proc/self/task/*/schedstat`, in nanoseconds).
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// `VmHWM` from `/proc/self/status` (Linux): the peak resident set so far.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
