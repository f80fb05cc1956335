#include "text/stemmer.h"

#include <libstemmer.h>

namespace loci::text {
namespace {

class ThreadStemmer {
 public:
  ThreadStemmer() : stemmer_(sb_stemmer_new("english", nullptr)) {}
  ~ThreadStemmer() { sb_stemmer_delete(stemmer_); }
  ThreadStemmer(const ThreadStemmer&) = delete;
  ThreadStemmer& operator=(const ThreadStemmer&) = delete;

  sb_stemmer* get() const { return stemmer_; }

 private:
  sb_stemmer* stemmer_;
};

}  // namespace

void StemEnglish(std::string_view word, std::string* out) {
  thread_local ThreadStemmer stemmer;
  if (stemmer.get() != nullptr && word.size() <= kMaxStemmedBytes) {
    const sb_symbol* stem =
        sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                        static_cast<int>(word.size()));
    if (stem != nullptr) {
      out->assign(reinterpret_cast<const char*>(stem),
                  static_cast<std::size_t>(sb_stemmer_length(stemmer.get())));
      return;
    }
  }
  out->assign(word);
}

}  // namespace loci::text
