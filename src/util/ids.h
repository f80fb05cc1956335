// Identifiers the server assigns: sortable, opaque, unguessable enough to not leak counts.
// Thread-safety: all functions are safe to call from any thread.
#pragma once

#include <string>

#include "util/time.h"

namespace loci {

// A ULID (48-bit millisecond time + 80 random bits) in Crockford base32, 26 characters,
// with `prefix` in front: NewId("m_", now) -> "m_01JD...". Ids made later sort later.
std::string NewId(std::string_view prefix, UnixMillis now);

// A random id for requests that arrive without an X-Request-Id: "req_" + 20 base32 chars.
std::string NewRequestId();

}  // namespace loci
