//! What each stop means for the thread: exits, syscall stops, signals, group-stops and
//! ptrace events.

use std::sync::Arc;

use nix::sys::ptrace;
use nix::unistd::Pid;

use super::{Thread, Tracer};
use crate::hold::Resume;
use crate::interrupt::{set_wake_tid, wake_tid};
use crate::observer::{Observer, StopAction};
use crate::placement::Activity;
use crate::stop::ExitKind;
use crate::syscall_info::read_syscall_stop;
use crate::wait_status::{is_stop_signal, restart};

impl Tracer {
    pub(super) fn handle_status(&mut self, observer: &mut dyn Observer, pid: i32, status: i32) {
        if libc::WIFEXITED(status) {
            self.thread_gone(observer, pid, ExitKind::Exited(libc::WEXITSTATUS(status)));
        } else if libc::WIFSIGNALED(status) {
            let how = ExitKind::Killed {
                signal: libc::WTERMSIG(status),
                core_dumped: libc::WCOREDUMP(status),
            };
            self.thread_gone(observer, pid, how);
        } else if libc::WIFSTOPPED(status) {
            self.handle_stop(
                observer,
                pid,
                libc::WSTOPSIG(status),
                (status >> 16) & 0xffff,
            );
        }
    }

    fn thread_gone(&mut self, observer: &mut dyn Observer, pid: i32, how: ExitKind) {
        if self.threads.remove(&pid).is_none() {
            if !self.options.follow_forks {
                // An untraced child gone before its first stop.
                self.untraced_done(pid);
            }
            return;
        }
        if !self.holds.is_empty() {
            self.holds.forget(pid);
        }
        if Some(pid) == self.launched_pid {
            self.launched_exit = Some(how);
        }
        if wake_tid() == pid {
            set_wake_tid(self.threads.keys().next().copied().unwrap_or(0));
        }
        observer.exited(pid, how);
    }

    pub(super) fn thread(&mut self, pid: i32, observer: &mut dyn Observer) -> &mut Thread {
        if !self.threads.contains_key(&pid) {
            // A new child's first stop can arrive before its parent's fork event.
            self.add_thread(pid, false);
            observer.new_tracee(pid);
        }
        self.threads.get_mut(&pid).expect("just inserted")
    }

    /// Lets a stopped thread run on: to its next syscall stop, or, under a seccomp
    /// filter and outside a syscall, until the filter or a signal stops it.
    pub(super) fn resume(&self, pid: i32, sig: i32) {
        if let Some(thread) = self.threads.get(&pid) {
            thread.activity.resumed(!thread.in_syscall);
        }
        restart(self.restart_request(pid), pid, sig);
    }

    fn restart_request(&self, pid: i32) -> libc::c_uint {
        let in_syscall = self.threads.get(&pid).is_some_and(|t| t.in_syscall);
        if self.options.seccomp.is_some() && !in_syscall {
            libc::PTRACE_CONT
        } else {
            libc::PTRACE_SYSCALL
        }
    }

    /// Resumes a thread after its syscall stop as the observer asks: with a signal, or
    /// held stopped for a while first. A signal asked for at a seccomp stop (an event
    /// stop, whose restart signal the kernel ignores) goes with the exit stop's restart:
    /// delivered on the way back to user space, as one given at a syscall-entry stop is.
    fn resume_after_syscall(&mut self, observer: &mut dyn Observer, pid: i32, seccomp: bool) {
        let Resume { mut signal, delay } = observer.resume(pid);
        if self.options.seccomp.is_some() {
            if let Some(thread) = self.threads.get_mut(&pid) {
                if seccomp {
                    thread.exit_signal = std::mem::take(&mut signal);
                } else if !thread.in_syscall && thread.exit_signal != 0 {
                    signal = std::mem::take(&mut thread.exit_signal);
                }
            }
        }
        match delay {
            Some(delay) => {
                let request = self.restart_request(pid);
                self.holds.hold(pid, request, signal, delay);
            }
            None => self.resume(pid, signal),
        }
    }

    fn handle_stop(&mut self, observer: &mut dyn Observer, pid: i32, sig: i32, event: i32) {
        // Without -f an unknown thread is an untraced child, but for an exec event: the
        // traced thread that exec'd, reporting under its leader's pid.
        if !self.options.follow_forks
            && event != libc::PTRACE_EVENT_EXEC
            && !self.threads.contains_key(&pid)
        {
            self.untraced_stopped(pid, sig, event);
            return;
        }
        if sig == libc::SIGTRAP | 0x80 {
            self.syscall_stop_then_resume(observer, pid, false);
            return;
        }
        match event {
            0 => self.signal_stop(observer, pid, sig),
            libc::PTRACE_EVENT_STOP => {
                let thread = self.thread(pid, observer);
                if std::mem::replace(&mut thread.starting, false) || !is_stop_signal(sig) {
                    self.resume(pid, 0);
                } else {
                    observer.group_stop(pid, sig);
                    restart(libc::PTRACE_LISTEN, pid, 0);
                }
            }
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                let child = ptrace::getevent(Pid::from_raw(pid)).map(|c| c as i32);
                // Placement's policy tells parents from workers.
                if let Some(parent) = self.threads.get(&pid) {
                    parent.activity.forked();
                }
                match child {
                    Ok(child) if !self.options.follow_forks => {
                        return self.untraced_forked(pid, child);
                    }
                    Ok(child) if !self.threads.contains_key(&child) => {
                        let launched = self.threads.get(&pid).is_some_and(|t| t.launched);
                        self.add_thread(child, launched);
                        observer.new_tracee(child);
                    }
                    _ => {}
                }
                self.resume(pid, 0);
            }
            libc::PTRACE_EVENT_EXEC => {
                let former = ptrace::getevent(Pid::from_raw(pid))
                    .map(|t| t as i32)
                    .unwrap_or(pid);
                if former != pid {
                    // The exec'ing thread takes over the leader's pid: its state moves.
                    if let Some(mut state) = self.threads.remove(&former) {
                        // Placement watches it under its new tid, afresh.
                        state.activity = Arc::new(Activity::default());
                        let activity = Arc::clone(&state.activity);
                        self.threads.insert(pid, state);
                        self.placement
                            .tracee_added(pid, &activity, self.threads.len());
                    }
                }
                observer.exec(pid, former);
                self.resume(pid, 0);
            }
            libc::PTRACE_EVENT_SECCOMP => {
                // The filter selected this syscall: it is the entry stop.
                self.syscall_stop_then_resume(observer, pid, true);
            }
            _ => self.resume(pid, 0),
        }
    }

    fn signal_stop(&mut self, observer: &mut dyn Observer, pid: i32, sig: i32) {
        self.thread(pid, observer).starting = false;
        match ptrace::getsiginfo(Pid::from_raw(pid)) {
            Ok(info) => observer.signal(pid, &info),
            // No siginfo: a group-stop of a thread not seized (cannot happen with SEIZE).
            Err(_) if is_stop_signal(sig) => {
                observer.group_stop(pid, sig);
                restart(libc::PTRACE_LISTEN, pid, 0);
                return;
            }
            Err(_) => {}
        }
        self.resume(pid, sig);
    }

    /// Reports a syscall stop, then lets the thread run on, or leaves it running when
    /// the observer asks to detach (`-b execve`).
    /// `seccomp`: the stop is a seccomp event (the entry under `--seccomp-bpf`).
    fn syscall_stop_then_resume(&mut self, observer: &mut dyn Observer, pid: i32, seccomp: bool) {
        if self.syscall_stop(observer, pid) == StopAction::Detach {
            self.detach_stopped(observer, pid, 0);
        } else {
            self.resume_after_syscall(observer, pid, seccomp);
        }
    }

    fn syscall_stop(&mut self, observer: &mut dyn Observer, pid: i32) -> StopAction {
        let thread = self.thread(pid, observer);
        thread.starting = false;
        if thread.in_syscall && thread.ignore_exit {
            // The exit of a call the observer passed on.
            thread.in_syscall = false;
            thread.ignore_exit = false;
            return StopAction::Continue;
        }
        let in_syscall = thread.in_syscall;
        let Some(stop) = read_syscall_stop(pid, in_syscall, &mut self.syscall_info) else {
            return StopAction::Continue;
        };
        let thread = self.threads.get_mut(&pid).expect("thread exists");
        thread.in_syscall = stop.is_entry();
        let action = observer.syscall(pid, &stop, self.last_system_time);
        if action == StopAction::IgnoreExit {
            if let Some(thread) = self.threads.get_mut(&pid) {
                thread.ignore_exit = thread.in_syscall;
            }
        }
        action
    }
}
