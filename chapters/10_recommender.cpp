// Chapter 10 — Recommender systems: CF baselines and AutoRec on MovieLens-100K
// (lectures 000, "Recommendation System", and 001, "Applications in Recommender Systems")
//
// A rating matrix R (943 users x 1,682 movies in MovieLens-100K) is known on 100,000 entries
// and empty on the other 93.7%; recommending means filling it in (lecture 000: "the core
// problem ... is to fill these zero entries"). The lecture's answers, in order:
//   means                r̂_ui = μ, μ_u or μ_i
//   user-based CF        r̂_ui = Σ_v s_uv r_vi / Σ_v s_uv   over the k users v most similar to u
//   item-based CF        r̂_ui = Σ_m s_im r_um / Σ_m s_im   over the k items most similar to i
//                        with s the cosine over co-rated entries (and a mean-centred variant)
//   mean imputation+SVD  fill the holes with item means, keep the top singular triplets
//   NMF                  R ≈ P Qᵀ with P, Q >= 0, fitted on the known entries
//   biased MF (Funk SVD) r̂_ui = μ + b_u + b_i + q_iᵀ p_u by SGD on the known entries
//   AutoRec              an autoencoder reconstructs each item's (I-) or user's (U-) rating
//                        vector, the loss counting observed entries only (lecture 001:
//                        "only update weights in W that are connected to the observed ratings")
// Evaluation is offline (lecture 000): hold out ratings, predict them, report RMSE and MAE,
// and the precision / recall of a top-10 list against held-out ratings >= 4.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "chapters/chapters.hpp"
#include "linalg/error.hpp"
#include "nn/autorec.hpp"
#include "nn/data/locate.hpp"
#include "nn/data/movielens.hpp"
#include "nn/metrics.hpp"
#include "nn/pca.hpp"
#include "nn/recommender.hpp"
#include "nn/viz/plots.hpp"
#include "tensor/ops.hpp"

namespace ae::chapters {

namespace {

// Surprise's README benchmark on MovieLens-100K (5-fold cross-validation, RMSE),
// github.com/NicolasHug/Surprise, "Benchmarks".
const std::vector<std::pair<std::string, double>> kSurprise = {
    {"SVD", 0.934},           {"SVD++", 0.919},        {"k-NN Baseline", 0.931},
    {"NMF", 0.963},           {"Baseline", 0.944},     {"Slope One", 0.946},
    {"Co-clustering", 0.963}, {"k-NN", 0.980},         {"Centered k-NN", 0.951},
    {"Random", 1.514}};

struct Ratings {
  data::RatingTable table;
  bool synthetic = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Scores {
  std::vector<double> rmse, mae, seconds;
  std::string published;
};

std::string mean_std(const std::vector<double>& v, int digits = 4) {
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) s += (x - m) * (x - m);
  s = v.size() > 1 ? std::sqrt(s / static_cast<double>(v.size() - 1)) : 0.0;
  return fmt::format("{:.{}f} ± {:.{}f}", m, digits, s, digits);
}

double mean_of(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  return m / static_cast<double>(v.size());
}

// An environment option of this chapter: empty when unset, else one of `allowed`.
std::string env_choice(const char* name, const std::vector<std::string>& allowed) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0') return "";
  for (const auto& a : allowed)
    if (a == env) return a;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Error(fmt::format("{} must be one of {}; got '{}'", name, list, env));
}

// How AutoRec is trained. The validation part is carved from the training fold (never the
// test fold); early stopping watches its RMSE; with refit the model is then trained again on
// the whole training fold for the chosen number of epochs.
struct AutoRecRecipe {
  float lambda = 100.0f;
  float lr = 2.5e-4f;
  int64_t batch = 32;
  int max_epochs = 80;
  int patience = 10;
  bool refit = true;
  int seeds = 1;  // > 1: also an ensemble averaging the models of this many seeds
  std::string chosen_by;
};

struct AutoRecFit {
  std::unique_ptr<nn::MatrixPredictor> predictor;
  std::shared_ptr<nn::AutoRec> model;
  std::vector<double> train_rmse, validation_rmse, monitor_rmse;
  int best_epoch = 0;
  double best_validation = 0;
  double seconds = 0;
};

// One AutoRec by the recipe: early stopping on 10% of `train`, then (refit) all of `train`.
// `monitor` (the test fold) is only recorded per epoch for the figure.
AutoRecFit fit_autorec(const std::vector<data::Rating>& train, const std::vector<data::Rating>& monitor,
                       int64_t users, int64_t items, nn::AutoRecKind kind, const AutoRecRecipe& recipe,
                       uint64_t seed) {
  const auto start = std::chrono::steady_clock::now();
  const auto part = nn::holdout_split(train, 0.1, seed + 17);
  nn::AutoRecOptions o;
  o.kind = kind;
  o.hidden = 500;
  o.lambda = recipe.lambda;
  o.lr = recipe.lr;
  o.batch_size = recipe.batch;
  o.epochs = recipe.max_epochs;
  o.patience = recipe.patience;
  o.seed = seed;
  o.validation = part.test;
  o.monitor = monitor;
  auto stopped = nn::train_autorec(part.train, users, items, o);
  AutoRecFit out;
  out.best_epoch = stopped.best_epoch;
  out.best_validation = stopped.validation_rmse[static_cast<size_t>(stopped.best_epoch - 1)];
  out.train_rmse = stopped.train_rmse;
  out.validation_rmse = stopped.validation_rmse;
  out.monitor_rmse = stopped.monitor_rmse;
  if (recipe.refit) {
    o.validation.clear();
    o.monitor.clear();
    o.epochs = stopped.best_epoch;
    auto again = nn::train_autorec(train, users, items, o);
    out.predictor = std::move(again.predictor);
    out.model = again.model;
  } else {
    out.predictor = std::move(stopped.predictor);
    out.model = stopped.model;
  }
  out.seconds = seconds_since(start);
  return out;
}

// Titles of u.item by dense item index (empty when the file is missing or unreadable).
std::vector<std::string> item_titles(const std::filesystem::path& dir, const data::RatingTable& table) {
  std::vector<std::string> titles(static_cast<size_t>(table.num_items));
  std::ifstream in(dir / "u.item");
  if (!in) return {};
  std::string line;
  while (std::getline(in, line)) {
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    const auto end = line.find('|', bar + 1);
    int64_t id = 0;
    try {
      id = std::stoll(line.substr(0, bar));
    } catch (const std::exception&) {
      continue;
    }
    const auto at = std::lower_bound(table.item_ids.begin(), table.item_ids.end(), id);
    if (at == table.item_ids.end() || *at != id) continue;
    titles[static_cast<size_t>(at - table.item_ids.begin())] = line.substr(bar + 1, end - bar - 1);
  }
  return titles;
}

}  // namespace

void run_recommender(const Options& options) {
  Lesson lesson(chapter_info(10), options);
  const bool quick = lesson.quick();
  const bool full_protocol = env_choice("AELAB_CH10_PROTOCOL", {"full", "one"}) == "full";
  const bool published_splits = env_choice("AELAB_CH10_SPLITS", {"kfold", "published"}) == "published";
  const bool grid = env_choice("AELAB_CH10_GRID", {"0", "1"}) == "1";
  int seeds = 1;
  if (const std::string e = env_choice("AELAB_CH10_SEEDS", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}); !e.empty())
    seeds = std::stoi(e);
  std::filesystem::path data_dir;

  Ratings data = lesson.step("Load MovieLens-100K and see how empty the rating matrix is", [&] {
    Ratings out;
    try {
      const auto dir = data::locate_dataset("ml-100k", options.data);
      data_dir = dir;
      out.table = data::read_movielens(dir / "u.data");
      lesson.say("read {}", out.table.source);
    } catch (const Error& e) {
      // Without the data set the chapter still runs, on a low-rank matrix of the same shape
      // and sparsity, and says so everywhere.
      out.synthetic = true;
      out.table = data::synthetic_movielens(options.seed);
      lesson.say("SYNTHETIC DATA: MovieLens-100K was not found ({}).", e.what());
      lesson.say("Get it with `bash scripts/get_data.sh ml-100k`, or put u.data in data/ml-100k/.");
      lesson.note("SYNTHETIC DATA: every number and figure of this run comes from a synthetic "
                  "low-rank rating matrix shaped like MovieLens-100K, not from MovieLens");
    }
    const auto& t = out.table;
    const double empty = nn::sparsity(static_cast<int64_t>(t.ratings.size()), t.num_users, t.num_items);
    lesson.say("{} users x {} items, {} ratings: {:.1f}% of the matrix is empty", t.num_users,
               t.num_items, t.ratings.size(), 100.0 * empty);
    lesson.metric("users", static_cast<double>(t.num_users), "users");
    lesson.metric("items", static_cast<double>(t.num_items), "items");
    lesson.metric("sparsity", empty, "share of the matrix without a rating");
    lesson.record("synthetic", out.synthetic ? 1.0 : 0.0);
    return out;
  });
  const std::string tag = data.synthetic ? " [SYNTHETIC DATA]" : " (MovieLens-100K)";
  const int64_t users = data.table.num_users, items = data.table.num_items;

  // Surprise's protocol: ratings shuffled with a seed, five disjoint folds. The default run
  // scores the first fold only, to stay within the main job's time; AELAB_CH10_PROTOCOL=full
  // runs all five. AELAB_CH10_SPLITS=published uses ml-100k's own u1..u5 splits instead.
  const auto splits = lesson.step("Cut the ratings into five folds (Surprise's KFold, or ml-100k's u1..u5)", [&] {
    std::vector<nn::RatingSplit> s;
    const size_t used = full_protocol ? 5 : 1;
    if (published_splits && !data.synthetic) {
      for (size_t k = 1; k <= used; ++k)
        s.push_back(nn::movielens_published_split(data_dir, std::to_string(k), data.table));
      lesson.say("ml-100k's published split{} (AELAB_CH10_SPLITS=published): {} training and {} test ratings in u1",
                 used == 1 ? " u1" : "s u1..u5", s[0].train.size(), s[0].test.size());
    } else {
      if (published_splits) lesson.say("AELAB_CH10_SPLITS=published needs MovieLens-100K; the synthetic data is cut into 5 folds");
      s = nn::kfold_splits(data.table.ratings, 5, options.seed);
      s.resize(used);
      lesson.say("{} fold(s) of {} test ratings each", used, s[0].test.size());
    }
    lesson.say("{}", full_protocol ? "the full protocol: all five splits" :
                                     "split 1 only (AELAB_CH10_PROTOCOL=full runs all five)");
    lesson.say("predictions are clipped to [1, 5]; a user or item without training ratings gets "
               "the global mean (AutoRec: 3 stars, as its paper)");
    if (!full_protocol) lesson.note("one split of five scored; AELAB_CH10_PROTOCOL=full runs all five");
    return s;
  });

  // AutoRec's hyper-parameters. Every choice is made on a validation part (10%) of the
  // training fold, never on the test fold: the number of epochs by early stopping, and λ and
  // the learning rate by validation runs (the grid, AELAB_CH10_GRID=1, on fold 1's training
  // part; docs/chapters/ch10_recommender.md gives its table). The full protocol refits on the whole training fold for the chosen epochs; the
  // default run uses a faster rate and the early-stopped model, to stay near a minute.
  AutoRecRecipe recipe;
  recipe.seeds = seeds;
  if (quick) {
    recipe = {.lambda = 100.0f, .lr = 2e-3f, .batch = 64, .max_epochs = 3, .patience = 3, .refit = false,
              .seeds = 1, .chosen_by = "the quick run: 3 epochs at a high rate"};
  } else if (!full_protocol) {
    recipe = {.lambda = 100.0f, .lr = 1e-3f, .batch = 64, .max_epochs = 30, .patience = 5, .refit = false,
              .seeds = seeds, .chosen_by = "the full protocol's lambda with a 4x rate and no refit, to keep the "
                                           "default run short"};
  } else {
    recipe.chosen_by = "validation runs on the training folds' validation parts (AELAB_CH10_GRID=1 searches "
                       "lambda and the rate again)";
  }
  lesson.step("Grid search of lambda and the learning rate on fold 1's validation part", [&] {
    if (!grid || quick) {
      lesson.say("not run: AELAB_CH10_GRID=1 searches lambda in {{30, 100, 300, 1000}} x rate in {{2.5e-4, 1e-3}} "
                 "(I-AutoRec, early stopping on 10% of fold 1's training ratings)");
      return;
    }
    {
      const auto start = std::chrono::steady_clock::now();
      Table t;
      t.title = "I-AutoRec, validation RMSE (10% of fold 1's training ratings; early stopping, patience 10)" + std::string(data.synthetic ? " [SYNTHETIC DATA]" : "");
      t.headers = {"lambda", "learning rate", "best epoch", "validation RMSE"};
      double best = 1e9;
      for (float lambda : {30.0f, 100.0f, 300.0f, 1000.0f}) {
        for (float lr : {2.5e-4f, 1e-3f}) {
          AutoRecRecipe r = recipe;
          r.lambda = lambda;
          r.lr = lr;
          r.batch = 32;
          r.max_epochs = 80;
          r.patience = 10;
          r.refit = false;
          const auto f = fit_autorec(splits[0].train, {}, users, items, nn::AutoRecKind::ItemBased, r, options.seed);
          t.rows.push_back({num(lambda, 4), num(lr, 4), std::to_string(f.best_epoch), num(f.best_validation, 4)});
          lesson.say("lambda {:g}, lr {:g}: validation RMSE {:.4f} at epoch {}", lambda, lr, f.best_validation, f.best_epoch);
          if (f.best_validation < best) {
            best = f.best_validation;
            recipe.lambda = lambda;
            recipe.lr = lr;
          }
        }
      }
      lesson.table(t);
      recipe.batch = 32;  // the grid's schedule goes with its choice
      recipe.max_epochs = 80;
      recipe.patience = 10;
      recipe.chosen_by = fmt::format("the grid on fold 1's validation part (run time {:.0f} s)", seconds_since(start));
      lesson.say("chosen: lambda {:g}, learning rate {:g}; the grid took {:.0f} s", recipe.lambda, recipe.lr, seconds_since(start));
    }
  });
  lesson.say("AutoRec: hidden 500, lambda {:g}, Adam at {:g}, batches of {}, up to {} epochs, early stopping "
             "on 10% of the training fold (patience {}){}; chosen by {}",
             recipe.lambda, recipe.lr, recipe.batch, recipe.max_epochs, recipe.patience,
             recipe.refit ? ", then a refit on the whole training fold for the best epoch count" : "",
             recipe.chosen_by);

  std::vector<std::string> order;
  std::map<std::string, Scores> scores;
  auto score = [&](const std::string& name, const std::string& published,
                   const nn::RatingPredictor& model, const std::vector<data::Rating>& test,
                   double seconds) {
    const auto e = nn::rating_errors(model, test);
    if (!scores.count(name)) order.push_back(name);
    auto& s = scores[name];
    s.rmse.push_back(e.rmse);
    s.mae.push_back(e.mae);
    s.seconds.push_back(seconds);
    s.published = published;
    lesson.say("{:<44} RMSE {:.4f}  MAE {:.4f}  ({:.1f} s)", name, e.rmse, e.mae, seconds);
  };
  AutoRecFit item_run, user_run;

  for (size_t f = 0; f < splits.size(); ++f) {
    const auto& split = splits[f];
    lesson.step(fmt::format("Fold {}: the baselines of lecture 000", f + 1), [&] {
      auto start = std::chrono::steady_clock::now();
      for (auto kind : {nn::MeanKind::Global, nn::MeanKind::User, nn::MeanKind::Item}) {
        start = std::chrono::steady_clock::now();
        auto m = nn::fit_mean(split.train, users, items, kind);
        score(m->name(), "", *m, split.test, seconds_since(start));
      }
      for (auto kind : {nn::Neighbourhood::UserBased, nn::Neighbourhood::ItemBased}) {
        for (bool centred : {false, true}) {
          start = std::chrono::steady_clock::now();
          nn::KnnCF m(split.train, users, items, kind, {.k = 40, .mean_centred = centred});
          score(m.name(), centred ? "Centered k-NN 0.951" : "k-NN 0.980", m, split.test, seconds_since(start));
        }
      }
      start = std::chrono::steady_clock::now();
      auto svd = nn::fit_imputed_svd(split.train, users, items, 10, options.seed);
      score(svd->name(), "", *svd, split.test, seconds_since(start));
      start = std::chrono::steady_clock::now();
      auto nmf = nn::fit_nmf(split.train, users, items, {.epochs = quick ? 10 : 50, .seed = options.seed});
      score(nmf.predictor->name(), "NMF 0.963", *nmf.predictor, split.test, seconds_since(start));
      start = std::chrono::steady_clock::now();
      nn::FunkSVD funk(split.train, users, items, {.epochs = quick ? 5 : 20, .seed = options.seed});
      score(funk.name(), "SVD 0.934", funk, split.test, seconds_since(start));
    });
    lesson.step(fmt::format("Fold {}: I-AutoRec and U-AutoRec (hidden 500, masked loss + L2)", f + 1), [&] {
      for (auto kind : {nn::AutoRecKind::ItemBased, nn::AutoRecKind::UserBased}) {
        const bool item_based = kind == nn::AutoRecKind::ItemBased;
        const int runs = item_based ? recipe.seeds : 1;
        Tensor sum;
        double total_seconds = 0;
        for (int k = 0; k < runs; ++k) {
          auto r = fit_autorec(split.train, split.test, users, items, kind, recipe, options.seed + 1000 * static_cast<uint64_t>(k));
          total_seconds += r.seconds;
          lesson.say("{} seed {}: best epoch {} (validation RMSE {:.4f})", item_based ? "I-AutoRec" : "U-AutoRec",
                     options.seed + 1000 * static_cast<uint64_t>(k), r.best_epoch, r.best_validation);
          sum = k == 0 ? r.predictor->estimates().clone() : sum + r.predictor->estimates();
          if (k == 0) {
            score(item_based ? "I-AutoRec" : "U-AutoRec", "", *r.predictor, split.test, r.seconds);
            if (f == 0) (item_based ? item_run : user_run) = std::move(r);
          }
        }
        if (runs > 1) {
          const nn::MatrixPredictor ensemble("I-AutoRec ensemble", sum * (1.0f / static_cast<float>(runs)), split.train,
                                             nn::Fallback::Three);
          score(fmt::format("I-AutoRec, ensemble of {} seeds", runs), "", ensemble, split.test, total_seconds);
        }
      }
    });
  }

  lesson.step("The table: every method against Surprise's published ML-100K numbers", [&] {
    Table t;
    t.title = fmt::format("RMSE and MAE, mean ± std over {} fold(s){}", splits.size(), tag);
    t.headers = {"method", "RMSE", "MAE", "fit time (s)", "Surprise (README benchmark, RMSE)"};
    for (const auto& name : order) {
      const auto& s = scores[name];
      t.rows.push_back({name, mean_std(s.rmse), mean_std(s.mae), num(mean_of(s.seconds), 3),
                        s.published.empty() ? "" : s.published});
    }
    lesson.table(t);
    Table p;
    p.title = "Surprise's published ML-100K RMSE (github.com/NicolasHug/Surprise README, 5-fold CV)";
    p.headers = {"algorithm", "RMSE"};
    for (const auto& [n, v] : kSurprise) p.rows.push_back({n, fmt::format("{:.3f}", v)});
    lesson.table(p);
    auto key = [](std::string n) {
      std::string k;
      for (char c : n) k += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
      return k;
    };
    for (const auto& name : order) {
      lesson.record(key(name) + "_rmse", mean_of(scores[name].rmse));
      lesson.record(key(name) + "_mae", mean_of(scores[name].mae));
    }
    const double i_rmse = mean_of(scores["I-AutoRec"].rmse), u_rmse = mean_of(scores["U-AutoRec"].rmse);
    const double item_mean = mean_of(scores["item mean"].rmse);
    lesson.say("I-AutoRec RMSE {:.4f}, U-AutoRec {:.4f}, item mean {:.4f}", i_rmse, u_rmse, item_mean);
    lesson.say("check: I-AutoRec beats the item mean: {}", i_rmse < item_mean ? "pass" : "FAIL");
    lesson.say("check: I-AutoRec <= 0.890 RMSE (single model, {} split(s)): {}", splits.size(),
               i_rmse <= 0.890 ? fmt::format("pass ({:.4f})", i_rmse) : fmt::format("FAIL, missed: {:.4f}", i_rmse));
    if (recipe.seeds > 1) {
      const double e_rmse = mean_of(scores[fmt::format("I-AutoRec, ensemble of {} seeds", recipe.seeds)].rmse);
      lesson.say("check: I-AutoRec ensemble of {} seeds <= 0.890 RMSE (an ensemble, not the single model): {}", recipe.seeds,
                 e_rmse <= 0.890 ? fmt::format("pass ({:.4f})", e_rmse) : fmt::format("FAIL, missed: {:.4f}", e_rmse));
      lesson.record("check_i_autorec_ensemble_0_890", e_rmse <= 0.890 ? 1 : 0);
    }
    if (!full_protocol) lesson.say("(the goal is stated for the 5-fold protocol: AELAB_CH10_PROTOCOL=full)");
    lesson.say("check: U-AutoRec worse than I-AutoRec, as the paper finds: {}", u_rmse > i_rmse ? "pass" : "FAIL");
    lesson.record("check_i_autorec_beats_item_mean", i_rmse < item_mean ? 1 : 0);
    lesson.record("check_i_autorec_0_890", i_rmse <= 0.890 ? 1 : 0);
    lesson.say("U-AutoRec reconstructs a user's row of {} items from that user's few ratings and "
               "has {} training rows; I-AutoRec reconstructs an item's row of {} users and has {} "
               "rows. The paper: ratings per item outnumber ratings per user, and users vary a "
               "lot, so the item-based model is more reliable.",
               items, users, users, items);
  });

  lesson.step("Top-10 recommendations: precision and recall on held-out ratings >= 4", [&] {
    const auto& split = splits[0];
    std::vector<std::vector<int64_t>> relevant(static_cast<size_t>(users));
    for (const auto& r : split.test)
      if (r.rating >= 4.0f) relevant[static_cast<size_t>(r.user)].push_back(r.item);
    const auto seen = nn::rating_matrix(split.train, users, items).mask;
    auto report = [&](const std::string& key, const Tensor& scores_matrix, const std::string& name) {
      const auto pr = nn::precision_recall_at_k(scores_matrix, relevant, 10, seen);
      lesson.say("{:<12} precision@10 {:.4f}  recall@10 {:.4f}  ({} users)", name, pr.precision, pr.recall, pr.users);
      lesson.record(key + "_precision_at_10", pr.precision);
      lesson.record(key + "_recall_at_10", pr.recall);
    };
    report("item_mean", nn::predict_matrix(*nn::fit_mean(split.train, users, items, nn::MeanKind::Item), users, items), "item mean");
    report("i_autorec", item_run.predictor->estimates(), "I-AutoRec");
  });

  lesson.step("Figures: the sparsity pattern, and the error against how much a user rated", [&] {
    // Users (rows) and items (columns) sorted by their number of ratings, most first; each
    // pixel a 2 x 2 block of the matrix, darker the more of it is rated.
    const auto& all = data.table.ratings;
    std::vector<int64_t> user_count(static_cast<size_t>(users), 0), item_count(static_cast<size_t>(items), 0);
    for (const auto& r : all) {
      ++user_count[static_cast<size_t>(r.user)];
      ++item_count[static_cast<size_t>(r.item)];
    }
    auto rank_of = [](const std::vector<int64_t>& count) {
      std::vector<int64_t> sorted(count.size()), rank(count.size());
      for (size_t j = 0; j < sorted.size(); ++j) sorted[j] = static_cast<int64_t>(j);
      std::stable_sort(sorted.begin(), sorted.end(), [&](int64_t a, int64_t b) {
        return count[static_cast<size_t>(a)] > count[static_cast<size_t>(b)];
      });
      for (size_t j = 0; j < sorted.size(); ++j) rank[static_cast<size_t>(sorted[j])] = static_cast<int64_t>(j);
      return rank;
    };
    const auto user_rank = rank_of(user_count), item_rank = rank_of(item_count);
    viz::GrayImage image{(users + 1) / 2, (items + 1) / 2, {}};
    image.pixels.assign(static_cast<size_t>(image.height * image.width), 1.0f);
    for (const auto& r : all) {
      const int64_t y = user_rank[static_cast<size_t>(r.user)] / 2, x = item_rank[static_cast<size_t>(r.item)] / 2;
      image.pixels[static_cast<size_t>(y * image.width + x)] -= 0.25f;
    }
    viz::image_grid(lesson.figure("sparsity_pattern.png", "Rated entries (dark) of the users x items matrix, both sorted by count" + tag),
                    {{image}}, {"users"}, "Rated entries, users x items sorted by count" + tag, 1);

    // Test RMSE of fold 1 by the user's number of training ratings.
    const auto& split = splits[0];
    std::vector<int64_t> train_count(static_cast<size_t>(users), 0);
    for (const auto& r : split.train) ++train_count[static_cast<size_t>(r.user)];
    const std::vector<int64_t> edges = {0, 20, 40, 80, 160, 320, 100000};
    auto by_bucket = [&](const nn::RatingPredictor& model) {
      std::vector<double> squared(edges.size() - 1, 0.0), n(edges.size() - 1, 0.0);
      for (const auto& r : split.test) {
        const int64_t c = train_count[static_cast<size_t>(r.user)];
        size_t b = 0;
        while (b + 2 < edges.size() && c >= edges[b + 1]) ++b;
        const double e = model.predict(r.user, r.item) - r.rating;
        squared[b] += e * e;
        n[b] += 1;
      }
      std::vector<double> xs, ys;
      for (size_t b = 0; b < squared.size(); ++b) {
        if (n[b] == 0) continue;
        xs.push_back(static_cast<double>(b + 1));
        ys.push_back(std::sqrt(squared[b] / n[b]));
      }
      return std::make_pair(xs, ys);
    };
    const auto item_mean = nn::fit_mean(split.train, users, items, nn::MeanKind::Item);
    const auto [xi, yi] = by_bucket(*item_run.predictor);
    const auto [xm, ym] = by_bucket(*item_mean);
    lesson.say("user buckets by training ratings: 1: <20, 2: 20-39, 3: 40-79, 4: 80-159, 5: 160-319, 6: >=320");
    for (size_t j = 0; j < xi.size(); ++j)
      lesson.say("bucket {}: I-AutoRec RMSE {:.4f}, item mean {:.4f}", xi[j], yi[j], j < ym.size() ? ym[j] : 0.0);
    viz::line_plot(lesson.figure("rmse_by_user_ratings.png", "Test RMSE by the user's number of training ratings (buckets 1: <20 ... 6: >=320)" + tag),
                   {{"I-AutoRec", xi, yi}, {"item mean", xm, ym}},
                   "Cold users: test RMSE by ratings per user" + tag,
                   "bucket of training ratings per user (1: <20, 2: 20-39, 3: 40-79, 4: 80-159, 5: 160-319, 6: >=320)", "RMSE");
  });

  lesson.step("Figure: RMSE per epoch of I- and U-AutoRec", [&] {
    lesson.say("curves of the early-stopping run (90% of the training fold); validation chose epoch {} (I) and {} (U)",
               item_run.best_epoch, user_run.best_epoch);
    viz::line_plot(lesson.figure("autorec_rmse.png", "RMSE per epoch, fold 1, early-stopping run" + tag),
                   {{"I-AutoRec train", {}, item_run.train_rmse},
                    {"I-AutoRec validation", {}, item_run.validation_rmse},
                    {"I-AutoRec test", {}, item_run.monitor_rmse},
                    {"U-AutoRec train", {}, user_run.train_rmse},
                    {"U-AutoRec test", {}, user_run.monitor_rmse}},
                   "AutoRec RMSE per epoch" + tag, "epoch", "RMSE");
  });
  lesson.step("Figure: a 2-D map of I-AutoRec's item codes (PCA by our linalg)", [&] {
    // Every item's code sigmoid(W r^(i) + μ) from its training ratings (fold 1), projected on
    // the two leading principal components; a few well-known titles are coloured.
    const auto rows = nn::autorec_rows(splits[0].train, users, items, nn::AutoRecKind::ItemBased);
    Tensor codes;
    {
      const NoGradGuard no_grad;
      item_run.model->eval();
      codes = item_run.model->encode(Variable(rows.values)).value().contiguous();
    }
    auto pca = nn::PCA::fit(codes, 2, nn::PcaSolver::Randomized, options.seed);
    const Tensor z = pca.encode(codes).contiguous();
    lesson.say("the two components explain {:.1f}% of the codes' variance",
               100.0 * (pca.eigenvalues()[0] + pca.eigenvalues()[1]) / pca.total_variance());
    const std::vector<std::string> titles = data.synthetic ? std::vector<std::string>{} : item_titles(data_dir, data.table);
    const std::vector<std::string> famous = {"Star Wars (1977)", "Return of the Jedi (1983)", "Empire Strikes Back, The (1980)",
                                             "Toy Story (1995)", "Fargo (1996)", "Pulp Fiction (1994)",
                                             "Schindler's List (1993)", "Scream (1996)", "Liar Liar (1997)"};
    std::vector<float> xs, ys;
    std::vector<int> labels;
    std::vector<std::string> names = {"other items"};
    const float* zp = z.data();
    std::vector<std::pair<float, float>> marked;
    for (int64_t i = 0; i < items; ++i) {
      int label = 0;
      if (!titles.empty()) {
        const auto at = std::find(famous.begin(), famous.end(), titles[static_cast<size_t>(i)]);
        if (at != famous.end()) {
          names.push_back(*at);
          label = static_cast<int>(names.size()) - 1;
          lesson.say("{:<34} at ({:+.2f}, {:+.2f})", *at, zp[2 * i], zp[2 * i + 1]);
        }
      }
      xs.push_back(zp[2 * i]);
      ys.push_back(zp[2 * i + 1]);
      labels.push_back(label);
    }
    if (titles.empty()) lesson.say("no titles (u.item not found): the items are not labelled");
    // What the first direction follows: its correlation with log(1 + training ratings of the item).
    std::vector<double> count(static_cast<size_t>(items), 0.0);
    for (const auto& r : splits[0].train) count[static_cast<size_t>(r.item)] += 1.0;
    double mx = 0, my = 0;
    for (int64_t i = 0; i < items; ++i) {
      count[static_cast<size_t>(i)] = std::log1p(count[static_cast<size_t>(i)]);
      mx += xs[static_cast<size_t>(i)];
      my += count[static_cast<size_t>(i)];
    }
    mx /= static_cast<double>(items);
    my /= static_cast<double>(items);
    double sxy = 0, sxx = 0, syy = 0;
    for (int64_t i = 0; i < items; ++i) {
      const double dx = xs[static_cast<size_t>(i)] - mx, dy = count[static_cast<size_t>(i)] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    const double corr = sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
    lesson.say("correlation of PC 1 with log(1 + the item's training ratings): {:+.3f}", corr);
    lesson.record("item_codes_pc1_count_correlation", corr);
    // The labelled items are drawn last, on top of the others.
    std::vector<size_t> order_idx(static_cast<size_t>(items));
    for (size_t j = 0; j < order_idx.size(); ++j) order_idx[j] = j;
    std::stable_sort(order_idx.begin(), order_idx.end(), [&](size_t a, size_t b) { return labels[a] < labels[b]; });
    std::vector<float> sx, sy;
    std::vector<int> sl;
    for (size_t j : order_idx) {
      sx.push_back(xs[j]);
      sy.push_back(ys[j]);
      sl.push_back(labels[j]);
    }
    viz::scatter_plot(lesson.figure("item_codes.png", "I-AutoRec item codes, first two principal components, fold 1" + tag),
                      sx, sy, sl, names, "I-AutoRec item codes (PCA)" + tag, "PC 1", "PC 2");
  });
  lesson.finish();
}

}  // namespace ae::chapters
