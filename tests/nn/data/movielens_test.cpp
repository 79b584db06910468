// MovieLens reader: the real ml-100k u.data, and small files in each layout written here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "linalg/error.hpp"
#include "nn/data/movielens.hpp"
#include "tests/testing/fresh_dir.hpp"

namespace fs = std::filesystem;
using ae::data::read_movielens;

namespace {

const fs::path kUData =
    fs::path(AELAB_SOURCE_DIR) / ".." / "shared" / "data" / "ml-100k" / "u.data";

class DataRatingFiles : public ae::testing::FreshDirTest {
 protected:

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = dir_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

  std::string error_of(const std::string& name, const std::string& text) {
    const fs::path file = write(name, text);
    try {
      read_movielens(file);
    } catch (const ae::Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for " << name;
    return "";
  }
};

}  // namespace

TEST_F(DataRatingFiles, UDataLayoutAndDenseIds) {
  // Users 7 and 3, items 50, 10 and 20: dense ids follow the sorted original ids.
  const auto table =
      read_movielens(write("u.data", "7\t50\t4\t100\n3\t10\t1\t200\n7\t20\t5\t300\n"));
  EXPECT_EQ(table.num_users, 2);
  EXPECT_EQ(table.num_items, 3);
  EXPECT_EQ(table.user_ids, (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(table.item_ids, (std::vector<int64_t>{10, 20, 50}));
  ASSERT_EQ(table.ratings.size(), 3u);
  EXPECT_EQ(table.ratings[0].user, 1);  // user 7
  EXPECT_EQ(table.ratings[0].item, 2);  // item 50
  EXPECT_EQ(table.ratings[0].rating, 4.0f);
  EXPECT_EQ(table.ratings[0].timestamp, 100);
  EXPECT_EQ(table.ratings[1].user, 0);
  EXPECT_EQ(table.ratings[1].item, 0);
  EXPECT_EQ(table.ratings[2].item, 1);
  EXPECT_EQ(table.ratings[2].rating, 5.0f);
}

TEST_F(DataRatingFiles, Ml1mLayout) {
  const auto table = read_movielens(write(
      "ratings.dat", "1::1193::5::978300760\r\n1::661::3::978302109\r\n2::1193::4::978298413\r\n"));
  EXPECT_EQ(table.num_users, 2);
  EXPECT_EQ(table.num_items, 2);
  EXPECT_EQ(table.item_ids, (std::vector<int64_t>{661, 1193}));
  EXPECT_EQ(table.ratings[1].rating, 3.0f);
  EXPECT_EQ(table.ratings[2].timestamp, 978298413);
}

TEST_F(DataRatingFiles, MlLatestCsvWithHeaderAndHalfStars) {
  const auto table = read_movielens(write("ratings.csv",
                                          "userId,movieId,rating,timestamp\n1,307,3.5,"
                                          "1256677221\n1,481,0.5,1256677456\n\n2,307,5.0,1\n"));
  ASSERT_EQ(table.ratings.size(), 3u);  // the blank line is skipped
  EXPECT_EQ(table.ratings[0].rating, 3.5f);
  EXPECT_EQ(table.ratings[1].rating, 0.5f);
  EXPECT_EQ(table.num_users, 2);
  EXPECT_EQ(table.num_items, 2);
}

TEST_F(DataRatingFiles, MalformedLinesNameFileLineAndProblem) {
  std::string message = error_of("u.data", "1\t2\t3\t4\n1\t2\t3\n");
  EXPECT_NE(message.find("u.data:2: expected 4 fields"), std::string::npos) << message;
  EXPECT_NE(message.find("found 3"), std::string::npos) << message;

  message = error_of("u.data", "1\t2\t3\t4\n5\tx\t3\t4\n");
  EXPECT_NE(message.find(":2: item id \"x\" is not an integer"), std::string::npos) << message;

  message = error_of("u.data", "1\t2\t3\t4\n\n1\t3\t7\t4\n");
  EXPECT_NE(message.find(":3: rating 7 is outside"), std::string::npos) << message;

  message = error_of("ratings.dat", "1::2::3::4\n1::2::three::4\n");
  EXPECT_NE(message.find(":2: rating \"three\" is not a number"), std::string::npos) << message;

  message = error_of("ratings.dat", "1::2::3::4\n1::2::nan::4\n");
  EXPECT_NE(message.find(":2: rating \"nan\" is not a number"), std::string::npos) << message;

  message = error_of("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,12:00\n");
  EXPECT_NE(message.find(":2: timestamp \"12:00\" is not an integer"), std::string::npos)
      << message;

  message = error_of("ratings.csv", "1,-2,3,4\n");
  EXPECT_NE(message.find(":1: item id -2 is negative"), std::string::npos) << message;

  // A line in another layout than the first one.
  message = error_of("u.data", "1\t2\t3\t4\n1::2::3::4\n");
  EXPECT_NE(message.find(":2: expected 4 fields"), std::string::npos) << message;

  message = error_of("notes.txt", "hello world\n");
  EXPECT_NE(message.find(":1: cannot tell the layout"), std::string::npos) << message;

  message = error_of("empty.csv", "userId,movieId,rating,timestamp\n");
  EXPECT_NE(message.find("no ratings"), std::string::npos) << message;

  EXPECT_THROW(read_movielens(dir_ / "missing.data"), ae::Error);
}

TEST_F(DataRatingFiles, DuplicatesIdsAndStarsAreRefusedWithFileAndLine) {
  std::string message = error_of("u.data", "1\t2\t3\t4\n5\t6\t4\t4\n1\t2\t5\t9\n");
  EXPECT_NE(message.find("u.data:3: user 1 rated item 2 already on line 1"), std::string::npos)
      << message;
  message = error_of("u.data", "1\t2\t3\t4\n0\t6\t4\t4\n");
  EXPECT_NE(message.find("u.data:2: user id 0 is out of range"), std::string::npos) << message;
  message = error_of("ratings.dat", "1::0::3::4\n");
  EXPECT_NE(message.find("ratings.dat:1: item id 0 is out of range"), std::string::npos) << message;
  // Whole stars in u.data and ratings.dat; ml-latest's half stars stay allowed.
  message = error_of("u.data", "1\t2\t3\t4\n1\t3\t3.5\t4\n");
  EXPECT_NE(message.find("u.data:2: rating 3.5 is not a whole star"), std::string::npos) << message;
  message = error_of("ratings.dat", "1::2::0.5::4\n");
  EXPECT_NE(message.find("ratings.dat:1: rating 0.5 is not a whole star"), std::string::npos) << message;
  message = error_of("u.data", "1\t2\t3\t4\n1\t3\t6\t4\n");
  EXPECT_NE(message.find("u.data:2: rating 6 is outside"), std::string::npos) << message;
}

// The published facts of MovieLens 100K (ml-100k/README; SOURCES.md in ../shared/data).
TEST(DataMovieLens100k, UDataMatchesPublishedCounts) {
  if (!fs::exists(kUData)) GTEST_SKIP() << kUData << " not present";
  const auto table = read_movielens(kUData);
  ASSERT_EQ(table.ratings.size(), 100000u);
  EXPECT_EQ(table.num_users, 943);
  EXPECT_EQ(table.num_items, 1682);
  // ml-100k numbers users 1..943 and items 1..1682 with no gaps.
  EXPECT_EQ(table.user_ids.front(), 1);
  EXPECT_EQ(table.user_ids.back(), 943);
  EXPECT_EQ(table.item_ids.back(), 1682);
  std::map<float, int> counts;
  for (const auto& r : table.ratings) ++counts[r.rating];
  EXPECT_EQ(counts, (std::map<float, int>{
                        {1.0f, 6110}, {2.0f, 11370}, {3.0f, 27145}, {4.0f, 34174}, {5.0f, 21201}}));
  // First line "196 242 3 881250949": user 196 -> dense 195, item 242 -> dense 241.
  EXPECT_EQ(table.ratings[0].user, 195);
  EXPECT_EQ(table.ratings[0].item, 241);
  EXPECT_EQ(table.ratings[0].rating, 3.0f);
  EXPECT_EQ(table.ratings[0].timestamp, 881250949);
}
