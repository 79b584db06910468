#pragma once
// OpenMP's wait policy for programs that may share their cores.
//
// libgomp's workers spin while they wait for each other (OMP_WAIT_POLICY=active). When
// another program holds a core, every short parallel region then waits for a worker that is
// spinning or descheduled: on a busy machine 2-thread gemm and training steps can run
// several times slower than 1 thread, while waiting passively costs nothing measurable when
// the cores are free (bench/gemm/RESULTS.md, bench/train/RESULTS.md). libgomp reads the variable once, when it is loaded, so a
// program can only choose it by running itself again with the variable set.
namespace ae::linalg {

/// When OMP_WAIT_POLICY is unset, sets it to PASSIVE and re-executes the program with the
/// same arguments (call first thing in main). Returns normally when the variable was already
/// set, or when re-executing failed (the program then runs with libgomp's default).
void prefer_passive_omp_wait(char** argv);

}  // namespace ae::linalg
