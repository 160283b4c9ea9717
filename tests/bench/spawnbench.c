// spawnbench: starts a command N times with stdin from a file and reports the median wall time
// and the peak resident set size, measured the same way for every command it is given.
// Usage: spawnbench RUNS WARMUP STDIN_FILE -- command [args...]
// Prints: median_us=... p90_us=... min_us=... max_rss_kb=...
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double run_once(char **argv, const char *input, long *rss_kb) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ) != 0) {
        perror("posix_spawnp");
        exit(2);
    }
    int status;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    clock_gettime(CLOCK_MONOTONIC, &end);
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "spawnbench: %s exited with %d\n", argv[0], WEXITSTATUS(status));
        exit(3);
    }
    if (usage.ru_maxrss > *rss_kb) *rss_kb = usage.ru_maxrss;
    return (end.tv_sec - start.tv_sec) * 1e6 + (end.tv_nsec - start.tv_nsec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: spawnbench RUNS WARMUP STDIN_FILE -- command [args...]\n");
        return 2;
    }
    int runs = atoi(argv[1]), warmup = atoi(argv[2]);
    const char *input = argv[3];
    char **command = argv + 5;
    long rss_kb = 0;
    for (int i = 0; i < warmup; i++) run_once(command, input, &rss_kb);
    double *times = malloc(sizeof(double) * runs);
    rss_kb = 0;
    for (int i = 0; i < runs; i++) times[i] = run_once(command, input, &rss_kb);
    qsort(times, runs, sizeof(double), compare);
    printf("median_us=%.0f p90_us=%.0f min_us=%.0f max_rss_kb=%ld\n", times[runs / 2], times[runs * 9 / 10], times[0], rss_kb);
    free(times);
    return 0;
}
