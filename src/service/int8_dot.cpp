#include "service/int8_dot.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LOCI_HAVE_X86 1
#endif

namespace loci::service {
namespace {

#ifdef LOCI_HAVE_X86
// 32 products per step: _mm256_maddubs_epi16 multiplies unsigned by signed bytes, so the query
// gives its magnitudes and lends its signs to the row (sign_epi8); adjacent pairs are summed to
// 16 bits (at most 2 * 127 * 127, no saturation) and widened to 32 by madd with ones.
__attribute__((target("avx2"))) void DotRowsAvx2(const std::int8_t* query,
                                                 const std::int8_t* matrix, std::size_t rows,
                                                 std::size_t stride, std::int32_t* out) {
  const __m256i ones = _mm256_set1_epi16(1);
  for (std::size_t row = 0; row < rows; ++row) {
    const std::int8_t* values = matrix + row * stride;
    __m256i sum = _mm256_setzero_si256();
    for (std::size_t j = 0; j < stride; j += kDotBlock) {
      const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(query + j));
      const __m256i r = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values + j));
      const __m256i pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(r, q));
      sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, ones));
    }
    const __m128i half =
        _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    const __m128i quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0x4e));
    const __m128i last = _mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0xb1));
    out[row] = _mm_cvtsi128_si32(last);
  }
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

void DotRowsPortable(const std::int8_t* query, const std::int8_t* matrix, std::size_t rows,
                     std::size_t stride, std::int32_t* out) {
  for (std::size_t row = 0; row < rows; ++row) {
    const std::int8_t* values = matrix + row * stride;
    std::int32_t sum = 0;
    for (std::size_t j = 0; j < stride; ++j) sum += std::int32_t{query[j]} * values[j];
    out[row] = sum;
  }
}

void DotRows(const std::int8_t* query, const std::int8_t* matrix, std::size_t rows,
             std::size_t stride, std::int32_t* out) {
#ifdef LOCI_HAVE_X86
  if (HasAvx2()) {
    DotRowsAvx2(query, matrix, rows, stride, out);
    return;
  }
#endif
  DotRowsPortable(query, matrix, rows, stride, out);
}

std::string_view DotRowsKernel() {
#ifdef LOCI_HAVE_X86
  if (HasAvx2()) return "avx2";
#endif
  return "portable";
}

}  // namespace loci::service
