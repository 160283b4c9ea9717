// spawnbench: starts each command RUNS times, round-robin (so drift in machine load hits every
// command alike), with stdin from a file and stdout/stderr to /dev/null. Reports per command the
// median, p90 and minimum wall time and the peak resident set size.
// Usage: spawnbench RUNS WARMUP -- STDIN command [args...] [-- STDIN command [args...]]...
// Prints one line per command: median_us=... p90_us=... min_us=... max_rss_kb=...
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

typedef struct {
    const char *input;
    char **argv;
    double *times;
    long rss_kb;
} command_t;

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double run_once(command_t *c) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, c->input, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid;
    if (posix_spawnp(&pid, c->argv[0], &actions, NULL, c->argv, environ) != 0) {
        perror("posix_spawnp");
        exit(2);
    }
    int status;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    clock_gettime(CLOCK_MONOTONIC, &end);
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "spawnbench: %s exited with %d\n", c->argv[0], WEXITSTATUS(status));
        exit(3);
    }
    if (usage.ru_maxrss > c->rss_kb) c->rss_kb = usage.ru_maxrss;
    return (end.tv_sec - start.tv_sec) * 1e6 + (end.tv_nsec - start.tv_nsec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: spawnbench RUNS WARMUP -- STDIN command [args...] [-- STDIN command ...]\n");
        return 2;
    }
    int runs = atoi(argv[1]), warmup = atoi(argv[2]);
    command_t commands[8];
    int count = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--") != 0) continue;
        argv[i] = NULL; // ends the previous command's argv
        if (i + 2 >= argc || count == 8) { fprintf(stderr, "spawnbench: bad command list\n"); return 2; }
        commands[count].input = argv[i + 1];
        commands[count].argv = argv + i + 2;
        commands[count].times = malloc(sizeof(double) * runs);
        commands[count].rss_kb = 0;
        count++;
    }
    for (int w = 0; w < warmup; w++)
        for (int c = 0; c < count; c++) run_once(&commands[c]);
    for (int c = 0; c < count; c++) commands[c].rss_kb = 0;
    for (int r = 0; r < runs; r++)
        for (int c = 0; c < count; c++) commands[c].times[r] = run_once(&commands[c]);
    for (int c = 0; c < count; c++) {
        qsort(commands[c].times, runs, sizeof(double), compare);
        printf("median_us=%.0f p90_us=%.0f min_us=%.0f max_rss_kb=%ld\n", commands[c].times[runs / 2],
               commands[c].times[runs * 9 / 10], commands[c].times[0], commands[c].rss_kb);
    }
    return 0;
}
