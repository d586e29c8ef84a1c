// Instruction encodings against the layout the kernel documents
// (Documentation/bpf/standardization/instruction-set.rst): opcode = operation
// | source | class, dst register in the low nibble of byte 1 and src in the
// high one (little-endian), 16-bit offset, 32-bit immediate.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ebpf/bpf_insn.hpp"

namespace sockeye::ebpf {
namespace {

std::vector<std::uint8_t> bytes_of(const std::vector<Insn>& insns) {
    std::vector<std::uint8_t> out(insns.size() * 8);
    std::memcpy(out.data(), insns.data(), out.size());
    return out;
}

std::vector<Insn> build(ProgramBuilder& b) {
    auto out = b.finish();
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    return out ? *out : std::vector<Insn>{};
}

TEST(BpfInsn, MovAndExitAsTheDocumentedBytes) {
    ProgramBuilder b;
    b.mov_imm(R0, 0);  // BPF_ALU64 | BPF_MOV | BPF_K = 0xb7
    b.exit();          // BPF_JMP | BPF_EXIT = 0x95
    const std::vector<std::uint8_t> expected = {0xb7, 0x00, 0, 0, 0, 0, 0, 0,
                                                0x95, 0x00, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(bytes_of(build(b)), expected);
}

TEST(BpfInsn, RegistersGoDstLowSrcHigh) {
    ProgramBuilder b;
    b.mov_reg(R6, R1);                 // 0xbf, dst 6, src 1
    b.load(8, R7, R6, 16);             // BPF_LDX | BPF_MEM | BPF_DW = 0x79
    b.store(4, R10, -8, R0);           // BPF_STX | BPF_MEM | BPF_W = 0x63
    b.store_imm(2, R10, -4, 0x1234);   // BPF_ST | BPF_MEM | BPF_H = 0x6a
    b.load(1, R2, R3, 1);              // BPF_LDX | BPF_MEM | BPF_B = 0x71
    const auto insns = build(b);
    ASSERT_EQ(insns.size(), 5u);
    EXPECT_EQ(insns[0], (Insn{0xbf, 0x16, 0, 0}));
    EXPECT_EQ(insns[1], (Insn{0x79, 0x67, 16, 0}));
    EXPECT_EQ(insns[2], (Insn{0x63, 0x0a, -8, 0}));
    EXPECT_EQ(insns[3], (Insn{0x6a, 0x0a, -4, 0x1234}));
    EXPECT_EQ(insns[4], (Insn{0x71, 0x32, 1, 0}));
    // Offsets are little-endian signed 16 bits: -8 = f8 ff.
    const auto raw = bytes_of(insns);
    EXPECT_EQ(raw[16 + 2], 0xf8);
    EXPECT_EQ(raw[16 + 3], 0xff);
}

TEST(BpfInsn, AluOperations) {
    ProgramBuilder b;
    b.alu_imm(op::kAdd, R1, -128);  // 0x07
    b.alu_imm(op::kRsh, R0, 32);    // 0x77
    b.alu_reg(op::kXor, R2, R3);    // 0xaf
    b.mov32_reg(R4, R5);            // BPF_ALU | BPF_MOV | BPF_X = 0xbc
    const auto insns = build(b);
    EXPECT_EQ(insns[0], (Insn{0x07, 0x01, 0, -128}));
    EXPECT_EQ(insns[1], (Insn{0x77, 0x00, 0, 32}));
    EXPECT_EQ(insns[2], (Insn{0xaf, 0x32, 0, 0}));
    EXPECT_EQ(insns[3], (Insn{0xbc, 0x54, 0, 0}));
}

TEST(BpfInsn, MapFdLoadTakesTwoSlots) {
    ProgramBuilder b;
    b.load_map_fd(R1, 7);  // BPF_LD | BPF_DW | BPF_IMM = 0x18, src = BPF_PSEUDO_MAP_FD (1)
    b.load_imm64(R2, 0x1122334455667788ULL);
    const auto insns = build(b);
    ASSERT_EQ(insns.size(), 4u);
    EXPECT_EQ(insns[0], (Insn{0x18, 0x11, 0, 7}));
    EXPECT_EQ(insns[1], (Insn{0x00, 0x00, 0, 0}));
    EXPECT_EQ(insns[2], (Insn{0x18, 0x02, 0, 0x55667788}));
    EXPECT_EQ(insns[3], (Insn{0x00, 0x00, 0, 0x11223344}));
}

TEST(BpfInsn, CallCarriesTheHelperId) {
    ProgramBuilder b;
    b.call(helper::kProbeReadKernel);  // BPF_JMP | BPF_CALL = 0x85
    EXPECT_EQ(build(b)[0], (Insn{0x85, 0x00, 0, 113}));
}

TEST(BpfInsn, JumpOffsetsCountFromTheNextInstruction) {
    ProgramBuilder b;
    const Label out = b.new_label();
    const Label top = b.new_label();
    b.bind(top);
    b.jump_imm(op::kJeq, R0, 0, out);   // 0: 0x15, to 4 -> off 3
    b.jump_reg(op::kJne, R1, R2, out);  // 1: 0x5d, to 4 -> off 2
    b.jump(out);                        // 2: 0x05, to 4 -> off 1
    b.jump(top);                        // 3: back to 0 -> off -4
    b.bind(out);
    b.exit();                           // 4
    const auto insns = build(b);
    EXPECT_EQ(insns[0], (Insn{0x15, 0x00, 3, 0}));
    EXPECT_EQ(insns[1], (Insn{0x5d, 0x21, 2, 0}));
    EXPECT_EQ(insns[2], (Insn{0x05, 0x00, 1, 0}));
    EXPECT_EQ(insns[3], (Insn{0x05, 0x00, -4, 0}));
}

TEST(BpfInsn, UnboundLabelIsAnError) {
    ProgramBuilder b;
    const Label nowhere = b.new_label();
    b.jump(nowhere);
    const auto out = b.finish();
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, core::ErrorCode::internal);
    EXPECT_NE(out.error().message.find("never bound"), std::string::npos);
}

TEST(BpfInsn, SizeCodes) {
    EXPECT_EQ(size_code(1), 0x10);
    EXPECT_EQ(size_code(2), 0x08);
    EXPECT_EQ(size_code(4), 0x00);
    EXPECT_EQ(size_code(8), 0x18);
}

}  // namespace
}  // namespace sockeye::ebpf
