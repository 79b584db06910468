// MovieLens reader. See movielens.hpp for the three layouts.
#include "nn/data/movielens.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <utility>
#include <sstream>
#include <string_view>

#include "linalg/error.hpp"
#include "tensor/random.hpp"

namespace ae::data {
namespace fs = std::filesystem;

namespace {

struct Layout {
  std::string_view separator;
  const char* description;  // for messages
};

constexpr Layout kTabs{"\t", "tabs"};
constexpr Layout kDoubleColons{"::", "\"::\""};
constexpr Layout kCommas{",", "commas"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> split(std::string_view line, std::string_view separator) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t at = line.find(separator, start);
    if (at == std::string_view::npos) {
      fields.push_back(trim(line.substr(start)));
      return fields;
    }
    fields.push_back(trim(line.substr(start, at - start)));
    start = at + separator.size();
  }
}

// from_chars must consume the whole field: "12x" is not the integer 12.
bool parse_int(std::string_view s, int64_t& value) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

bool parse_float(std::string_view s, double& value) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// The dense index of every id: its rank among the distinct ids, smallest first.
std::vector<int64_t> distinct_sorted(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

int64_t dense_index(const std::vector<int64_t>& sorted_ids, int64_t id) {
  return std::lower_bound(sorted_ids.begin(), sorted_ids.end(), id) - sorted_ids.begin();
}

}  // namespace

RatingTable read_movielens(const fs::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (!fs::exists(file, ec)) throw Error(name + ": no such file");
  if (fs::is_directory(file, ec)) throw Error(name + ": is a directory, not a ratings file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(name + ": cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = std::move(buffer).str();

  RatingTable table;
  table.source = name;
  std::vector<int64_t> users, items;
  std::map<std::pair<int64_t, int64_t>, int64_t> first_line;  // (user, item) -> its line
  const Layout* layout = nullptr;
  int64_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view raw(text.data() + start, end - start);
    start = end + 1;
    ++line_number;
    const std::string_view line = trim(raw);
    if (line.empty()) continue;

    auto fail = [&](const std::string& what) -> Error {
      std::string shown(line.substr(0, 80));
      if (line.size() > 80) shown += "...";
      return Error(name + ":" + std::to_string(line_number) + ": " + what + ": \"" + shown + "\"");
    };

    if (layout == nullptr) {
      // The first line decides the layout; every later line must follow it.
      if (line.find("::") != std::string_view::npos) {
        layout = &kDoubleColons;
      } else if (raw.find('\t') != std::string_view::npos) {
        layout = &kTabs;
      } else if (line.find(',') != std::string_view::npos) {
        layout = &kCommas;
        int64_t unused = 0;
        if (!parse_int(split(line, ",")[0], unused)) {
          // ml-latest's header "userId,movieId,rating,timestamp".
          if (split(line, ",").size() != 4) {
            throw fail("the header should name 4 columns (userId,movieId,rating,timestamp)");
          }
          continue;
        }
      } else {
        throw fail(
            "cannot tell the layout: expected 4 fields separated by tabs (u.data), "
            "\"::\" (ratings.dat) or commas (ratings.csv)");
      }
    }

    // u.data's separator is a tab, which trim() would eat at the ends of a line: split the
    // raw line there so that an empty last field still counts as a field.
    const auto fields = split(layout == &kTabs ? raw : line, layout->separator);
    if (fields.size() != 4) {
      throw fail("expected 4 fields (user item rating timestamp) separated by " +
                 std::string(layout->description) + ", found " + std::to_string(fields.size()));
    }
    Rating r{};
    double stars = 0;
    if (!parse_int(fields[0], r.user)) {
      throw fail("user id \"" + std::string(fields[0]) + "\" is not an integer");
    }
    if (!parse_int(fields[1], r.item)) {
      throw fail("item id \"" + std::string(fields[1]) + "\" is not an integer");
    }
    if (r.user < 0) throw fail("user id " + std::to_string(r.user) + " is negative");
    if (r.item < 0) throw fail("item id " + std::to_string(r.item) + " is negative");
    // MovieLens numbers users and movies from 1.
    if (r.user == 0) throw fail("user id 0 is out of range: MovieLens ids start at 1");
    if (r.item == 0) throw fail("item id 0 is out of range: MovieLens ids start at 1");
    if (!parse_float(fields[2], stars) || !std::isfinite(stars)) {
      throw fail("rating \"" + std::string(fields[2]) + "\" is not a number");
    }
    if (stars < 0.5 || stars > 5.0) {
      throw fail("rating " + std::string(fields[2]) + " is outside MovieLens's range 0.5 .. 5");
    }
    if (!parse_int(fields[3], r.timestamp)) {
      throw fail("timestamp \"" + std::string(fields[3]) + "\" is not an integer");
    }
    // u.data and ratings.dat hold whole stars 1 .. 5; only ml-latest has half stars.
    if (layout != &kCommas && (stars < 1.0 || stars != std::floor(stars))) {
      throw fail("rating " + std::string(fields[2]) +
                 " is not a whole star 1 .. 5, as u.data and ratings.dat hold");
    }
    // A second rating of one (user, item) pair would silently overwrite the first.
    const auto [seen, fresh] = first_line.emplace(std::make_pair(r.user, r.item), line_number);
    if (!fresh) {
      throw fail("user " + std::to_string(r.user) + " rated item " + std::to_string(r.item) +
                 " already on line " + std::to_string(seen->second));
    }
    r.rating = static_cast<float>(stars);
    users.push_back(r.user);
    items.push_back(r.item);
    table.ratings.push_back(r);
  }
  if (table.ratings.empty()) throw Error(name + ": no ratings in the file");

  table.user_ids = distinct_sorted(users);
  table.item_ids = distinct_sorted(items);
  table.num_users = static_cast<int64_t>(table.user_ids.size());
  table.num_items = static_cast<int64_t>(table.item_ids.size());
  for (Rating& r : table.ratings) {
    r.user = dense_index(table.user_ids, r.user);
    r.item = dense_index(table.item_ids, r.item);
  }
  return table;
}

RatingTable synthetic_movielens(uint64_t seed) {
  constexpr int64_t kUsers = 943, kItems = 1682, kRatings = 100000, kRank = 5;
  Generator gen(seed);
  std::vector<double> u(kUsers * kRank), v(kItems * kRank);
  for (double& x : u) x = 0.35 * gen.normal();
  for (double& x : v) x = 0.35 * gen.normal();
  std::vector<bool> taken(static_cast<size_t>(kUsers * kItems), false);
  RatingTable table;
  table.source = "synthetic low-rank ratings (not MovieLens)";
  table.num_users = kUsers;
  table.num_items = kItems;
  for (int64_t j = 0; j < kUsers; ++j) table.user_ids.push_back(j + 1);
  for (int64_t j = 0; j < kItems; ++j) table.item_ids.push_back(j + 1);
  while (static_cast<int64_t>(table.ratings.size()) < kRatings) {
    const auto user = static_cast<int64_t>(gen.below(kUsers));
    const auto item = static_cast<int64_t>(gen.below(kItems));
    const auto at = static_cast<size_t>(user * kItems + item);
    if (taken[at]) continue;
    taken[at] = true;
    double r = 3.5 + 0.5 * gen.normal();
    for (int64_t f = 0; f < kRank; ++f) r += u[static_cast<size_t>(user * kRank + f)] * v[static_cast<size_t>(item * kRank + f)];
    const float stars = static_cast<float>(std::clamp(std::round(r), 1.0, 5.0));
    table.ratings.push_back({user, item, stars, static_cast<int64_t>(table.ratings.size())});
  }
  return table;
}

}  // namespace ae::data
