//! A Redis server of a test's own, for tests that freeze Redis: stopping the shared one would
//! freeze every other test running beside them.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` on a free local port, keeping nothing on disk; killed when dropped.
pub struct OwnRedis {
    child: Child,
    port: u16,
}

impl OwnRedis {
    /// Starts it and waits until it accepts connections.
    pub fn start() -> OwnRedis {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server on the PATH (Debian package redis-server)");
        let own = OwnRedis { child, port };
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return own;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("redis-server did not listen on port {port} within 5 s");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Freezes the server (SIGSTOP) until the returned guard is dropped, even by a panic.
    pub fn freeze(&self) -> Frozen {
        let pid = self.child.id().to_string();
        signal("-STOP", &pid);
        Frozen(pid)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A frozen Redis; continues (SIGCONT) when dropped.
pub struct Frozen(String);

impl Drop for Frozen {
    fn drop(&mut self) {
        signal("-CONT", &self.0);
    }
}

fn signal(which: &str, pid: &str) {
    let ok = Command::new("kill")
        .args([which, pid])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok || std::thread::panicking(), "kill {which} {pid}");
}
