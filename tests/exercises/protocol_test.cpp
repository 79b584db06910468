// The runner protocol of the graded tests (exercises/common): the wire codec, and the
// StudentProcess client against a stand-in runner (fake_bindings.cpp) that answers,
// throws, exits, crashes, hangs, corrupts its reply channel, and probes its sandbox.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "exercises/common/student_process.hpp"
#include "exercises/common/wire.hpp"
#include "tensor/ops.hpp"

namespace {

using ae::Tensor;
using ae::exercises::Frame;
using ae::exercises::FrameKind;
using ae::exercises::Message;
using ae::exercises::StudentProcess;

std::filesystem::path fake_runner() { return FAKE_RUNNER; }

TEST(Wire, RoundTripOfEveryValueType) {
  Message m;
  m.set("t", ae::tensor::from_vector({1.5f, -2, 0, 1e-30f, 3, 4}, {2, 3}));
  m.set("scalar", ae::tensor::from_vector({7}, {}));
  m.set("empty", ae::tensor::zeros({0, 4}));
  m.set("i", int64_t{-1234567890123}).set("d", 0.1).set("s", std::string("a\0b", 3));
  const Frame back = ae::exercises::decode_payload(ae::exercises::encode_payload({FrameKind::request, "fn", m}));
  EXPECT_EQ(back.kind, FrameKind::request);
  EXPECT_EQ(back.head, "fn");
  EXPECT_EQ(back.body.tensor("t").shape(), (ae::Shape{2, 3}));
  EXPECT_EQ(back.body.tensor("t").to_vector(), (std::vector<float>{1.5f, -2, 0, 1e-30f, 3, 4}));
  EXPECT_EQ(back.body.tensor("scalar").dim(), 0);
  EXPECT_EQ(back.body.tensor("scalar").item(), 7.0f);
  EXPECT_EQ(back.body.tensor("empty").shape(), (ae::Shape{0, 4}));
  EXPECT_EQ(back.body.integer("i"), -1234567890123);
  EXPECT_EQ(back.body.real("d"), 0.1);
  EXPECT_EQ(back.body.text("s"), std::string("a\0b", 3));
}

TEST(Wire, StridedTensorsTravelInRowMajorOrder) {
  const Tensor t = ae::tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}).t();  // [[1,4],[2,5],[3,6]]
  const Frame back = ae::exercises::decode_payload(ae::exercises::encode_payload({FrameKind::reply, "", {{"t", t}}}));
  EXPECT_EQ(back.body.tensor("t").to_vector(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(Wire, ByteLayoutOfASmallFrame) {
  // 'R', head "" (0u32), 1 value: name "x" (1u32 'x'), 'I', int64 5 — by hand.
  const std::string expected = std::string("R") + std::string("\0\0\0\0", 4) + std::string("\1\0\0\0", 4) +
                               std::string("\1\0\0\0x", 5) + "I" + std::string("\5\0\0\0\0\0\0\0", 8);
  EXPECT_EQ(ae::exercises::encode_payload({FrameKind::reply, "", {{"x", int64_t{5}}}}), expected);
  EXPECT_EQ(ae::exercises::encode_frame({FrameKind::reply, "", {{"x", int64_t{5}}}}),
            std::string("AEX1") + std::string("\x17\0\0\0", 4) + expected);
}

TEST(Wire, MalformedPayloadsAreRejectedWithAReason) {
  const std::string good = ae::exercises::encode_payload(
      {FrameKind::reply, "", {{"t", ae::tensor::from_vector({1, 2}, {2})}}});
  auto message_of = [](const std::string& payload) {
    try {
      ae::exercises::decode_payload(payload);
    } catch (const ae::Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message_of(good.substr(0, good.size() - 1)).find("truncated tensor data"), std::string::npos);
  EXPECT_NE(message_of(good + "x").find("1 bytes after the last value"), std::string::npos);
  EXPECT_NE(message_of("Z" + good.substr(1)).find("unknown frame kind"), std::string::npos);
  EXPECT_NE(message_of("").find("truncated kind"), std::string::npos);
  const Message m{{"x", int64_t{1}}};
  EXPECT_THROW(m.tensor("x"), ae::Error);
  EXPECT_THROW(m.integer("y"), ae::Error);
}

TEST(StudentProcess, CallsAndKeepsServing) {
  StudentProcess p(fake_runner());
  const Message out = p.call("twice", {{"x", ae::tensor::from_vector({1, -3}, {2})}});
  EXPECT_EQ(out.tensor("y").to_vector(), (std::vector<float>{2, -6}));
  EXPECT_EQ(p.call("echo", {{"s", std::string("hello")}}).text("s"), "hello");
  // What the student prints goes to stderr, never into the replies.
  EXPECT_EQ(p.call("prints", {}).integer("ok"), 1);
  EXPECT_EQ(p.call("echo", {{"i", int64_t{3}}}).integer("i"), 3);
}

TEST(StudentProcess, TheStudentsExceptionComesBackUnchanged) {
  StudentProcess p(fake_runner());
  try {
    p.call("throws", {});
    FAIL() << "no exception";
  } catch (const ae::exercises::StudentError& e) {
    EXPECT_STREQ(e.what(), "TOY task 1: answer is not implemented yet");
  }
  EXPECT_THROW(p.call("no_such_function", {}), ae::exercises::StudentError);
  EXPECT_EQ(p.call("echo", {{"i", int64_t{4}}}).integer("i"), 4) << "the runner survives a throw";
}

std::string failure_of(StudentProcess& p, const std::string& function, double seconds = 0) {
  try {
    p.call(function, {}, seconds);
  } catch (const ae::exercises::StudentError& e) {
    return std::string("StudentError: ") + e.what();
  } catch (const ae::Error& e) {
    return e.what();
  }
  return "no failure";
}

TEST(StudentProcess, AnExitInTheMiddleOfACallFailsIt) {
  StudentProcess p(fake_runner());
  const std::string why = failure_of(p, "exits");
  EXPECT_NE(why.find("call exits: the runner closed its pipe"), std::string::npos) << why;
  EXPECT_NE(why.find("exited with status 0"), std::string::npos) << why;
  EXPECT_EQ(p.call("echo", {{"i", int64_t{5}}}).integer("i"), 5) << "the next call starts a new runner";
}

TEST(StudentProcess, ACrashFailsTheCallWithTheSignalAndStderr) {
  StudentProcess p(fake_runner());
  const std::string why = failure_of(p, "crashes");
  EXPECT_NE(why.find("call crashes: the runner closed its pipe"), std::string::npos) << why;
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reports the signal itself, then exits.
  EXPECT_NE(why.find("SEGV"), std::string::npos) << why;
#else
  EXPECT_NE(why.find("was killed by signal SIGSEGV"), std::string::npos) << why;
  EXPECT_NE(why.find("about to crash"), std::string::npos) << why;
#endif
}

TEST(StudentProcess, AHangIsStoppedAtTheTimeLimit) {
  StudentProcess p(fake_runner());
  const auto start = std::chrono::steady_clock::now();
  const std::string why = failure_of(p, "hangs", 0.5);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(why.find("no answer within the time limit of 0.5 s"), std::string::npos) << why;
  EXPECT_LT(seconds, 5.0);
}

TEST(StudentProcess, GarbageOnTheReplyChannelFailsTheCall) {
  StudentProcess p(fake_runner());
  const std::string why = failure_of(p, "garbage");
  EXPECT_NE(why.find("malformed reply"), std::string::npos) << why;
}

TEST(StudentProcess, AMissingRunnerIsAClearError) {
  StudentProcess p("/nonexistent/runner");
  EXPECT_NE(failure_of(p, "echo").find("/nonexistent/runner does not exist"), std::string::npos);
}

TEST(StudentProcess, TheSandboxKeepsTheRunnerInItsDirectory) {
  const std::filesystem::path outside = std::filesystem::path(AELAB_BINARY_DIR) / "protocol_test_outside.txt";
  std::filesystem::remove(outside);
  { std::ofstream(std::filesystem::path(AELAB_BINARY_DIR) / "protocol_test_secret.txt") << "secret"; }
  setenv("AELAB_HIDDEN_SEED", "12345", 1);
  StudentProcess p(fake_runner());
  const Message inside = p.call("probe", {{"write", std::string("here.txt")}, {"read", std::string("here.txt")}});
  EXPECT_EQ(inside.integer("wrote"), 1) << "the runner may write its working directory";
  EXPECT_TRUE(std::filesystem::exists(p.working_dir() / "here.txt"));
  EXPECT_EQ(inside.integer("seed_in_env"), 0) << "the hidden seed must not reach the runner";
  const bool root = ::geteuid() == 0;
  const bool landlock = ae::exercises::landlock_abi() > 0;
  if (!root && !landlock) GTEST_SKIP() << "neither root nor Landlock: the runner is not confined (" << p.sandbox() << ")";
  const Message out = p.call("probe", {{"write", outside.string()},
                                       {"read", (std::filesystem::path(AELAB_BINARY_DIR) / "protocol_test_secret.txt").string()}});
  if (root) {
    EXPECT_EQ(out.integer("uid"), 65534);
  }
  EXPECT_EQ(out.integer("wrote"), 0) << "wrote " << outside << " (" << p.sandbox() << ")";
  EXPECT_FALSE(std::filesystem::exists(outside));
  if (landlock) {
    EXPECT_EQ(out.integer("read"), 0) << "read a file outside the allowed folders";
  }
  EXPECT_EQ(out.integer("signal_parent"), 0) << "the runner can signal the test process (" << p.sandbox() << ")";
}

TEST(HiddenSeed, ComesFromTheEnvironment) {
  setenv("AELAB_HIDDEN_SEED", "987", 1);
  EXPECT_EQ(ae::exercises::hidden_seed(), 987u);
  setenv("AELAB_HIDDEN_SEED", "9x", 1);
  EXPECT_THROW(ae::exercises::hidden_seed(), ae::Error);
  unsetenv("AELAB_HIDDEN_SEED");
  EXPECT_EQ(ae::exercises::hidden_seed(41), 41u);
}

}  // namespace
