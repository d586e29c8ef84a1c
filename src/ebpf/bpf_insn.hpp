// A small builder for eBPF instructions, so sockeye's kernel programs are
// written in C++ next to their loader instead of being compiled by a second
// toolchain and embedded as an ELF object (which would need an ELF reader at
// run time: the libelf/libbpf dependency this module exists to avoid).
//
// Encoding as the kernel documents it (Documentation/bpf/standardization/
// instruction-set.rst): 8 bytes per instruction: opcode, a register byte
// (dst in the low nibble, src in the high one on little-endian machines), a
// signed 16-bit offset and a signed 32-bit immediate. A 64-bit immediate load
// takes two slots. Jumps count instructions after the jump itself; the
// builder resolves forward jumps to labels when the program is finished.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sockeye::ebpf {

struct Insn {
    std::uint8_t code = 0;
    std::uint8_t regs = 0;  // dst | src << 4 on little-endian hosts
    std::int16_t off = 0;
    std::int32_t imm = 0;

    friend bool operator==(const Insn&, const Insn&) = default;
};
static_assert(sizeof(Insn) == 8, "struct bpf_insn is 8 bytes");

enum Reg : std::uint8_t { R0 = 0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

// Opcode fields (instruction-set.rst, "Instruction classes" and friends).
namespace op {
inline constexpr std::uint8_t kLd = 0x00, kLdx = 0x01, kSt = 0x02, kStx = 0x03, kAlu = 0x04,
                              kJmp = 0x05, kJmp32 = 0x06, kAlu64 = 0x07;
inline constexpr std::uint8_t kK = 0x00, kX = 0x08;  // source: immediate or register
inline constexpr std::uint8_t kAdd = 0x00, kSub = 0x10, kMul = 0x20, kDiv = 0x30, kOr = 0x40,
                              kAnd = 0x50, kLsh = 0x60, kRsh = 0x70, kNeg = 0x80, kMod = 0x90,
                              kXor = 0xa0, kMov = 0xb0, kArsh = 0xc0;
inline constexpr std::uint8_t kJa = 0x00, kJeq = 0x10, kJgt = 0x20, kJge = 0x30, kJset = 0x40,
                              kJne = 0x50, kJsgt = 0x60, kJsge = 0x70, kCall = 0x80,
                              kExit = 0x90, kJlt = 0xa0, kJle = 0xb0, kJslt = 0xc0, kJsle = 0xd0;
inline constexpr std::uint8_t kW = 0x00, kH = 0x08, kB = 0x10, kDw = 0x18;  // load/store sizes
inline constexpr std::uint8_t kImm = 0x00, kMem = 0x60;                    // load/store modes
inline constexpr std::uint8_t kPseudoMapFd = 1;  // src_reg of a 64-bit load: imm is a map fd
}  // namespace op

// Access sizes in bytes -> the size field (1, 2, 4, 8).
std::uint8_t size_code(int bytes);

// One instruction, encoded.
Insn make_insn(std::uint8_t code, Reg dst, Reg src, std::int16_t off, std::int32_t imm);

// Kernel helper ids (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER order).
namespace helper {
inline constexpr std::int32_t kMapLookupElem = 1, kMapUpdateElem = 2, kMapDeleteElem = 3,
                              kKtimeGetNs = 5, kGetCurrentPidTgid = 14, kGetCurrentUidGid = 15,
                              kGetCurrentComm = 16, kGetCurrentTask = 35, kProbeReadKernel = 113;
}  // namespace helper

class Label {
public:
    Label() = default;

private:
    friend class ProgramBuilder;
    explicit Label(std::size_t id) : id_(id) {}
    std::size_t id_ = static_cast<std::size_t>(-1);
};

class ProgramBuilder {
public:
    // dst = imm / dst = src (64-bit unless noted)
    void mov_imm(Reg dst, std::int32_t imm);
    void mov_reg(Reg dst, Reg src);
    void mov32_reg(Reg dst, Reg src);  // zero-extends
    void alu_imm(std::uint8_t alu_op, Reg dst, std::int32_t imm);
    void alu_reg(std::uint8_t alu_op, Reg dst, Reg src);
    // dst = *(size *)(src + off)
    void load(int bytes, Reg dst, Reg src, std::int16_t off);
    // *(size *)(dst + off) = src
    void store(int bytes, Reg dst, std::int16_t off, Reg src);
    // *(size *)(dst + off) = imm
    void store_imm(int bytes, Reg dst, std::int16_t off, std::int32_t imm);
    // dst = map (the loader replaces the fd by the map's address)
    void load_map_fd(Reg dst, int map_fd);
    void load_imm64(Reg dst, std::uint64_t value);
    void call(std::int32_t helper_id);
    void exit();

    Label new_label();
    // Binds `label` to the next instruction emitted.
    void bind(Label label);
    void jump(Label target);
    // if (dst <op> imm) goto target  /  if (dst <op> src) goto target
    void jump_imm(std::uint8_t jmp_op, Reg dst, std::int32_t imm, Label target);
    void jump_reg(std::uint8_t jmp_op, Reg dst, Reg src, Label target);

    // The program with its jumps resolved. ErrorCode::internal when a label
    // was never bound or a jump is out of the 16-bit offset's range: the
    // program's builder is wrong, not the kernel.
    [[nodiscard]] core::Result<std::vector<Insn>> finish() const;
    [[nodiscard]] std::size_t size() const { return insns_.size(); }

private:
    struct Fixup {
        std::size_t at;
        std::size_t label;
    };
    void emit(const Insn& insn) { insns_.push_back(insn); }
    void emit_jump(std::uint8_t code, Reg dst, Reg src, std::int32_t imm, Label target);

    std::vector<Insn> insns_;
    std::vector<std::size_t> labels_;  // instruction index, or npos while unbound
    std::vector<Fixup> fixups_;
};

}  // namespace sockeye::ebpf
