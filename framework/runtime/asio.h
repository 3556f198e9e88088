#pragma once
// The one place the runtime includes Boost.Asio. Boost 1.74's Asio uses std::exchange
// without including <utility>, which libstdc++ 12 under C++20 no longer brings in on its
// own, so <utility> comes first. Callbacks, not coroutines: clang (the fuzz presets) would
// want <experimental/coroutine> for Asio's co_await support.
#include <utility>

#include <boost/asio.hpp>

namespace faultline::runtime {
namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
}  // namespace faultline::runtime
