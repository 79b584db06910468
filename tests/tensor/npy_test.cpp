// .npy: exact bytes against the format written out by hand, round trips, load errors,
// and (when /usr/bin/python3 has numpy) NumPy reading our files and we reading NumPy's.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "tensor/npy.hpp"
#include "tensor/ops.hpp"

using ae::Error;
using ae::Shape;
using ae::Tensor;
namespace T = ae::tensor;
namespace fs = std::filesystem;

namespace {

// One directory per process (ctest runs tests in parallel), removed when the process ends.
fs::path temp_dir() {
  return fs::temp_directory_path() / ("aelab_npy_test_" + std::to_string(getpid()));
}

class RemoveTempDir : public ::testing::Environment {
 public:
  void TearDown() override { fs::remove_all(temp_dir()); }
};
const auto* const remove_temp_dir = ::testing::AddGlobalTestEnvironment(new RemoveTempDir);

std::string temp_path(const std::string& name) {
  fs::create_directories(temp_dir());
  return (temp_dir() / name).string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string expect_load_error(const std::string& path) {
  try {
    ae::load_npy(path);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error loading " << path;
  return "";
}

bool python_has_numpy() {
  return std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") == 0;
}

}  // namespace

TEST(TensorNpy, ExactBytesOfASmallFile) {
  // 6 magic bytes, version 1.0, header length 118 (0x76) little-endian: 10 + 118 = 128,
  // two 64-byte lines. The dict is 59 characters, then 58 spaces and '\n'.
  std::string expected("\x93NUMPY\x01\x00\x76\x00", 10);
  expected += "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  expected += std::string(58, ' ') + "\n";
  // 1.0f = 0x3f800000, 2.0f = 0x40000000, ... 6.0f = 0x40c00000, little-endian.
  expected += std::string("\x00\x00\x80\x3f" "\x00\x00\x00\x40" "\x00\x00\x40\x40"
                          "\x00\x00\x80\x40" "\x00\x00\xa0\x40" "\x00\x00\xc0\x40", 24);
  const std::string path = temp_path("small.npy");
  ae::save_npy(path, T::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}));
  EXPECT_EQ(read_bytes(path), expected);
  EXPECT_EQ(ae::load_npy(path).to_vector(), (std::vector<float>{1, 2, 3, 4, 5, 6}));

  // 0-d and 1-d tuples: () and (3,)
  ae::save_npy(path, T::scalar(1));
  EXPECT_EQ(read_bytes(path).substr(10, 55),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
  ae::save_npy(path, T::zeros({3}));
  EXPECT_EQ(read_bytes(path).substr(10, 57),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
  EXPECT_EQ(read_bytes(path).size(), 128u + 12u);  // 10 + 57 + '\n' = 68 > 64
}

TEST(TensorNpy, RoundTrip) {
  ae::Generator g(3);
  const std::string path = temp_path("round.npy");
  for (const Shape& shape : {Shape{}, Shape{0}, Shape{7}, Shape{4, 5}, Shape{2, 3, 4}}) {
    const Tensor x = T::randn(shape, g);
    ae::save_npy(path, x);
    const Tensor y = ae::load_npy(path);
    EXPECT_EQ(y.shape(), shape);
    EXPECT_EQ(y.to_vector(), x.to_vector());
  }
  // A strided view is saved in its logical order.
  const Tensor m = T::arange(6).reshape({2, 3});
  ae::save_npy(path, m.t());
  EXPECT_EQ(ae::load_npy(path).to_vector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(TensorNpy, FortranOrderIsTransposedOnLoad) {
  // Column-major [[1, 2, 3], [4, 5, 6]] is stored as 1 4 2 5 3 6.
  std::string bytes("\x93NUMPY\x01\x00\x76\x00", 10);
  bytes += "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
  bytes += std::string(59, ' ') + "\n";
  bytes += std::string("\x00\x00\x80\x3f" "\x00\x00\x80\x40" "\x00\x00\x00\x40"
                       "\x00\x00\xa0\x40" "\x00\x00\x40\x40" "\x00\x00\xc0\x40", 24);
  const std::string path = temp_path("fortran.npy");
  write_bytes(path, bytes);
  const Tensor x = ae::load_npy(path);
  EXPECT_EQ(x.shape(), (Shape{2, 3}));
  EXPECT_EQ(x.to_vector(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(TensorNpy, LoadErrorsNameTheFile) {
  const std::string path = temp_path("bad.npy");
  write_bytes(path, "PK\x03\x04 not numpy at all");
  std::string msg = expect_load_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("magic"), std::string::npos) << msg;

  std::string f8("\x93NUMPY\x01\x00\x76\x00", 10);
  f8 += "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
  f8 += std::string(118 - 58, ' ');
  f8.back() = '\n';
  f8 += std::string(8, '\0');
  write_bytes(path, f8);
  msg = expect_load_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("<f8"), std::string::npos) << msg;

  ae::save_npy(path, T::ones({4, 4}));
  const std::string whole = read_bytes(path);
  write_bytes(path, whole.substr(0, whole.size() - 5));
  msg = expect_load_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;

  write_bytes(path, whole.substr(0, 40));
  msg = expect_load_error(path);
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;

  msg = expect_load_error(temp_path("does_not_exist.npy"));
  EXPECT_NE(msg.find("does_not_exist.npy"), std::string::npos) << msg;
  EXPECT_THROW(ae::save_npy("/nonexistent-dir/x.npy", T::ones({1})), Error);
}

// Found by fuzz/npy_fuzz: every size within the per-axis limit, their product not.
TEST(TensorNpy, ShapeWhoseProductOverflowsIsAnError) {
  const std::string path = temp_path("overflow.npy");
  for (const std::string shape : {"(45, 222200000000, 2000000)", "(0, 1099511627776, 1099511627776)"}) {
    std::string bytes("\x93NUMPY\x01\x00\x76\x00", 10);
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    header.resize(118, ' ');
    header.back() = '\n';
    write_bytes(path, bytes + header + std::string(16, '\0'));
    const std::string msg = expect_load_error(path);
    EXPECT_NE(msg.find("shape too large"), std::string::npos) << shape << ": " << msg;
  }
}

TEST(TensorNpy, NumpyReadsOursAndWeReadNumpys) {
  if (!python_has_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy not available";
  const std::string ours = temp_path("ours.npy");
  const std::string theirs = temp_path("theirs.npy");
  ae::save_npy(ours, T::arange(12).reshape({3, 4}) * 0.5f);
  const std::string script =
      "import numpy as np\n"
      "a = np.load('" + ours + "')\n"
      "assert a.dtype == np.float32 and a.shape == (3, 4), (a.dtype, a.shape)\n"
      "assert (a == np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5).all()\n"
      "np.save('" + theirs + "', np.arange(6, dtype=np.float32).reshape(2, 3) - 1)\n"
      "np.save('" + theirs + ".f.npy', np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))\n";
  const std::string script_path = temp_path("check.py");
  write_bytes(script_path, script);
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script_path).c_str()), 0);
  const Tensor t = ae::load_npy(theirs);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.to_vector(), (std::vector<float>{-1, 0, 1, 2, 3, 4}));
  EXPECT_EQ(ae::load_npy(theirs + ".f.npy").to_vector(), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}
