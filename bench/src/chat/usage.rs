//! What the processes of a run use, read from /proc (Linux): resident memory, and CPU time, so
//! that a run can say what one delivery cost on each side (a ratio alone does not tell whether
//! the server, its chat writer or the load side took the machine's time).

use std::time::Duration;

/// Linux reports thread times in clock ticks of this many per second (USER_HZ, fixed at 100 in
/// the kernel's interface on every architecture Rust targets there).
const TICKS_PER_SEC: f64 = 100.0;

/// The names of a Lianmeng node's threads that commit chat messages: the chat writer and the
/// SQLite connections' threads (named by sqlx; the kernel keeps the first 15 bytes).
const WRITER_THREADS: [&str; 2] = ["chat-writer", "sqlx-sqlite-wor"];

/// CPU time used so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    /// The whole process.
    pub total: Duration,
    /// Its threads that commit chat messages (zero for the bare loop, which commits nothing).
    pub writer: Duration,
}

impl Cpu {
    /// The CPU time of process `pid` so far.
    pub fn of(pid: u32) -> Cpu {
        let total = ticks(&format!("/proc/{pid}/stat")).map_or(0.0, |(_, t)| t);
        let mut writer = 0.0;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let Some((name, t)) = ticks(&task.path().join("stat").to_string_lossy()) else {
                    continue;
                };
                if WRITER_THREADS.contains(&name.as_str()) {
                    writer += t;
                }
            }
        }
        Cpu {
            total: Duration::from_secs_f64(total / TICKS_PER_SEC),
            writer: Duration::from_secs_f64(writer / TICKS_PER_SEC),
        }
    }

    /// This process (the load side).
    pub fn own() -> Cpu {
        Cpu::of(std::process::id())
    }

    /// What was used between `before` and now.
    pub fn since(self, before: Cpu) -> Cpu {
        Cpu {
            total: self.total.saturating_sub(before.total),
            writer: self.writer.saturating_sub(before.writer),
        }
    }
}

impl std::ops::Add for Cpu {
    type Output = Cpu;

    fn add(self, other: Cpu) -> Cpu {
        Cpu {
            total: self.total + other.total,
            writer: self.writer + other.writer,
        }
    }
}

/// Resident memory of a process, in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A `stat` file's command name and its user + system ticks.
fn ticks(path: &str) -> Option<(String, f64)> {
    let stat = std::fs::read_to_string(path).ok()?;
    // `pid (comm) state …`: the name may hold spaces and parentheses, so split at the last one.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_owned();
    let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // After the name: state is field 3, utime field 14 and stime field 15.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((name, utime + stime))
}

/// Microseconds of CPU per delivery.
pub fn per_delivery(cpu: Duration, deliveries: u64) -> f64 {
    cpu.as_secs_f64() * 1e6 / deliveries.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_used_some_cpu_and_names_its_threads() {
        let spin = std::time::Instant::now();
        while spin.elapsed() < Duration::from_millis(30) {
            std::hint::black_box(0);
        }
        let path = format!("/proc/{}/stat", std::process::id());
        let (name, t) = ticks(&path).expect("own stat readable");
        assert!(!name.is_empty());
        assert!(t >= 1.0, "30 ms of spinning is at least one tick, got {t}");
        assert!(Cpu::own().total >= Duration::from_millis(10));
    }
}
