// Checkpoints: round trips, the byte layout against the documented format (with zlib's
// CRC-32 of a known string as the checksum reference), and clear errors for every kind of
// damage: bad magic, version, checksum, truncation, trailing bytes, other names or shapes.
#include "nn/checkpoint.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>
#include <thread>
#include <vector>
#include <filesystem>
#include <fstream>
#include <string>

#include "nn/layers.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Generator;
using ae::Tensor;
using namespace ae::nn;
namespace T = ae::tensor;
namespace fs = std::filesystem;

namespace {

class NnCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("aelab_checkpoint_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path(const std::string& name) const { return dir_ / name; }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  // Expects load_tensors / load_checkpoint to throw an ae::Error whose message holds
  // every one of `parts`.
  template <class F>
  static void expect_error(F f, std::initializer_list<std::string> parts) {
    try {
      f();
      FAIL() << "no error";
    } catch (const Error& e) {
      for (const auto& part : parts)
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
            << "message \"" << e.what() << "\" lacks \"" << part << "\"";
    }
  }

  fs::path dir_;
};

// Little-endian encoders for building expected bytes independently of the writer.
void u32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
void i64(std::string& s, int64_t v) {
  for (int i = 0; i < 8; ++i) s += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
}
void f32(std::string& s, float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  u32(s, bits);
}

}  // namespace

TEST_F(NnCheckpoint, BytesFollowTheDocumentedFormat) {
  save_tensors(path("a.ckpt"), {{"w", T::from_vector({1.5f, -2}, {1, 2})}});
  std::string expected = "AELABCKP";
  u32(expected, 1);  // version
  u32(expected, 1);  // count
  u32(expected, 1);
  expected += "w";
  u32(expected, 2);
  i64(expected, 1);
  i64(expected, 2);
  f32(expected, 1.5f);
  f32(expected, -2.0f);
  u32(expected, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(expected.data()),
                                            static_cast<uInt>(expected.size()))));
  EXPECT_EQ(read(path("a.ckpt")), expected);
}

TEST(NnCrc32, ZlibReference) {
  // The standard check value of CRC-32 (ISO-HDLC) for "123456789".
  EXPECT_EQ(crc32(0L, reinterpret_cast<const Bytef*>("123456789"), 9), 0xCBF43926u);
}

TEST_F(NnCheckpoint, RoundTripIntoAModule) {
  Generator g1(1), g2(2);
  Sequential a({std::make_shared<Linear>(5, 3, g1), std::make_shared<ReLU>(),
                std::make_shared<Linear>(3, 2, g1)});
  Sequential b({std::make_shared<Linear>(5, 3, g2), std::make_shared<ReLU>(),
                std::make_shared<Linear>(3, 2, g2)});
  save_checkpoint(a, path("m.ckpt"));
  load_checkpoint(b, path("m.ckpt"));
  const auto pa = a.named_parameters(), pb = b.named_parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_EQ(pa[i].second.value().to_vector(), pb[i].second.value().to_vector()) << pa[i].first;
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(NnCheckpoint, TensorsOfAnyShapeAndOverwrite) {
  const Tensor scalar = T::scalar(3.25f);
  const Tensor strided = T::arange(12).reshape({3, 4}).t();  // saved in its logical order
  save_tensors(path("t.ckpt"), {{"zero", T::zeros({0, 4})}, {"s", scalar}, {"t", strided}});
  save_tensors(path("t.ckpt"), {{"s", scalar}, {"t", strided}});  // replaces the file
  const NamedTensors back = load_tensors(path("t.ckpt"));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].first, "s");
  EXPECT_EQ(back[0].second.dim(), 0);
  EXPECT_EQ(back[0].second.item(), 3.25f);
  EXPECT_EQ(back[1].second.shape(), (ae::Shape{4, 3}));
  EXPECT_EQ(back[1].second.to_vector(), strided.to_vector());
}

TEST_F(NnCheckpoint, BadMagic) {
  save_tensors(path("x.ckpt"), {{"w", T::ones({2})}});
  std::string bytes = read(path("x.ckpt"));
  bytes[0] = 'X';
  write(path("x.ckpt"), bytes);
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "magic"});
}

TEST_F(NnCheckpoint, BadVersion) {
  save_tensors(path("x.ckpt"), {{"w", T::ones({2})}});
  std::string bytes = read(path("x.ckpt"));
  bytes[8] = 7;
  write(path("x.ckpt"), bytes);
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "version 7"});
}

TEST_F(NnCheckpoint, FlippedDataBitFailsTheChecksum) {
  save_tensors(path("x.ckpt"), {{"w", T::ones({4})}});
  std::string bytes = read(path("x.ckpt"));
  bytes[bytes.size() - 8] ^= 0x01;  // inside the float data
  write(path("x.ckpt"), bytes);
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "checksum"});
}

TEST_F(NnCheckpoint, TruncationNamesTheTensor) {
  save_tensors(path("x.ckpt"), {{"first", T::ones({2})}, {"second", T::ones({100})}});
  const std::string bytes = read(path("x.ckpt"));
  write(path("x.ckpt"), bytes.substr(0, bytes.size() - 50));
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "truncated", "second"});
  // Every shorter prefix is an error too, never a crash.
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    write(path("x.ckpt"), bytes.substr(0, n));
    EXPECT_THROW(load_tensors(path("x.ckpt")), Error) << n << " bytes";
  }
}

TEST_F(NnCheckpoint, HugeShapeInTheHeaderIsNotAllocated) {
  std::string bytes = "AELABCKP";
  u32(bytes, 1);
  u32(bytes, 1);
  u32(bytes, 1);
  bytes += "w";
  u32(bytes, 2);
  i64(bytes, int64_t{1} << 40);
  i64(bytes, int64_t{1} << 40);
  write(path("x.ckpt"), bytes);
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "truncated", "\"w\""});
}

// Found by fuzz/checkpoint_fuzz: an empty axis makes the data size 0, so the data bound
// passed, and the other sizes overflowed the strides (signed overflow in tensor::empty).
TEST_F(NnCheckpoint, EmptyTensorWhoseOtherSizesOverflowIsAnError) {
  std::string bytes = "AELABCKP";
  u32(bytes, 1);
  u32(bytes, 1);
  u32(bytes, 1);
  bytes += "w";
  u32(bytes, 3);
  i64(bytes, 0);
  i64(bytes, int64_t{1} << 33);
  i64(bytes, int64_t{1} << 32);  // 2^33 * 2^32 = 2^65
  u32(bytes, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()),
                                         static_cast<uInt>(bytes.size()))));
  write(path("x.ckpt"), bytes);
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "\"w\"", "overflow"});
  // Sizes whose product fits still load as an empty tensor.
  save_tensors(path("y.ckpt"), {{"w", T::zeros({0, int64_t{1} << 31, 2})}});
  EXPECT_EQ(load_tensors(path("y.ckpt"))[0].second.shape(), (ae::Shape{0, int64_t{1} << 31, 2}));
}

TEST_F(NnCheckpoint, TrailingBytes) {
  save_tensors(path("x.ckpt"), {{"w", T::ones({2})}});
  write(path("x.ckpt"), read(path("x.ckpt")) + "junk");
  expect_error([&] { load_tensors(path("x.ckpt")); }, {"x.ckpt", "4 unexpected bytes"});
}

TEST_F(NnCheckpoint, MissingFile) {
  expect_error([&] { load_tensors(path("none.ckpt")); }, {"none.ckpt"});
}

TEST_F(NnCheckpoint, OtherShapesOrNamesAreErrorsAndLeaveTheModuleAlone) {
  Generator gen(3);
  Linear small(4, 2, gen), other(4, 3, gen);
  const auto before = other.weight.value().to_vector();
  save_checkpoint(small, path("s.ckpt"));
  expect_error([&] { load_checkpoint(other, path("s.ckpt")); },
               {"s.ckpt", "\"weight\"", "[2, 4]", "[3, 4]"});
  EXPECT_EQ(other.weight.value().to_vector(), before);

  Sequential net({std::make_shared<Linear>(4, 2, gen)});
  expect_error([&] { load_checkpoint(net, path("s.ckpt")); }, {"s.ckpt", "0.weight"});

  save_tensors(
      path("extra.ckpt"),
      {{"weight", small.weight.value()}, {"bias", small.bias.value()}, {"scale", T::ones({1})}});
  expect_error([&] { load_checkpoint(small, path("extra.ckpt")); }, {"extra.ckpt", "scale"});
}

TEST_F(NnCheckpoint, TrainingStateRoundTripAndErrorsLeaveModelAndOptimizerAlone) {
  Generator gen(5);
  Linear model(4, 2, gen);
  Adam adam(model.parameters(), {.lr = 0.01f});
  // One step, so that Adam's moments and step count are not their starting values.
  mse(model(ae::Variable(T::ones({3, 4}))), ae::Variable(T::zeros({3, 2}))).backward();
  adam.step();
  save_training_state(path("run.ckpt"), model, adam, 17);
  const NamedTensors stored = load_tensors(path("run.ckpt"));
  ASSERT_EQ(stored.size(), 2u + 5u + 1u);  // 2 parameters, Adam's steps and 2 x 2 moments, epoch
  EXPECT_EQ(stored.front().first, "model.weight");
  EXPECT_EQ(stored.back().first, "epoch");

  Generator other(6);
  Linear restored(4, 2, other);
  Adam adam2(restored.parameters(), {.lr = 0.01f});
  EXPECT_EQ(load_training_state(path("run.ckpt"), restored, adam2), 17);
  EXPECT_EQ(restored.weight.value().to_vector(), model.weight.value().to_vector());
  EXPECT_EQ(restored.bias.value().to_vector(), model.bias.value().to_vector());
  const NamedTensors a = adam.state(), b = adam2.state();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_EQ(a[i].second.to_vector(), b[i].second.to_vector()) << a[i].first;
  }

  // A model of another shape: an error naming the file and the tensor, nothing changed.
  Linear wider(4, 3, other);
  Adam adam3(wider.parameters(), {.lr = 0.01f});
  const auto weight_before = wider.weight.value().to_vector();
  const auto state_before = adam3.state();
  expect_error([&] { load_training_state(path("run.ckpt"), wider, adam3); }, {"run.ckpt", "weight"});
  EXPECT_EQ(wider.weight.value().to_vector(), weight_before);
  const auto state_after = adam3.state();
  for (std::size_t i = 0; i < state_before.size(); ++i)
    EXPECT_EQ(state_after[i].second.to_vector(), state_before[i].second.to_vector()) << state_before[i].first;

  // A plain checkpoint is not a training state.
  save_checkpoint(model, path("plain.ckpt"));
  expect_error([&] { load_training_state(path("plain.ckpt"), restored, adam2); }, {"plain.ckpt", "weight"});
  save_tensors(path("noepoch.ckpt"), {{"model.weight", model.weight.value()}});
  expect_error([&] { load_training_state(path("noepoch.ckpt"), restored, adam2); }, {"noepoch.ckpt", "epoch"});
  EXPECT_THROW(save_training_state(path("neg.ckpt"), model, adam, -1), Error);
}

TEST_F(NnCheckpoint, BadNamesOnSave) {
  EXPECT_THROW(save_tensors(path("x.ckpt"), {{"a", T::ones({1})}, {"a", T::ones({1})}}), Error);
  EXPECT_THROW(save_tensors(path("x.ckpt"), {{"", T::ones({1})}}), Error);
  EXPECT_THROW(save_tensors(dir_ / "no" / "such" / "dir.ckpt", {{"a", T::ones({1})}}), Error);
  EXPECT_FALSE(fs::exists(path("x.ckpt")));
}

// A saver killed (SIGKILL: no handler, no cleanup) at random points while it replaces a
// checkpoint: the file always loads whole, with one save's content, and the temporaries of
// killed writers do not pile up. The next save clears what a killed writer left.
TEST_F(NnCheckpoint, KilledSaversLeaveNoTornFileAndNoTemporaries) {
  const fs::path file = path("model.ckpt");
  // 1 MiB of data, so that a save takes long enough to be killed in the middle of it.
  std::vector<Tensor> versions;
  for (int k = 0; k < 4; ++k) versions.push_back(T::full({512, 512}, static_cast<float>(k)));
  save_tensors(file, {{"step", T::full({1}, 0.0f)}, {"w", versions[0]}});
  auto count_temporaries = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename() != "model.ckpt") ++n;
    return n;
  };

  // The kill lands anywhere in the first few saves of the child.
  const auto start = std::chrono::steady_clock::now();
  save_tensors(file, {{"step", T::full({1}, 0.0f)}, {"w", versions[0]}});
  const auto one_save = std::chrono::steady_clock::now() - start;
  const auto max_delay = std::chrono::duration_cast<std::chrono::microseconds>(one_save * 3) +
                         std::chrono::microseconds(200);
  std::mt19937 rng(20261204);
  std::uniform_int_distribution<int64_t> delay(0, max_delay.count());

  int rounds = 0;
  int most_temporaries = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (rounds < 12 || (std::chrono::steady_clock::now() < deadline && rounds < 200)) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        for (int k = 1;; k = k % 3 + 1)
          save_tensors(file, {{"step", T::full({1}, static_cast<float>(k))}, {"w", versions[k]}});
      } catch (...) {
      }
      ::_exit(1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the saver stopped by itself (status " << status << ")";
    ++rounds;

    // Old or new, never torn: it loads, and its data is the save its "step" names.
    NamedTensors loaded;
    ASSERT_NO_THROW(loaded = load_tensors(file)) << "round " << rounds;
    ASSERT_EQ(loaded.size(), 2u);
    const float step = loaded[0].second.to_vector()[0];
    const auto w = loaded[1].second.to_vector();
    ASSERT_EQ(w.size(), 512u * 512u);
    EXPECT_EQ(w.front(), step);
    EXPECT_EQ(w.back(), step);
    most_temporaries = std::max(most_temporaries, count_temporaries());
  }
  // At most the temporary of the one writer killed last can exist (it dies between link and
  // rename, or, without O_TMPFILE, anywhere), and the next save removes it.
  EXPECT_LE(most_temporaries, 1) << "after " << rounds << " kills";
  save_tensors(file, {{"step", T::full({1}, 0.0f)}, {"w", versions[0]}});
  EXPECT_EQ(count_temporaries(), 0);
}
