//! Reading `-k` traces: each call with the ` > ` frame lines printed after it, and a
//! frame line's file and function. Used by the x86_64 `-k` tests (against Debian's
//! strace) and by the ARM VMs' `-k` check (against a fixture's known call chain).

/// One call as a `-k` trace shows it: its name and the ` > ` lines after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    /// The frame lines without their ` > `.
    pub frames: Vec<String>,
}

/// The calls of a trace without `-f`'s pid column, each with its frames; a signal's
/// `---` line is an entry of its own (`--- SIGUSR1`). Frames after `+++ exited`
/// (exit_group's, printed when the thread is gone) stay with the call before. A frame
/// before any call is an error.
pub fn calls(trace: &str) -> Result<Vec<Call>, String> {
    let mut calls: Vec<Call> = Vec::new();
    for line in trace.lines() {
        if let Some(frame) = line.strip_prefix(" > ") {
            let call = calls
                .last_mut()
                .ok_or_else(|| format!("a frame before any call: {line}"))?;
            call.frames.push(frame.to_owned());
        } else if line.starts_with("+++") {
            continue;
        } else if line.starts_with("---") {
            // A signal: its own entry, which its frames follow.
            calls.push(Call {
                name: line.split(' ').take(2).collect::<Vec<_>>().join(" "),
                frames: Vec::new(),
            });
        } else if let Some((name, _)) = line.split_once('(') {
            calls.push(Call {
                name: name.to_owned(),
                frames: Vec::new(),
            });
        }
    }
    Ok(calls)
}

/// A frame line's file and function (`FILE(FUNCTION+0xOFF) [0xADDR]`, or `FILE()
/// [0xADDR]` with no function); `None` for a line that names no file
/// (`unexpected_backtracing_error [0x…]`, `too many stack frames`). The offsets are left
/// out: they change with every build of the file.
pub fn frame_parts(frame: &str) -> Option<(&str, Option<&str>)> {
    let (located, _address) = frame.rsplit_once(" [")?;
    let (file, rest) = located.split_once('(')?;
    let inside = rest.strip_suffix(')')?;
    let function = inside.rsplit_once('+').map(|(name, _offset)| name);
    Some((file, function.filter(|f| !f.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_follow_their_call() {
        let trace = "getppid()  = 1\n > /bin/x(inner_call+0x9) [0x1182]\n > /bin/x(main+0x9) [0x11f5]\nexit_group(0) = ?\n+++ exited with 0 +++\n > /lib/libc.so.6(_exit+0x29) [0xd4409]\n";
        let calls = calls(trace).unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "getppid");
        assert_eq!(calls[1].frames, ["/lib/libc.so.6(_exit+0x29) [0xd4409]"]);
        assert!(super::calls(" > /bin/x(main+0x9) [0x11f5]\n").is_err());
    }

    #[test]
    fn a_frames_file_and_function() {
        assert_eq!(
            frame_parts("/bin/x(inner_call+0x9) [0x1182]"),
            Some(("/bin/x", Some("inner_call")))
        );
        assert_eq!(frame_parts("/bin/x() [0x1182]"), Some(("/bin/x", None)));
        assert_eq!(frame_parts("unexpected_backtracing_error [0x10]"), None);
        assert_eq!(frame_parts("too many stack frames"), None);
    }
}
