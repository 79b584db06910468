// IDX reader: the real MNIST files, and small good and bad files written here.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "linalg/error.hpp"
#include "nn/data/idx.hpp"
#include "tests/testing/fresh_dir.hpp"

namespace fs = std::filesystem;
using ae::data::IdxArray;
using ae::data::read_idx;

namespace {

const fs::path kMnist = fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data" / "mnist";

// A fresh directory per test, removed afterwards.
class DataIdxFiles : public ae::testing::FreshDirTest {
 protected:

  fs::path write_raw(const std::string& name, const std::vector<uint8_t>& bytes) {
    const fs::path file = dir_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return file;
  }

  fs::path write_gz(const std::string& name, const std::vector<uint8_t>& bytes) {
    const fs::path file = dir_ / name;
    gzFile f = gzopen(file.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(f);
    return file;
  }

  static std::vector<uint8_t> read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

// Header 00 00 08 <n>, then the big-endian dimensions.
std::vector<uint8_t> header(const std::vector<uint32_t>& dims, uint8_t type = 0x08) {
  std::vector<uint8_t> bytes = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    bytes.push_back(static_cast<uint8_t>(d >> 24));
    bytes.push_back(static_cast<uint8_t>(d >> 16));
    bytes.push_back(static_cast<uint8_t>(d >> 8));
    bytes.push_back(static_cast<uint8_t>(d));
  }
  return bytes;
}

std::vector<uint8_t> concat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Runs read_idx and returns the error message it must throw.
std::string error_of(const fs::path& file) {
  try {
    read_idx(file);
  } catch (const ae::Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "read_idx(" << file << ") did not throw";
  return "";
}

}  // namespace

TEST_F(DataIdxFiles, ReadsRawAndGzipped) {
  // 3 images of 2 x 2; the values 0..11 in row-major order.
  std::vector<uint8_t> values(12);
  std::iota(values.begin(), values.end(), 0);
  const auto bytes = concat(header({3, 2, 2}), values);
  for (const fs::path& file :
       {write_raw("a-idx3-ubyte", bytes), write_gz("a-idx3-ubyte.gz", bytes)}) {
    const IdxArray array = read_idx(file);
    EXPECT_EQ(array.dims, (std::vector<int64_t>{3, 2, 2})) << file;
    EXPECT_EQ(array.values, values) << file;
  }
}

TEST_F(DataIdxFiles, ReadsDimensionsAsUnsignedBigEndian) {
  // 0x00000102 = 258 labels: the dimension bytes 00 00 01 02 read big-endian.
  std::vector<uint8_t> values(258, 7);
  const IdxArray array = read_idx(write_raw("labels", concat(header({258}), values)));
  ASSERT_EQ(array.dims.size(), 1u);
  EXPECT_EQ(array.dims[0], 258);
}

TEST_F(DataIdxFiles, BadMagicNamesFileAndBytes) {
  const auto file = write_raw("zip.idx", {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 9});
  const std::string message = error_of(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not an IDX file"), std::string::npos) << message;
  EXPECT_NE(message.find("50 4b 03 04"), std::string::npos) << message;
}

TEST_F(DataIdxFiles, UnsupportedTypeIsNamed) {
  const auto file = write_raw("floats", concat(header({1}, 0x0D), {0, 0, 0, 0}));
  const std::string message = error_of(file);
  EXPECT_NE(message.find("float32"), std::string::npos) << message;
  EXPECT_NE(message.find("0x0d"), std::string::npos) << message;
}

TEST_F(DataIdxFiles, DimensionCountOutsideOneToFour) {
  EXPECT_NE(error_of(write_raw("zero", {0, 0, 8, 0})).find("0 dimensions"), std::string::npos);
  auto five = header({1, 1, 1, 1, 1});
  five.push_back(0);
  EXPECT_NE(error_of(write_raw("five", five)).find("5 dimensions"), std::string::npos);
}

TEST_F(DataIdxFiles, ZeroDimension) {
  const std::string message = error_of(write_raw("empty-dim", header({10, 0, 28})));
  EXPECT_NE(message.find("dimension 1 of 10x0x28 is 0"), std::string::npos) << message;
}

TEST_F(DataIdxFiles, OversizedHeaderIsRefusedBeforeReading) {
  // 4294967295^4 values: far beyond 2^31; refused from the header alone.
  const auto file = write_raw("huge", header({0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}));
  const std::string message = error_of(file);
  EXPECT_NE(message.find("4294967295x4294967295x4294967295x4294967295"), std::string::npos)
      << message;
  EXPECT_NE(message.find("limit"), std::string::npos) << message;
  // 2^16 x 2^15 + 1 values is one more than the limit 2^31: refused; 2^16 x 2^15 is not
  // refused for its size (it fails later, as truncated).
  EXPECT_NE(error_of(write_raw("over", header({65536, 32769}))).find("limit"), std::string::npos);
  EXPECT_NE(error_of(write_raw("at", header({65536, 32768}))).find("truncated"), std::string::npos);
}

TEST_F(DataIdxFiles, TruncatedPayloadSaysHowMuchIsMissing) {
  // 3x2x2 = 12 bytes announced, 7 present.
  const auto bytes = concat(header({3, 2, 2}), {1, 2, 3, 4, 5, 6, 7});
  for (const fs::path& file : {write_raw("short", bytes), write_gz("short.gz", bytes)}) {
    const std::string message = error_of(file);
    EXPECT_NE(message.find(file.string() +
                           ": truncated: header says 3x2x2 = 12 bytes of data, file has 7"),
              std::string::npos)
        << message;
  }
}

TEST_F(DataIdxFiles, TruncatedHeader) {
  EXPECT_NE(error_of(write_raw("empty", {})).find("empty file"), std::string::npos);
  EXPECT_NE(error_of(write_raw("two", {0, 0})).find("truncated"), std::string::npos);
  // Magic says 3 dimensions (12 header bytes), only 5 follow.
  const std::string message = error_of(write_raw("dims", {0, 0, 8, 3, 0, 0, 0, 9, 0}));
  EXPECT_NE(message.find("ends inside the IDX header (9 of 16 header bytes)"), std::string::npos)
      << message;
}

TEST_F(DataIdxFiles, TrailingBytesAreAnError) {
  const auto bytes = concat(header({2}), {1, 2, 3, 4, 5});
  for (const fs::path& file : {write_raw("long", bytes), write_gz("long.gz", bytes)}) {
    const std::string message = error_of(file);
    EXPECT_NE(message.find("3 unexpected bytes after the 2 bytes of data"), std::string::npos)
        << message;
  }
}

TEST_F(DataIdxFiles, CorruptGzipIsAnError) {
  std::vector<uint8_t> values(5000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint8_t>((i * 37) ^ (i >> 3));
  const auto good = write_gz("good.gz", concat(header({50, 100}), values));
  ASSERT_NO_THROW(read_idx(good));
  const auto bytes = read_bytes(good);
  ASSERT_GT(bytes.size(), 60u);

  // Damage in the middle of the compressed data: zlib reports a bad block or a bad CRC.
  auto damaged = bytes;
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 8; ++i) damaged[i] ^= 0xA5;
  const auto damaged_file = write_raw("damaged.gz", damaged);
  std::string message = error_of(damaged_file);
  EXPECT_NE(message.find(damaged_file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("gzip"), std::string::npos) << message;

  // Cut in the middle: the data ends early.
  message = error_of(
      write_raw("cut.gz", {bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2)}));
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("gzip"), std::string::npos) << message;

  // Only the 8-byte trailer (CRC-32 and length) missing: every value arrives, yet the
  // stream is incomplete.
  message = error_of(write_raw("no-trailer.gz", {bytes.begin(), bytes.end() - 8}));
  EXPECT_NE(message.find("gzip"), std::string::npos) << message;

  // A wrong CRC-32 in the trailer.
  auto bad_crc = bytes;
  bad_crc[bad_crc.size() - 8] ^= 0xFF;
  message = error_of(write_raw("bad-crc.gz", bad_crc));
  EXPECT_NE(message.find("gzip"), std::string::npos) << message;
}

TEST_F(DataIdxFiles, MissingFileAndDirectory) {
  EXPECT_NE(error_of(dir_ / "nope.gz").find("no such file"), std::string::npos);
  const std::string message = error_of(dir_);
  EXPECT_NE(message.find("is a directory"), std::string::npos) << message;
}

// ---- the real MNIST files (SOURCES.md in ../shared/data lists these facts) ----

TEST(DataIdxMnist, TrainLabels) {
  const fs::path file = kMnist / "train-labels-idx1-ubyte.gz";
  if (!fs::exists(file)) GTEST_SKIP() << file << " not present";
  const IdxArray labels = read_idx(file);
  ASSERT_EQ(labels.dims, (std::vector<int64_t>{60000}));
  const std::vector<uint8_t> first(labels.values.begin(), labels.values.begin() + 10);
  EXPECT_EQ(first, (std::vector<uint8_t>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
  std::vector<int> counts(10, 0);
  for (uint8_t v : labels.values) ++counts.at(v);
  EXPECT_EQ(counts, (std::vector<int>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}));
}

TEST(DataIdxMnist, TestImagesPixelSum) {
  const fs::path file = kMnist / "t10k-images-idx3-ubyte.gz";
  if (!fs::exists(file)) GTEST_SKIP() << file << " not present";
  const IdxArray images = read_idx(file);
  ASSERT_EQ(images.dims, (std::vector<int64_t>{10000, 28, 28}));
  EXPECT_EQ(std::accumulate(images.values.begin(), images.values.end(), int64_t{0}), 264923200);
}
