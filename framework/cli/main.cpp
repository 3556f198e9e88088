// The faultline executable: the command line over every built-in system, workload,
// checker and fault package.
#include "framework/cli/builtins.h"
#include "framework/cli/cli_main.h"

int main(int argc, char** argv) { return faultline::cli::main(argc, argv, faultline::cli::builtin_registry()); }
