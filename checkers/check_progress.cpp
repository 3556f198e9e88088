#include "checkers/check_progress.h"

namespace faultline {

CheckProgress& check_progress() {
  static CheckProgress progress;
  return progress;
}

}  // namespace faultline
