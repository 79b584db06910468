// Checkpoints: round trips, the byte layout against the documented format (with zlib's
// CRC-32 of a known string as the checksum reference), and clear errors for every kind of
// damage: bad magic, version, checksum, truncation, trailing bytes, other names or shapes.
#include "nn/checkpoint.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "nn/layers.hpp"
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

TEST_F(NnCheckpoint, BadNamesOnSave) {
  EXPECT_THROW(save_tensors(path("x.ckpt"), {{"a", T::ones({1})}, {"a", T::ones({1})}}), Error);
  EXPECT_THROW(save_tensors(path("x.ckpt"), {{"", T::ones({1})}}), Error);
  EXPECT_THROW(save_tensors(dir_ / "no" / "such" / "dir.ckpt", {{"a", T::ones({1})}}), Error);
  EXPECT_FALSE(fs::exists(path("x.ckpt")));
}
