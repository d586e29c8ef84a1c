// sockeye's entry point: everything lives in the app module so tests and
// benchmarks link the same code.
#include "app/cli_main.hpp"

int main(int argc, char** argv) { return sockeye::app::cli_main(argc, argv); }
