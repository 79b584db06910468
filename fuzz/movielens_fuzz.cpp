// libFuzzer target: read_movielens on arbitrary text (u.data, ratings.dat and ratings.csv
// are told apart by the first line, so one target reaches all three layouts).
#include <cstddef>
#include <cstdint>

#include "fuzz/scratch_file.hpp"
#include "linalg/error.hpp"
#include "nn/data/movielens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = ae::fuzz::write_scratch("ratings", data, size);
  try {
    const ae::data::RatingTable t = ae::data::read_movielens(file);
    // What loads must be consistent: dense indices inside the id tables.
    if (t.num_users != static_cast<int64_t>(t.user_ids.size()) ||
        t.num_items != static_cast<int64_t>(t.item_ids.size()))
      __builtin_trap();
    for (const auto& r : t.ratings)
      if (r.user < 0 || r.user >= t.num_users || r.item < 0 || r.item >= t.num_items)
        __builtin_trap();
  } catch (const ae::Error&) {
  }
  return 0;
}
