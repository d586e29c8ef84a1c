// A readable listing of eBPF instructions, one per line, in the kernel's
// verifier-log style ("r1 = *(u16 *)(r10 -128)", "if r0 != 0x0 goto +5"),
// for golden files of sockeye's programs: a change to a program shows as a
// diff of what it does to the bytecode.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "ebpf/bpf_insn.hpp"

namespace sockeye::ebpf::test {

inline std::string reg_name(unsigned r) { return "r" + std::to_string(r); }

inline std::string hex(std::int64_t v) {
    char buf[32];
    if (v < 0) {
        std::snprintf(buf, sizeof buf, "-%#llx", static_cast<unsigned long long>(-v));
    } else {
        std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
    }
    return buf;
}

inline std::string size_name(std::uint8_t code) {
    switch (code & 0x18) {
        case op::kB: return "u8";
        case op::kH: return "u16";
        case op::kW: return "u32";
        default: return "u64";
    }
}

inline std::string mem(unsigned reg, std::int16_t off, std::uint8_t code) {
    return "*(" + size_name(code) + " *)(" + reg_name(reg) + " " + (off < 0 ? "" : "+") +
           std::to_string(off) + ")";
}

inline std::string alu_name(std::uint8_t operation) {
    switch (operation) {
        case op::kAdd: return "+=";
        case op::kSub: return "-=";
        case op::kMul: return "*=";
        case op::kDiv: return "/=";
        case op::kOr: return "|=";
        case op::kAnd: return "&=";
        case op::kLsh: return "<<=";
        case op::kRsh: return ">>=";
        case op::kMod: return "%=";
        case op::kXor: return "^=";
        case op::kMov: return "=";
        case op::kArsh: return "s>>=";
        default: return "?=";
    }
}

inline std::string jump_name(std::uint8_t operation) {
    switch (operation) {
        case op::kJeq: return "==";
        case op::kJgt: return ">";
        case op::kJge: return ">=";
        case op::kJset: return "&";
        case op::kJne: return "!=";
        case op::kJsgt: return "s>";
        case op::kJsge: return "s>=";
        case op::kJlt: return "<";
        case op::kJle: return "<=";
        case op::kJslt: return "s<";
        case op::kJsle: return "s<=";
        default: return "?";
    }
}

inline std::string helper_name(std::int32_t id) {
    switch (id) {
        case helper::kMapLookupElem: return "map_lookup_elem";
        case helper::kMapUpdateElem: return "map_update_elem";
        case helper::kMapDeleteElem: return "map_delete_elem";
        case helper::kKtimeGetNs: return "ktime_get_ns";
        case helper::kGetCurrentPidTgid: return "get_current_pid_tgid";
        case helper::kGetCurrentUidGid: return "get_current_uid_gid";
        case helper::kGetCurrentComm: return "get_current_comm";
        case helper::kGetCurrentTask: return "get_current_task";
        case helper::kProbeReadKernel: return "probe_read_kernel";
        default: return "helper";
    }
}

inline std::string disassemble(const std::vector<Insn>& insns) {
    std::string out;
    for (std::size_t i = 0; i < insns.size(); ++i) {
        const Insn& in = insns[i];
        const unsigned dst = in.regs & 0x0f;
        const unsigned src = in.regs >> 4;
        const std::uint8_t cls = in.code & 0x07;
        const std::uint8_t operation = in.code & 0xf0;
        const bool from_reg = (in.code & op::kX) != 0;
        std::string text;
        if (cls == op::kAlu64 || cls == op::kAlu) {
            const std::string w = cls == op::kAlu ? "w" : "r";
            text = w + std::to_string(dst) + " " + alu_name(operation) + " " +
                   (from_reg ? w + std::to_string(src) : hex(in.imm));
        } else if (cls == op::kLdx) {
            text = reg_name(dst) + " = " + mem(src, in.off, in.code);
        } else if (cls == op::kStx) {
            text = mem(dst, in.off, in.code) + " = " + reg_name(src);
        } else if (cls == op::kSt) {
            text = mem(dst, in.off, in.code) + " = " + hex(in.imm);
        } else if (cls == op::kLd && i + 1 < insns.size()) {
            const auto low = static_cast<std::uint32_t>(in.imm);
            const auto high = static_cast<std::uint32_t>(insns[i + 1].imm);
            text = reg_name(dst) + " = " +
                   (src == op::kPseudoMapFd ? "map[fd " + std::to_string(in.imm) + "]"
                                            : hex(static_cast<std::int64_t>(
                                                  (std::uint64_t{high} << 32) | low)) + " ll");
            out += std::to_string(i) + ": " + text + "\n";
            ++i;  // the second half of the 64-bit load
            continue;
        } else if (cls == op::kJmp || cls == op::kJmp32) {
            if (operation == op::kCall) {
                text = "call " + helper_name(in.imm) + "#" + std::to_string(in.imm);
            } else if (operation == op::kExit) {
                text = "exit";
            } else if (operation == op::kJa) {
                text = "goto " + std::string(in.off < 0 ? "" : "+") + std::to_string(in.off);
            } else {
                text = "if " + reg_name(dst) + " " + jump_name(operation) + " " +
                       (from_reg ? reg_name(src) : hex(in.imm)) + " goto " +
                       (in.off < 0 ? "" : "+") + std::to_string(in.off);
            }
        } else {
            text = "? code " + hex(in.code);
        }
        out += std::to_string(i) + ": " + text + "\n";
    }
    return out;
}

}  // namespace sockeye::ebpf::test
