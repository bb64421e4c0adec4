//! Device numbers as strace prints them (`makedev(0x1, 0x3)`), from the kernel's
//! encoding of a `dev_t`: stat's devices, mknod's, a loop device's, a unix socket's
//! filesystem in a sock_diag reply.

use crate::value_builder::Out;

impl Out<'_> {
    /// `makedev(0x1, 0x3)` for the kernel's encoding `dev` (major in bits 8-19 and
    /// 32-43, minor in bits 0-7 and 20-31); the encoding itself under `-X raw` (`0x103`),
    /// both under `-X verbose`.
    pub fn device_number(&mut self, dev: u64) {
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
        let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
        self.begin_flag_set(dev);
        self.begin_call("makedev");
        self.hex(major & 0xffff_ffff);
        self.hex(minor & 0xffff_ffff);
        self.end();
        self.end();
    }
}
