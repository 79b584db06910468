#pragma once
// .npy files (NumPy's format, version 1.0), so codes and weights open in Python with
// numpy.load. The file is a 6-byte magic "\x93NUMPY", the version (1, 0), a little-endian
// uint16 header length, then a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ended by '\n' so the data starts at a multiple of 64 bytes, then
// the float32 values in row-major order.
#include <string>

#include "tensor/tensor.hpp"

namespace ae {

/// Writes float32, row-major ('<f4', fortran_order False). Throws ae::Error naming the
/// file if it cannot be written.
void save_npy(const std::string& path, const Tensor& t);

/// Reads a float32 '<f4' array (versions 1.0 to 3.0; C or Fortran order). Throws ae::Error
/// naming the file on a bad magic, another dtype, a malformed header or truncated data.
Tensor load_npy(const std::string& path);

}  // namespace ae
