//! A Redis server of a test's own, for tests that freeze Redis: stopping the shared one would
//! freeze every other test running beside them.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` on a free local port, keeping nothing on disk; killed when dropped.
pub struct OwnRedis {
    child: Child,
    addr: SocketAddr,
}

impl OwnRedis {
    /// Starts it and waits until it answers PING. A port taken by someone else between
    /// choosing it and the server binding it makes the server exit: then another port.
    pub fn start() -> OwnRedis {
        for _ in 0..5 {
            let addr = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free local port");
            let child = Command::new("redis-server")
                .args(["--bind", "127.0.0.1", "--port", &addr.port().to_string()])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .spawn()
                .expect("redis-server on the PATH (Debian package redis-server)");
            let mut own = OwnRedis { child, addr };
            for _ in 0..200 {
                if own.child.try_wait().ok().flatten().is_some() {
                    break; // it exited: the port was taken
                }
                if own.answers_ping() {
                    return own;
                }
                // A bounded poll in blocking code (this runs before any runtime is involved).
                std::thread::sleep(Duration::from_millis(25));
            }
        }
        panic!("no redis-server of the test's own answered PING");
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut conn) = TcpStream::connect(self.addr) else {
            return false;
        };
        let _ = conn.set_read_timeout(Some(Duration::from_secs(1)));
        let mut reply = [0u8; 7];
        conn.write_all(b"PING\r\n").is_ok()
            && conn.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("redis://{}", self.addr)
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
