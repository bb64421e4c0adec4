//! The walk: framehop's native unwinder over a process's mapped files, and each frame
//! named by its mapping and the file's symbols.

use std::sync::Arc;

use framehop::{
    CacheNative, ExplicitModuleSectionInfo, FrameAddress, MayAllocateDuringUnwind, Module,
    UnwindRegsNative, Unwinder, UnwinderNative,
};
use rustc_hash::FxHashMap;

use crate::files::{FileCache, FileKey, MappedFile, SectionBytes};
use crate::maps::{read_maps, Mapping};
use crate::{signal_frame, Frame, FrameRegisters};

type NativeUnwinder = UnwinderNative<SectionBytes, MayAllocateDuringUnwind>;

/// An executable file mapping, as frames in it are named.
struct CodeMapping {
    mapping: Mapping,
    path: Arc<str>,
    /// The file and its load bias; `None` when it could not be read.
    file: Option<(Arc<MappedFile>, u64)>,
}

/// One process's view: its executable mappings and an unwinder with a module per
/// mapped file.
struct ProcessStack {
    generation: u64,
    code: Vec<CodeMapping>,
    unwinder: NativeUnwinder,
}

#[derive(Default)]
pub struct Unwinding {
    /// `-kk`: frames carry their source file and line.
    with_source: bool,
    /// Bumped whenever any process's mappings may have changed.
    generation: u64,
    files: FileCache,
    processes: FxHashMap<i32, ProcessStack>,
    /// framehop's rule cache (it knows when modules change).
    cache: Option<CacheNative<MayAllocateDuringUnwind>>,
    pages: StackPages,
}

impl Unwinding {
    pub fn new(with_source: bool) -> Unwinding {
        Unwinding {
            with_source,
            ..Unwinding::default()
        }
    }

    pub fn mappings_changed(&mut self) {
        self.generation += 1;
    }

    pub fn forget(&mut self, pid: i32) {
        if self.processes.remove(&pid).is_some() {
            self.files.sweep();
        }
    }

    pub fn cached_files(&self) -> usize {
        self.files.count()
    }

    pub fn walk(
        &mut self,
        pid: i32,
        registers: FrameRegisters,
        read_memory: &mut dyn FnMut(u64, &mut [u8]) -> usize,
        frame_limit: usize,
        frames: &mut Vec<Frame>,
    ) {
        let stale = self
            .processes
            .get(&pid)
            .is_none_or(|p| p.generation != self.generation);
        if stale {
            let process = ProcessStack::build(pid, self.generation, &mut self.files);
            self.processes.insert(pid, process);
            self.files.sweep();
        }
        let Some(process) = self.processes.get(&pid) else {
            return;
        };
        let cache = self.cache.get_or_insert_with(CacheNative::new);
        self.pages.clear();
        let pages = &mut self.pages;
        let mut read_stack = |address: u64| pages.read_word(address, read_memory);
        let mut regs = native_registers(registers);
        let mut address = FrameAddress::InstructionPointer(registers.pc);
        loop {
            if frames.len() == frame_limit {
                frames.push(Frame::TooMany);
                break;
            }
            let Some((frame, unwind_info)) = process.name(address, self.with_source) else {
                let address = address.address();
                // No code lives in the lowest page (the kernel's mmap_min_addr is at
                // least one page): such a "return address" is the end of the stack, not
                // a frame (strace prints nothing for 0).
                if address >= LOWEST_CODE_ADDRESS {
                    frames.push(Frame::Unexpected { address });
                }
                break;
            };
            frames.push(frame);
            // A signal handler returns into the sigreturn trampoline: the frame below
            // it is the interrupted code, whose registers the kernel saved on the stack
            // (libunwind, and so strace, goes on there; framehop does not know it).
            if let Some(interrupted) = process
                .is_sigreturn(address.address())
                .then(|| signal_frame::interrupted(regs_sp(&regs), &mut read_stack))
                .flatten()
            {
                address = FrameAddress::InstructionPointer(interrupted.pc);
                regs = native_registers(interrupted);
                continue;
            }
            if !unwind_info && ENDS_WITHOUT_UNWIND_INFO {
                break;
            }
            // An unwinding error ends the walk silently, as libunwind's failed step
            // does in strace.
            match process
                .unwinder
                .unwind_frame(address, &mut regs, cache, &mut read_stack)
            {
                Ok(Some(next)) => match FrameAddress::from_return_address(next) {
                    Some(next) => address = next,
                    None => break,
                },
                Ok(None) | Err(_) => break,
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn native_registers(r: FrameRegisters) -> UnwindRegsNative {
    UnwindRegsNative::new(r.pc, r.sp, r.fp)
}

fn regs_sp(regs: &UnwindRegsNative) -> u64 {
    regs.sp()
}

#[cfg(target_arch = "aarch64")]
fn native_registers(r: FrameRegisters) -> UnwindRegsNative {
    UnwindRegsNative::new(r.lr, r.sp, r.fp)
}

impl ProcessStack {
    fn build(pid: i32, generation: u64, files: &mut FileCache) -> ProcessStack {
        let maps = read_maps(pid);
        let mut unwinder = NativeUnwinder::new();
        // One module per file: its address range spans all of its mappings.
        let mut spans: Vec<(FileKey, u64, u64, Arc<MappedFile>, u64)> = Vec::new();
        let mut code = Vec::new();
        for mapping in &maps {
            let Some(path) = &mapping.path else { continue };
            let key = FileKey {
                path: path.clone(),
                device: mapping.device.clone(),
                inode: mapping.inode,
            };
            let file = files.get(&key);
            if let Some(span) = spans.iter_mut().find(|s| s.0 == key) {
                span.1 = span.1.min(mapping.start);
                span.2 = span.2.max(mapping.end);
            } else if let Some(file) = &file {
                if let Some(bias) = file.bias(mapping) {
                    spans.push((key, mapping.start, mapping.end, file.clone(), bias));
                }
            }
            if mapping.executable {
                let bias = spans
                    .iter()
                    .find(|s| s.0.path == *path && s.0.inode == mapping.inode)
                    .map(|s| s.4);
                code.push(CodeMapping {
                    mapping: mapping.clone(),
                    path: path.as_str().into(),
                    file: file.zip(bias),
                });
            }
        }
        for (key, start, end, file, bias) in spans {
            let section_info = ExplicitModuleSectionInfo {
                base_svma: 0,
                text_svma: file.text.as_ref().map(|s| s.svma.clone()),
                text: file.text.as_ref().map(|s| s.bytes.clone()),
                eh_frame_svma: file.eh_frame.as_ref().map(|s| s.svma.clone()),
                eh_frame: file.eh_frame.as_ref().map(|s| s.bytes.clone()),
                eh_frame_hdr_svma: file.eh_frame_hdr.as_ref().map(|s| s.svma.clone()),
                eh_frame_hdr: file.eh_frame_hdr.as_ref().map(|s| s.bytes.clone()),
                debug_frame: file.debug_frame.as_ref().map(|s| s.bytes.clone()),
                stubs_svma: None,
                stub_helper_svma: None,
                got_svma: None,
                unwind_info: None,
                text_segment_svma: None,
                text_segment: None,
            };
            unwinder.add_module(Module::new(key.path, start..end, bias, section_info));
        }
        ProcessStack {
            generation,
            code,
            unwinder,
        }
    }

    /// Whether `ip` is the start of the kernel's sigreturn trampoline in a file.
    fn is_sigreturn(&self, ip: u64) -> bool {
        !signal_frame::TRAMPOLINE.is_empty()
            && self.code_at(ip).is_some_and(|code| {
                code.file.as_ref().is_some_and(|(file, _)| {
                    let offset = ip - code.mapping.start + code.mapping.offset;
                    file.bytes_at(offset, signal_frame::TRAMPOLINE.len())
                        .is_some_and(|bytes| {
                            signal_frame::TRAMPOLINE
                                .iter()
                                .zip(bytes)
                                .all(|(a, b)| a == b)
                        })
                })
            })
    }

    /// The executable file mapping that holds `ip`.
    fn code_at(&self, ip: u64) -> Option<&CodeMapping> {
        let after = self.code.partition_point(|c| c.mapping.start <= ip);
        let code = self.code.get(after.checked_sub(1)?)?;
        code.mapping.contains(ip).then_some(code)
    }

    /// The frame for an address and whether an FDE covers it, or `None` when no
    /// executable file mapping holds it.
    fn name(&self, address: FrameAddress, with_source: bool) -> Option<(Frame, bool)> {
        let ip = address.address();
        // A return address names the call before it: look the symbol up one byte
        // back, and count the distance from the return address (libunwind's way).
        let lookup = match address {
            FrameAddress::InstructionPointer(ip) => ip,
            FrameAddress::ReturnAddress(ip) => ip.get() - 1,
        };
        let code = self.code_at(ip)?;
        let function = code.file.as_ref().and_then(|(file, bias)| {
            let (name, distance) = file.function_at(lookup.wrapping_sub(*bias))?;
            Some((name.clone(), distance + (ip - lookup)))
        });
        let unwind_info = code
            .file
            .as_ref()
            .is_some_and(|(file, bias)| file.has_unwind_info(lookup.wrapping_sub(*bias)));
        // strace (libdw) asks the line of the same address it names the function by.
        let source = code
            .file
            .as_ref()
            .filter(|_| with_source && function.is_some())
            .and_then(|(file, bias)| file.source_at(lookup.wrapping_sub(*bias)));
        let frame = Frame::Call {
            file: code.path.clone(),
            function,
            file_offset: ip - code.mapping.start + code.mapping.offset,
            source,
        };
        Some((frame, unwind_info))
    }
}

/// Whether a walk ends after a frame no FDE covers. On x86_64, libunwind (strace's
/// back end) falls back to the frame-pointer chain there, and code built without frame
/// pointers (glibc: the parent's side of `clone3`, ld.so's entry point) gives it no
/// frame, so strace's trace ends; framehop would guess the return address at the stack
/// pointer and go on. On aarch64 both follow the frame-pointer chain (x29), kept there.
const ENDS_WITHOUT_UNWIND_INFO: bool = cfg!(target_arch = "x86_64");

const PAGE: usize = 4096;
const LOWEST_CODE_ADDRESS: u64 = PAGE as u64;
const PAGE_SLOTS: usize = 8;

/// Stack pages read during one walk: a walk reads a few words per frame from a few
/// pages, and one read per page costs far less than one per word.
#[derive(Default)]
struct StackPages {
    slots: Vec<(u64, Box<[u8; PAGE]>, usize)>,
    next: usize,
}

impl StackPages {
    fn clear(&mut self) {
        for slot in &mut self.slots {
            slot.2 = 0;
        }
    }

    fn read_word(
        &mut self,
        address: u64,
        read_memory: &mut dyn FnMut(u64, &mut [u8]) -> usize,
    ) -> Result<u64, ()> {
        let page = address & !(PAGE as u64 - 1);
        let at = (address - page) as usize;
        if at + 8 > PAGE {
            // Across two pages: read it directly.
            let mut word = [0u8; 8];
            return (read_memory(address, &mut word) == 8)
                .then(|| u64::from_ne_bytes(word))
                .ok_or(());
        }
        let slot = match self.slots.iter().position(|s| s.0 == page && s.2 > 0) {
            Some(slot) => slot,
            None => {
                if self.slots.len() < PAGE_SLOTS {
                    self.slots.push((page, Box::new([0; PAGE]), 0));
                    self.next = self.slots.len() - 1;
                } else {
                    self.next = (self.next + 1) % PAGE_SLOTS;
                }
                let slot = &mut self.slots[self.next];
                slot.0 = page;
                slot.2 = read_memory(page, &mut slot.1[..]);
                self.next
            }
        };
        let (_, bytes, len) = &self.slots[slot];
        if at + 8 > *len {
            return Err(());
        }
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        Ok(u64::from_ne_bytes(word))
    }
}
