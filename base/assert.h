#pragma once
// Broken invariants (the second error tier): always checked, also in Release builds, and
// they abort. In a simulated run an abort is a failing seed, not a harness crash: the
// campaign runner catches it at the process boundary.
#include <cstdio>
#include <cstdlib>

#define FAULTLINE_ASSERT(cond, what)                                                  \
  do {                                                                                \
    if (!(cond)) [[unlikely]] {                                                       \
      std::fprintf(stderr, "faultline: invariant broken at %s:%d: %s (%s)\n", __FILE__, \
                   __LINE__, what, #cond);                                            \
      std::fflush(stderr);                                                            \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)
