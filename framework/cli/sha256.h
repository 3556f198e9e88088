#pragma once
#include <string>
#include <string_view>

namespace faultline::cli {

// Lower-case hex SHA-256 (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view bytes);

}  // namespace faultline::cli
