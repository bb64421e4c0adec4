//! A decoder family under test: a plugin's decoder table and what the checks need to
//! know about it beyond the table.

use rtrace_sdk::Syscall;

/// One plugin's decoder table, as its exported `decode` entry sees it.
#[derive(Clone, Copy)]
pub struct Family {
    pub name: &'static str,
    pub decoders: &'static [Syscall],
    /// Arguments pointing at structures that custom decoders read: when such a pointer
    /// is unmapped, the output must show its address. Table kinds (paths, strings,
    /// buffers, pointers) need no entry; the check knows them.
    pub struct_pointers: &'static [StructPointer],
}

/// Argument `arg` of `syscall` points at a structure (or an array of `count_arg`
/// elements: with a count of 0 nothing is read and `[]` is right).
#[derive(Clone, Copy, Debug)]
pub struct StructPointer {
    pub syscall: &'static str,
    pub arg: usize,
    pub count_arg: Option<usize>,
    /// The count is a C `int`/`unsigned int`: only its low 32 bits count (a 64-bit
    /// register holding 0x100000000 is a count of 0).
    pub count_is_32_bit: bool,
    /// The array holds as many elements as the call returned (a failed call or 0:
    /// nothing is read, and `[]` or the address is right).
    pub count_is_return: bool,
}

pub const fn at(syscall: &'static str, arg: usize) -> StructPointer {
    StructPointer {
        syscall,
        arg,
        count_arg: None,
        count_is_32_bit: false,
        count_is_return: false,
    }
}

pub const fn array(syscall: &'static str, arg: usize, count_arg: usize) -> StructPointer {
    StructPointer {
        syscall,
        arg,
        count_arg: Some(count_arg),
        count_is_32_bit: false,
        count_is_return: false,
    }
}

/// An array at argument `arg` whose length is the call's return value, shown at exit
/// (lsm_list_modules' ids).
pub const fn array_of_returned_count(syscall: &'static str, arg: usize) -> StructPointer {
    StructPointer {
        count_is_return: true,
        ..at(syscall, arg)
    }
}

/// As [`array`], for a count the syscall takes as a 32-bit `int` or `unsigned int`.
pub const fn array_of_u32_count(
    syscall: &'static str,
    arg: usize,
    count_arg: usize,
) -> StructPointer {
    StructPointer {
        count_is_32_bit: true,
        ..array(syscall, arg, count_arg)
    }
}

/// The fuzz test of one family: a test binary of its own, so that only that plugin is
/// linked (each plugin rlib exports the same root-module symbol) and an aborting
/// decoder stops that family only. Adding a family is one file in `tests/` holding
///
/// ```text
/// rtrace_fuzz::fuzz_family_test!(fs, rtrace_fs::DECODERS, at("fstat", 1), array("readv", 1, 2));
/// ```
/// and its plugin as a dependency of this crate. The name becomes the family's name
/// in reports; the rest lists its [`StructPointer`]s.
#[macro_export]
macro_rules! fuzz_family_test {
    ($name:ident, $decoders:expr $(, $pointer:expr)* $(,)?) => {
        #[global_allocator]
        static ALLOCATOR: $crate::guard::GuardedAlloc = $crate::guard::GuardedAlloc;

        #[test]
        fn $name() {
            #[allow(unused_imports)]
            use $crate::families::{array, array_of_returned_count, array_of_u32_count, at};
            const FAMILY: $crate::families::Family = $crate::families::Family {
                name: stringify!($name),
                decoders: $decoders,
                struct_pointers: &[$($pointer),*],
            };
            $crate::runner::family_test(&FAMILY);
        }
    };
}
