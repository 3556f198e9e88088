#pragma once
// The bounds faultline sets on what it reads (history files, headers, imported logs), each
// listed with what happens past it in docs/limits.md. Input is untrusted: whatever it holds,
// reading it ends in a value or in one error line naming the place, never in a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace faultline {

// JSON and EDN values may nest this deep. nlohmann's DOM copies, compares and prints values
// recursively (one stack frame per level), so a deeper value would overflow the stack; no
// history or header of ours comes near it.
inline constexpr int kMaxNestingDepth = 256;

// A history line (one op or the header) may be this long. A longer line is an error, so a
// stream that never ends its line (a FIFO fed from /dev/zero) cannot take all memory.
inline constexpr size_t kMaxLineBytes = size_t{256} << 20;

// An imported file (EDN, Porcupine logs) is read whole; it may be this large.
inline constexpr size_t kMaxImportBytes = size_t{1} << 30;

// An error line quotes at most this many bytes of the input (then "..."), so a bad 50 MB
// value gives a readable error, not a 50 MB line.
inline constexpr size_t kMaxQuotedBytes = 200;

// `text` cut to max_bytes (kMaxQuotedBytes) at a UTF-8 character boundary, with "..." when cut.
std::string excerpt(std::string_view text, size_t max_bytes = kMaxQuotedBytes);

// The byte offset of the first byte of `text` that is not part of well-formed UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
size_t first_invalid_utf8(std::string_view text);

}  // namespace faultline
