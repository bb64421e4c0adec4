rtrace_fuzz::fuzz_family_test!(
    mem,
    rtrace_mem::DECODERS,
    array("process_vm_readv", 1, 2),
    array("process_vm_writev", 1, 2),
    array("process_madvise", 1, 2),
    array("move_pages", 2, 1)
);
