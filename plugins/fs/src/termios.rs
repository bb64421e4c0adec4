//! `struct termios` and `struct winsize` as strace prints them: the four flag words
//! always, `c_line` and `c_cc` only with `-v` (else `...`). The kernel's layout is the
//! same on x86_64 and ARM: four `u32` flag words, `c_line`, then 19 control chars.

use rtrace_sdk::kstruct::Fields;
use rtrace_sdk::{ConstTable, FlagTable, Out};

/// TCXONC's argument.
pub const FLOW_ACTIONS: &ConstTable = &ConstTable {
    names: &[(0, "TCOOFF"), (1, "TCOON"), (2, "TCIOFF"), (3, "TCION")],
    unknown: "TC???",
};

/// TCFLSH's argument.
pub const FLUSH_QUEUES: &ConstTable = &ConstTable {
    names: &[(0, "TCIFLUSH"), (1, "TCOFLUSH"), (2, "TCIOFLUSH")],
    unknown: "TC???",
};

/// The modem lines of TIOCMGET, TIOCMSET, TIOCMBIS and TIOCMBIC (x86 and ARM values).
pub const MODEM_LINES: &FlagTable = &FlagTable::bits(&[
    (0x001, "TIOCM_LE"),
    (0x002, "TIOCM_DTR"),
    (0x004, "TIOCM_RTS"),
    (0x008, "TIOCM_ST"),
    (0x010, "TIOCM_SR"),
    (0x020, "TIOCM_CTS"),
    (0x040, "TIOCM_CAR"),
    (0x080, "TIOCM_RNG"),
    (0x100, "TIOCM_DSR"),
    (0x2000, "TIOCM_OUT1"),
    (0x4000, "TIOCM_OUT2"),
    (0x8000, "TIOCM_LOOP"),
]);

pub const TERMIOS_SIZE: usize = 36;
pub const WINSIZE_SIZE: usize = 8;

const INPUT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o1, "IGNBRK"),
    (0o2, "BRKINT"),
    (0o4, "IGNPAR"),
    (0o10, "PARMRK"),
    (0o20, "INPCK"),
    (0o40, "ISTRIP"),
    (0o100, "INLCR"),
    (0o200, "IGNCR"),
    (0o400, "ICRNL"),
    (0o1000, "IUCLC"),
    (0o2000, "IXON"),
    (0o4000, "IXANY"),
    (0o10000, "IXOFF"),
    (0o20000, "IMAXBEL"),
    (0o40000, "IUTF8"),
]);

const OUTPUT_FLAGS: &[(u64, &str)] = &[
    (0o1, "OPOST"),
    (0o2, "OLCUC"),
    (0o4, "ONLCR"),
    (0o10, "OCRNL"),
    (0o20, "ONOCR"),
    (0o40, "ONLRET"),
    (0o100, "OFILL"),
    (0o200, "OFDEL"),
];

/// c_oflag's delay fields, always named, in strace's order: mask and names by value.
const OUTPUT_DELAYS: &[(u64, &[&str])] = &[
    (0o400, &["NL0", "NL1"]),
    (0o3000, &["CR0", "CR1", "CR2", "CR3"]),
    (0o14000, &["TAB0", "TAB1", "TAB2", "TAB3"]),
    (0o20000, &["BS0", "BS1"]),
    (0o40000, &["VT0", "VT1"]),
    (0o100000, &["FF0", "FF1"]),
];

const CONTROL_FLAGS: &[(u64, &str)] = &[
    (0o100, "CSTOPB"),
    (0o200, "CREAD"),
    (0o400, "PARENB"),
    (0o1000, "PARODD"),
    (0o2000, "HUPCL"),
    (0o4000, "CLOCAL"),
    (0o10000000000, "CMSPAR"),
    (0o20000000000, "CRTSCTS"),
];

const LOCAL_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o1, "ISIG"),
    (0o2, "ICANON"),
    (0o4, "XCASE"),
    (0o10, "ECHO"),
    (0o20, "ECHOE"),
    (0o40, "ECHOK"),
    (0o100, "ECHONL"),
    (0o200, "NOFLSH"),
    (0o100000, "IEXTEN"),
    (0o1000, "ECHOCTL"),
    (0o2000, "ECHOPRT"),
    (0o4000, "ECHOKE"),
    (0o10000, "FLUSHO"),
    (0o40000, "PENDIN"),
    (0o400, "TOSTOP"),
    (0o200000, "EXTPROC"),
]);

const CBAUD: u64 = 0o10017;
const CIBAUD: u64 = 0o2003600000;
const CSIZE: u64 = 0o60;

const BAUD_RATES: &[(u64, &str)] = &[
    (0, "B0"),
    (1, "B50"),
    (2, "B75"),
    (3, "B110"),
    (4, "B134"),
    (5, "B150"),
    (6, "B200"),
    (7, "B300"),
    (0o10, "B600"),
    (0o11, "B1200"),
    (0o12, "B1800"),
    (0o13, "B2400"),
    (0o14, "B4800"),
    (0o15, "B9600"),
    (0o16, "B19200"),
    (0o17, "B38400"),
    (0o10000, "BOTHER"),
    (0o10001, "B57600"),
    (0o10002, "B115200"),
    (0o10003, "B230400"),
    (0o10004, "B460800"),
    (0o10005, "B500000"),
    (0o10006, "B576000"),
    (0o10007, "B921600"),
    (0o10010, "B1000000"),
    (0o10011, "B1152000"),
    (0o10012, "B1500000"),
    (0o10013, "B2000000"),
    (0o10014, "B2500000"),
    (0o10015, "B3000000"),
    (0o10016, "B3500000"),
    (0o10017, "B4000000"),
];

const CONTROL_CHARS: &[&str] = &[
    "VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP",
    "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
];

use crate::kernel_consts::LINE_DISCIPLINES;

/// Names the bits of `value` from `names` into an open flag group; returns the rest.
fn name_bits(out: &mut Out<'_>, mut value: u64, names: &[(u64, &'static str)]) -> u64 {
    for &(bit, name) in names {
        if value & bit == bit {
            out.name(name);
            value &= !bit;
        }
    }
    value
}

fn emit_oflag(out: &mut Out<'_>, value: u64) {
    out.begin_flags();
    let mut rest = value;
    for &(mask, names) in OUTPUT_DELAYS {
        let index = (value & mask) >> mask.trailing_zeros();
        out.name(names[index as usize]);
        rest &= !mask;
    }
    let rest = name_bits(out, rest, OUTPUT_FLAGS);
    if rest != 0 {
        out.hex(rest);
    }
    out.end();
}

fn baud(out: &mut Out<'_>, value: u64) {
    match BAUD_RATES.iter().find(|(v, _)| *v == value) {
        Some((_, name)) => out.name(name),
        None => out.text_fmt(format_args!("{value:#o} /* B??? */")),
    }
}

fn emit_cflag(out: &mut Out<'_>, value: u64) {
    out.begin_flags();
    baud(out, value & CBAUD);
    if value & CIBAUD != 0 {
        // strace: `B9600<<IBSHIFT`.
        let input = (value & CIBAUD) >> 16;
        match BAUD_RATES.iter().find(|(v, _)| *v == input) {
            Some((_, name)) => out.text_fmt(format_args!("{name}<<IBSHIFT")),
            None => out.text_fmt(format_args!("{input:#o}<<IBSHIFT")),
        }
    }
    out.name(["CS5", "CS6", "CS7", "CS8"][((value & CSIZE) >> 4) as usize]);
    let rest = name_bits(out, value & !(CBAUD | CIBAUD | CSIZE), CONTROL_FLAGS);
    if rest != 0 {
        out.hex(rest);
    }
    out.end();
}

/// `{c_iflag=ICRNL|IXON, c_oflag=..., c_cflag=B38400|CS8|CREAD, c_lflag=..., ...}`.
pub fn emit_termios(out: &mut Out<'_>, f: &Fields<'_>, verbose: bool) {
    out.begin_struct();
    out.field("c_iflag");
    out.flags(f.u32(0), INPUT_FLAGS);
    out.field("c_oflag");
    emit_oflag(out, f.u32(4));
    out.field("c_cflag");
    emit_cflag(out, f.u32(8));
    out.field("c_lflag");
    out.flags(f.u32(12), LOCAL_FLAGS);
    if !verbose {
        out.ellipsis();
        out.end();
        return;
    }
    out.field("c_line");
    let line = f.unsigned(16, 1);
    out.constant(line, LINE_DISCIPLINES, "N_???");
    out.field("c_cc");
    out.begin_array();
    for index in 0..19usize {
        let value = f.unsigned(17 + index, 1);
        // strace's PRINT_VAL_X: `0` for zero, else hex.
        match (CONTROL_CHARS.get(index), value) {
            (Some(name), 0) => out.text_fmt(format_args!("[{name}]=0")),
            (Some(name), v) => out.text_fmt(format_args!("[{name}]={v:#x}")),
            (None, 0) => out.text_fmt(format_args!("[{index}]=0")),
            (None, v) => out.text_fmt(format_args!("[{index}]={v:#x}")),
        }
    }
    out.end();
    out.end();
}

/// `{ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}`.
pub fn emit_winsize(out: &mut Out<'_>, f: &Fields<'_>) {
    out.begin_struct();
    for (index, name) in ["ws_row", "ws_col", "ws_xpixel", "ws_ypixel"]
        .into_iter()
        .enumerate()
    {
        out.field(name);
        out.uint(f.u16(2 * index));
    }
    out.end();
}
