//! A real browser to check pages in: headless Chromium (Debian's `chromium` package)
//! driven over the Chrome DevTools Protocol on a pipe (`--remote-debugging-pipe`: the
//! browser reads commands on fd 3 and writes replies and events on fd 4, each message
//! one JSON text ending in a NUL byte). No driver, port or HTTP client: the protocol
//! itself reports every console message, uncaught exception, error log entry and
//! request of the page, evaluates a probe script and takes the screenshot.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::locate::find_in_path;

/// How long one page may take, from starting the browser to closing it.
const PAGE_TIME_LIMIT: Duration = Duration::from_secs(90);

/// What loading a page showed.
#[derive(Debug)]
pub struct PageReport {
    /// `console.error`/`console.assert` messages, uncaught exceptions and error-level
    /// log entries (a failed load, a refused resource).
    pub console_errors: Vec<String>,
    /// Every URL the page requested besides its own.
    pub requests: Vec<String>,
    /// What the probe script returned (a JSON value).
    pub probe: Value,
    /// The page as a PNG.
    pub screenshot: Vec<u8>,
}

impl PageReport {
    /// The page loaded clean: no console error and no request. The reason otherwise.
    pub fn clean(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        for e in &self.console_errors {
            problems.push(format!("console error: {e}"));
        }
        for r in &self.requests {
            problems.push(format!("network request: {r}"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

/// A pipe with both ends close-on-exec: (read end, write end).
fn pipe() -> Result<(File, File), String> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two-element array it is given.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!("pipe: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors were just created and are owned by these Files alone.
    Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}

/// The Chromium binary; a clear error when it is missing.
pub fn chromium_binary() -> Result<PathBuf, String> {
    ["chromium", "chromium-browser"]
        .iter()
        .find_map(|name| find_in_path(name))
        .ok_or_else(|| {
            "chromium not found in PATH: the timeline's browser test needs it \
             (apt-get install chromium; .ci/run installs it)"
                .to_string()
        })
}

struct Browser {
    child: Child,
    commands: File,
    replies: Receiver<Value>,
    /// Every event received so far, in order.
    events: Vec<Value>,
    next_id: u64,
    deadline: Instant,
    stderr: Option<thread::JoinHandle<Vec<u8>>>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Result<Browser, String> {
        let binary = chromium_binary()?;
        let profile = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let (to_browser, commands) = pipe()?;
        let (replies_pipe, from_browser) = pipe()?;
        let mut command = Command::new(&binary);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // A small /dev/shm (containers) must not crash the renderer.
                "--disable-dev-shm-usage",
                "--remote-debugging-pipe",
                // No name resolves: a request the page makes fails at once (and is
                // still reported), and the check never reaches the network.
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let (read_fd, write_fd) = (to_browser.as_raw_fd(), from_browser.as_raw_fd());
        // SAFETY: between fork and exec the closure only calls fcntl and dup2, which are
        // async-signal-safe, on descriptors that stay open in the child until exec.
        // Both are first moved above 4 so that placing one on 3 or 4 cannot close the
        // other; dup2 leaves the copies on 3 and 4 without close-on-exec.
        unsafe {
            command.pre_exec(move || {
                let read_high = libc::fcntl(read_fd, libc::F_DUPFD_CLOEXEC, 10);
                let write_high = libc::fcntl(write_fd, libc::F_DUPFD_CLOEXEC, 10);
                if read_high < 0
                    || write_high < 0
                    || libc::dup2(read_high, 3) < 0
                    || libc::dup2(write_high, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        // The browser holds its own copies; ours would keep the pipes from ever ending.
        drop(to_browser);
        drop(from_browser);
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
        let stderr = thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr_pipe.read_to_end(&mut bytes);
            bytes
        });
        let (sender, replies) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(replies_pipe);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if message.last() == Some(&0) {
                    message.pop();
                }
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Ok(Browser {
            child,
            commands,
            replies,
            events: Vec::new(),
            next_id: 1,
            deadline: Instant::now() + PAGE_TIME_LIMIT,
            stderr: Some(stderr),
            _profile: profile,
        })
    }

    /// The next message, or why none came.
    fn receive(&mut self) -> Result<Value, String> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        match self.replies.recv_timeout(left) {
            Ok(v) => Ok(v),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "the browser did not answer within {PAGE_TIME_LIMIT:?}"
            )),
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
                Err(format!("the browser closed its pipe ({status})"))
            }
        }
    }

    /// Sends one command (to a page's session when given) and waits for its result;
    /// events that arrive meanwhile are kept.
    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).expect("a JSON value serializes");
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .map_err(|e| format!("writing to the browser: {e}"))?;
        loop {
            let reply = self.receive()?;
            if reply["id"] == json!(id) {
                if let Some(error) = reply.get("error") {
                    return Err(format!("{method} failed: {error}"));
                }
                return Ok(reply["result"].clone());
            }
            if reply.get("method").is_some() {
                self.events.push(reply);
            }
        }
    }

    /// Waits for the event `method` of `session`.
    fn wait_for(&mut self, session: &str, method: &str) -> Result<(), String> {
        if self
            .events
            .iter()
            .any(|e| e["method"] == method && e["sessionId"] == session)
        {
            return Ok(());
        }
        loop {
            let event = self.receive()?;
            let found = event["method"] == method && event["sessionId"] == session;
            self.events.push(event);
            if found {
                return Ok(());
            }
        }
    }

    /// Ends the browser and gives the last lines it wrote to stderr.
    fn stderr_tail(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let bytes = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A console or log message's text.
fn message_text(event: &Value) -> String {
    let params = &event["params"];
    match event["method"].as_str() {
        Some("Runtime.consoleAPICalled") => params["args"]
            .as_array()
            .map(|args| {
                args.iter()
                    .map(|a| match &a["value"] {
                        Value::String(s) => s.clone(),
                        Value::Null => a["description"].as_str().unwrap_or("").to_string(),
                        v => v.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
        Some("Runtime.exceptionThrown") => {
            let details = &params["exceptionDetails"];
            details["exception"]["description"]
                .as_str()
                .or(details["text"].as_str())
                .unwrap_or("an exception")
                .to_string()
        }
        _ => format!(
            "{} ({})",
            params["entry"]["text"].as_str().unwrap_or(""),
            params["entry"]["url"].as_str().unwrap_or("")
        ),
    }
}

/// Loads `page` (a file) in a fresh headless Chromium at `width`×`height`, waits for its
/// load event and two frames, evaluates `probe` (a JavaScript expression; a promise is
/// awaited; the result must be JSON) and takes a screenshot. Every console error,
/// exception, error log entry and request seen until then is reported.
pub fn load_page(page: &Path, probe: &str, width: u32, height: u32) -> Result<PageReport, String> {
    let page = page
        .canonicalize()
        .map_err(|e| format!("{}: {e}", page.display()))?;
    let url = format!("file://{}", page.display());
    let mut browser = Browser::start()?;
    let result = drive(&mut browser, &url, probe, width, height);
    match result {
        Ok(report) => {
            let _ = browser.call(None, "Browser.close", json!({}));
            Ok(report)
        }
        Err(e) => Err(format!(
            "{e}\nchromium's last words:\n{}",
            browser.stderr_tail()
        )),
    }
}

fn drive(
    browser: &mut Browser,
    url: &str,
    probe: &str,
    width: u32,
    height: u32,
) -> Result<PageReport, String> {
    let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
    let target_id = target["targetId"].clone();
    let attached = browser.call(
        None,
        "Target.attachToTarget",
        json!({"targetId": target_id, "flatten": true}),
    )?;
    let session = attached["sessionId"]
        .as_str()
        .ok_or("Target.attachToTarget gave no sessionId")?
        .to_string();
    let s = Some(session.as_str());
    for domain in ["Runtime", "Log", "Network", "Page"] {
        browser.call(s, &format!("{domain}.enable"), json!({}))?;
    }
    browser.call(
        s,
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
    )?;
    // Only what happens from the navigation on belongs to the page.
    let before = browser.events.len();
    browser.call(s, "Page.navigate", json!({"url": url}))?;
    browser.wait_for(&session, "Page.loadEventFired")?;
    let evaluated = browser.call(
        s,
        "Runtime.evaluate",
        json!({
            "expression": format!(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))\
                 .then(() => ({probe}))"
            ),
            "awaitPromise": true,
            "returnByValue": true,
        }),
    )?;
    if let Some(details) = evaluated.get("exceptionDetails") {
        return Err(format!("the probe script failed: {details}"));
    }
    let probe_value = evaluated["result"]["value"].clone();
    let shot = browser.call(s, "Page.captureScreenshot", json!({"format": "png"}))?;
    let screenshot = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap_or(""))
        .map_err(|e| format!("the screenshot is not base64: {e}"))?;
    let mut console_errors = Vec::new();
    let mut requests = Vec::new();
    for event in &browser.events[before..] {
        if event["sessionId"] != session.as_str() {
            continue;
        }
        let params = &event["params"];
        match event["method"].as_str().unwrap_or("") {
            "Runtime.consoleAPICalled"
                if matches!(params["type"].as_str(), Some("error" | "assert")) =>
            {
                console_errors.push(message_text(event))
            }
            "Runtime.exceptionThrown" => console_errors.push(message_text(event)),
            "Log.entryAdded" if params["entry"]["level"] == "error" => {
                console_errors.push(message_text(event))
            }
            "Network.requestWillBeSent" => {
                let requested = params["request"]["url"].as_str().unwrap_or("?");
                if requested != url {
                    requests.push(requested.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(PageReport {
        console_errors,
        requests,
        probe: probe_value,
        screenshot,
    })
}
