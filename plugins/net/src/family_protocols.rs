//! socket's protocol for the address families beyond AF_INET, AF_INET6, AF_NETLINK and
//! AF_PACKET, each with the default strace writes for a protocol it does not know
//! (`0x63 /* BTPROTO_??? */`), in strace 7.2's order. The tables of UAPI names are
//! generated (`kernel_consts`); the others are typed here.

use rtrace_sdk::ConstTable;

use crate::kernel_consts::{
    CAIF_PROTOCOLS as CAIF, CAN_PROTOCOLS as CAN, KCM_PROTOCOLS as KCM, NFC_PROTOCOLS as NFC,
    PHONET_PROTOCOLS as PHONET,
};

/// Typed by hand, as are BLUETOOTH, ISDN and SMC below: no UAPI header has these names
/// (the kernel's net/ax25.h, net/bluetooth/bluetooth.h, linux/mISDNif.h, net/smc/smc.h).
const AX25: &[(u64, &str)] = &[
    (0x01, "AX25_P_ROSE"),
    (0x06, "AX25_P_VJCOMP"),
    (0x07, "AX25_P_VJUNCOMP"),
    (0x08, "AX25_P_SEGMENT"),
    (0xc3, "AX25_P_TEXNET"),
    (0xc4, "AX25_P_LQ"),
    (0xca, "AX25_P_ATALK"),
    (0xcb, "AX25_P_ATALK_ARP"),
    (0xcc, "AX25_P_IP"),
    (0xcd, "AX25_P_ARP"),
    (0xce, "AX25_P_FLEXNET"),
    (0xcf, "AX25_P_NETROM"),
    (0xf0, "AX25_P_TEXT"),
];

const BLUETOOTH: &[(u64, &str)] = &[
    (0, "BTPROTO_L2CAP"),
    (1, "BTPROTO_HCI"),
    (2, "BTPROTO_SCO"),
    (3, "BTPROTO_RFCOMM"),
    (4, "BTPROTO_BNEP"),
    (5, "BTPROTO_CMTP"),
    (6, "BTPROTO_HIDP"),
    (7, "BTPROTO_AVDTP"),
];

const ISDN: &[(u64, &str)] = &[
    (0, "ISDN_P_BASE"),
    (1, "ISDN_P_TE_S0"),
    (2, "ISDN_P_NT_S0"),
    (3, "ISDN_P_TE_E1"),
    (4, "ISDN_P_NT_E1"),
    (0x10, "ISDN_P_LAPD_TE"),
    (0x11, "ISDN_P_LAPD_NT"),
    (0x21, "ISDN_P_B_RAW"),
    (0x22, "ISDN_P_B_HDLC"),
    (0x23, "ISDN_P_B_X75SLP"),
    (0x24, "ISDN_P_B_L2DTMF"),
    (0x25, "ISDN_P_B_L2DSP"),
    (0x26, "ISDN_P_B_L2DSPHDLC"),
];

const SMC: &[(u64, &str)] = &[(0, "SMCPROTO_SMC"), (1, "SMCPROTO_SMC6")];

/// AF_AX25: its protocols are shown with their value (`0xcc /* AX25_P_IP */`).
pub const AF_AX25: u64 = 3;

/// By family: the protocols' names and strace's default for an unknown one.
pub const FAMILY_PROTOCOLS: &[(u64, &ConstTable)] = &[
    (AF_AX25, &protocols(AX25, "AX25_P_???")),
    (23, &protocols(CAN, "IRDAPROTO_???")), // AF_IRDA
    (29, &protocols(CAN, "CAN_???")),       // AF_CAN
    (31, &protocols(BLUETOOTH, "BTPROTO_???")),
    (34, &protocols(ISDN, "ISDN_P_???")),
    (35, &protocols(PHONET, "PN_PROTO_???")),
    (37, &protocols(CAIF, "CAIFPROTO_???")),
    (39, &protocols(NFC, "NFC_SOCKPROTO_???")),
    (41, &protocols(KCM, "KCMPROTO_???")),
    (43, &protocols(SMC, "SMCPROTO_???")),
];

const fn protocols(names: &'static [(u64, &'static str)], unknown: &'static str) -> ConstTable {
    ConstTable { names, unknown }
}
