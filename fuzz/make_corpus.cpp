// Writes the seed corpus of every fuzz target: small valid files made by aelab's own writers
// (save_tensors, save_npy) or built byte by byte here, plus a few near misses. No data set
// file goes into the corpus. Usage: fuzz_make_corpus <dir>; creates <dir>/<target>/seed-*.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "nn/checkpoint.hpp"
#include "tensor/npy.hpp"
#include "tensor/ops.hpp"

namespace fs = std::filesystem;

namespace {

using Bytes = std::string;

void put(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

Bytes slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void be32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xFF);
}

// An IDX file of unsigned bytes with the given dims, values i % 251.
Bytes idx(const std::vector<uint32_t>& dims) {
  Bytes out{0, 0, 8, static_cast<char>(dims.size())};
  size_t count = 1;
  for (uint32_t d : dims) {
    be32(out, d);
    count *= d;
  }
  for (size_t i = 0; i < count; ++i) out += static_cast<char>(i % 251);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];

  // IDX: an image file, a label file, 2- and 4-axis files, a truncated one, trailing bytes.
  const std::vector<Bytes> idx_seeds = {idx({3, 4, 4}), idx({5}), idx({2, 3}), idx({1, 2, 2, 2}),
                                        idx({3, 4, 4}).substr(0, 30), idx({5}) + "xx"};
  for (size_t i = 0; i < idx_seeds.size(); ++i) {
    put(root / "idx", "seed-" + std::to_string(i), idx_seeds[i]);
    // idx_gz: byte 0 = cut (0: whole stream), byte 1 = bit flip (0: none), then the file.
    put(root / "idx_gz", "seed-" + std::to_string(i), Bytes(2, '\0') + idx_seeds[i]);
  }

  // MovieLens: the three layouts, and a blank line inside one.
  put(root / "movielens", "seed-udata", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
  put(root / "movielens", "seed-dat", "1::1193::5::978300760\n1::661::3::978302109\n\n2::1193::4::978300275\n");
  put(root / "movielens", "seed-csv",
      "userId,movieId,rating,timestamp\n1,307,3.5,1256677221\n1,481,0.5,1256677456\n3,307,5.0,1256677470\n");

  // Checkpoints from save_tensors. checkpoint target: byte 0 even = the file as is, odd = the
  // target appends the CRC-32 itself (so the seed leaves it off).
  const fs::path tmp = fs::temp_directory_path() / ("aelab-corpus-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  const std::vector<ae::nn::NamedTensors> checkpoints = {
      {{"w", ae::tensor::ones({2, 3})}, {"b", ae::tensor::zeros({3})}},
      {{"scalar", ae::tensor::ones({})}, {"empty", ae::tensor::zeros({0, 4})}},
      {{"encoder.0.weight", ae::tensor::ones({1, 1, 2, 2})}}};
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    ae::nn::save_tensors(tmp / "c.ckpt", checkpoints[i]);
    const Bytes file = slurp(tmp / "c.ckpt");
    put(root / "checkpoint", "seed-" + std::to_string(i), Bytes(1, '\0') + file);
    put(root / "checkpoint", "seed-crc-" + std::to_string(i),
        Bytes(1, '\1') + file.substr(0, file.size() - 4));
  }

  // .npy from save_npy, plus hand-edited headers: Fortran order and version 2.0.
  const std::vector<ae::Tensor> arrays = {ae::tensor::ones({2, 3}), ae::tensor::zeros({4}),
                                          ae::tensor::ones({}), ae::tensor::zeros({0, 2})};
  for (size_t i = 0; i < arrays.size(); ++i) {
    ae::save_npy((tmp / "a.npy").string(), arrays[i]);
    put(root / "npy", "seed-" + std::to_string(i), slurp(tmp / "a.npy"));
  }
  ae::save_npy((tmp / "a.npy").string(), ae::tensor::ones({2, 3}));
  Bytes fortran = slurp(tmp / "a.npy");
  if (const auto at = fortran.find("False"); at != Bytes::npos) fortran.replace(at, 5, "True ");
  put(root / "npy", "seed-fortran", fortran);
  // Version 2.0: the same header behind a 4-byte length.
  Bytes v1 = slurp(tmp / "a.npy");
  Bytes v2 = v1.substr(0, 6) + Bytes{2, 0} + v1.substr(8, 2) + Bytes(2, '\0') + v1.substr(10);
  put(root / "npy", "seed-v2", v2);
  fs::remove_all(tmp);
  return 0;
}
