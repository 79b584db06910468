#include "chapters/images.hpp"

#include "nn/data/locate.hpp"

namespace ae::chapters {

ChapterImages load_chapter_images(Lesson& lesson, int64_t quick_train, int64_t quick_test) {
  const auto& options = lesson.options();
  const auto dir = data::locate_dataset("fashion-mnist", options.data);
  ChapterImages images;
  images.dataset = data::detect_dataset_name(dir);
  images.classes = data::class_names(images.dataset == "mnist" ? "mnist" : "fashion-mnist");
  if (images.dataset.empty()) {
    // An unnamed folder: its labels are shown as numbers rather than guessed names.
    images.classes = data::class_names("mnist");
  }
  images.train = data::load_images(dir, "train", options.quick ? quick_train : -1);
  images.test = data::load_images(dir, "t10k", options.quick ? quick_test : -1);
  lesson.say("data: {} ({})", images.dataset.empty() ? "images" : images.dataset, dir.string());
  lesson.say("train {} x {}, test {} x {}{}", images.train.images.shape()[0],
             images.train.images.shape()[1], images.test.images.shape()[0],
             images.test.images.shape()[1], options.quick ? "  (--quick: first images only)" : "");
  return images;
}

}  // namespace ae::chapters
