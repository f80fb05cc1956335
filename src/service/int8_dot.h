// Int8 dot products for the exact vector scan: one query against many stored rows.
//
// AVX2 when the CPU has it (chosen once, at first use), else a portable loop; both give the
// same exact integer results. Rows are padded to a multiple of kDotBlock bytes with zeros so
// the vector loop has no tail. Values must lie in [-127, 127] (vector_codec.h): the AVX2 path
// multiplies |q| by sign-adjusted r, and -128 would overflow its 16-bit pair sums.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace loci::service {

inline constexpr std::size_t kDotBlock = 32;

// out[i] = sum over j < stride of query[j] * matrix[i * stride + j], for i < rows.
// REQUIRES: stride is a multiple of kDotBlock; every value in [-127, 127].
void DotRows(const std::int8_t* query, const std::int8_t* matrix, std::size_t rows,
             std::size_t stride, std::int32_t* out);

// The same with the portable loop only (the reference for tests and machines without AVX2).
void DotRowsPortable(const std::int8_t* query, const std::int8_t* matrix, std::size_t rows,
                     std::size_t stride, std::int32_t* out);

// "avx2" or "portable": which one DotRows runs on this machine.
std::string_view DotRowsKernel();

}  // namespace loci::service
