//! Drives the real binary in a pseudo-terminal: the demo comes up, keys work, q quits and the
//! terminal is restored (alternate screen left, cursor shown). The screen is rebuilt from the raw
//! output with a terminal emulator (vt100), so assertions read what a person would see.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    fn contents(&self) -> String {
        self.parser.lock().map(|p| p.screen().contents()).unwrap_or_default()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{text:?} never appeared; screen:\n{}", self.contents());
    }

    fn raw_contains(&self, bytes: &[u8]) -> bool {
        self.raw.lock().map(|r| r.windows(bytes.len()).any(|w| w == bytes)).unwrap_or(false)
    }
}

#[test]
fn demo_runs_in_a_terminal_and_restores_it_on_quit() {
    let home = tempfile::tempdir().expect("tempdir");
    let pty =
        native_pty_system().openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 }).expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_silo"));
    cmd.arg("--demo");
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    // The "editor" rewrites the SQL it is given, as a person would.
    cmd.env("EDITOR", "sed -i s/LIMIT/limit/");
    let mut child = pty.slave.spawn_command(cmd).expect("spawn silo");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let screen =
        Screen { parser: Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0))), raw: Arc::new(Mutex::new(Vec::new())) };
    let (parser, raw) = (screen.parser.clone(), screen.raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let (Ok(mut p), Ok(mut r)) = (parser.lock(), raw.lock()) {
                p.process(&buf[..n]);
                r.extend_from_slice(&buf[..n]);
            }
        }
    });
    let mut send = |keys: &str| writer.write_all(keys.as_bytes()).and_then(|_| writer.flush()).expect("send keys");

    screen.wait_for("26/26 tenants loaded");
    screen.wait_for("kestrel-motors");
    assert!(screen.raw_contains(b"\x1b[?1049h"), "alternate screen entered");
    send("?");
    // The help's title (its rows scroll: the last keys may be below a small terminal's edge).
    screen.wait_for("rebind in [keys]");
    send("q");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!screen.contents().contains("rebind in [keys]"), "q closes the help popup first");
    send("/delta");
    screen.wait_for("filter: delta");
    send("\r\r");
    screen.wait_for("Service (ECS)");
    // Roll delta-aero's failed deployment back: picker, plan, typed name, then it is followed.
    send("d");
    screen.wait_for("Deployments of delta-aero");
    screen.wait_for("last good");
    send("b");
    screen.wait_for("Roll back to a revision");
    send("\r");
    screen.wait_for("ecs:UpdateService (1 call)");
    send("delta-aero\r");
    screen.wait_for("ecs:UpdateService: 1 updated");
    screen.wait_for("IN FLIGHT");
    // A saved log query for the tenant, from the palette: form, run, results.
    send(":q 5xx\r");
    screen.wait_for("Run alb-5xx-by-path");
    send("\r");
    screen.wait_for("SUCCEEDED");
    screen.wait_for("elb_status_code");
    // Its SQL in $EDITOR: the screen is handed over and comes back with the edited text.
    send("e");
    screen.wait_for("LIMIT 500");
    send("\x05");
    screen.wait_for("limit 500");
    send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    send("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "silo did not exit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(screen.raw_contains(b"\x1b[?1049l"), "alternate screen left on quit");
    assert!(screen.raw_contains(b"\x1b[?25h"), "cursor shown again");
    assert!(screen.raw_contains(b"\x1b[?1000h") && screen.raw_contains(b"\x1b[?1000l"), "mouse reporting on, then off");
}
