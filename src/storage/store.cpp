#include "storage/store.h"

#include <future>

namespace loci::storage {

Result<AppendOutcome> Store::AppendAndWait(AppendRequest request) {
  std::promise<Result<AppendOutcome>> promise;
  auto future = promise.get_future();
  Append(std::move(request),
         [&promise](Result<AppendOutcome> outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

}  // namespace loci::storage
