#pragma once
// MovieLens ratings (GroupLens; Harper and Konstan 2015).
//
// Three layouts of one record "user item rating timestamp", told apart by the first line:
//   ml-100k u.data       196\t242\t3\t881250949          tab-separated
//   ml-1m ratings.dat    1::1193::5::978300760            "::"-separated
//   ml-latest ratings.csv userId,movieId,rating,timestamp  a header, then 1,307,3.5,1256677221
// User and item ids are remapped to dense indices 0..n-1 in increasing order of the
// original id, so they can index the rows and columns of a rating matrix; the original
// ids stay in user_ids and item_ids.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ae::data {

struct Rating {
  int64_t user;       ///< dense index in 0 .. num_users-1
  int64_t item;       ///< dense index in 0 .. num_items-1
  float rating;       ///< stars, 0.5 .. 5 (ml-100k and ml-1m use whole stars 1 .. 5)
  int64_t timestamp;  ///< seconds since 1970-01-01 UTC
};

struct RatingTable {
  std::vector<Rating> ratings;  ///< in file order
  int64_t num_users = 0;
  int64_t num_items = 0;
  std::vector<int64_t> user_ids;  ///< user_ids[dense index] = id in the file
  std::vector<int64_t> item_ids;  ///< item_ids[dense index] = id in the file
  std::string source;             ///< the file
};

/// Reads a MovieLens ratings file in any of the three layouts. A malformed line throws
/// ae::Error "<file>:<line>: <what is wrong>: \"<the line>\"" — among them ids below 1, a
/// rating outside 0.5 .. 5 (outside the whole stars 1 .. 5 in u.data and ratings.dat) and a
/// second rating of one (user, item) pair. Nothing is dropped; blank lines are skipped.
RatingTable read_movielens(const std::filesystem::path& file);

}  // namespace ae::data

namespace ae::data {

/// A stand-in for MovieLens-100K when it is absent: 943 users x 1,682 items, 100,000 distinct
/// (user, item) pairs drawn uniformly with `seed`, rated round(clip(3.5 + u_uᵀ v_i + noise, 1, 5))
/// with rank-5 factors (entries N(0, 0.35²)) and noise N(0, 0.5²). source says "synthetic".
RatingTable synthetic_movielens(uint64_t seed);

}  // namespace ae::data
